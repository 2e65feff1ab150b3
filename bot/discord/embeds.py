"""Embed builders: renderer-neutral answers (``bot.search.types``) to Discord embeds.

Every builder returns an embed already cut to Discord's limits
(:func:`bot.discord.text.fit_embed`); user text is escaped by the caller's
helpers in :mod:`bot.discord.text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from bot.discord.text import (
    EMBED_FIELD_VALUE_MAX,
    EMBED_FOOTER_MAX,
    fit_embed,
    join_within,
    link,
    quote_question,
    truncate,
)
from bot.knowledge import Article
from bot.search.types import Answer, EntryRef

BRAND = discord.Colour(0x4F7CFF)
MUTED = discord.Colour(0x8A8F98)
WARN = discord.Colour(0xE8A33D)

KIND_LABELS = {"article": "Article", "person": "Person", "org": "Organisation",
               "takeaway": "Takeaway"}


def answer_embed(answer: Answer, *, question: str | None = None) -> discord.Embed:
    """The public answer card: linked title, short summary, date, people, sources."""
    embed = discord.Embed(
        title=answer.title, url=answer.url, description=answer.summary, colour=BRAND
    )
    if answer.subtitle:
        embed.set_author(name=answer.subtitle)
    if answer.date:
        embed.add_field(name="Date", value=answer.date, inline=True)
    if answer.people:
        embed.add_field(name="People", value=_refs_inline(answer.people), inline=True)
    if answer.orgs:
        embed.add_field(name="Organisations", value=_refs_inline(answer.orgs), inline=True)
    if answer.quote:
        embed.add_field(name="In their words", value=f"“{answer.quote}”", inline=False)
    if answer.sources:
        sources = [link(s.title, s.url, 80) for s in answer.sources]
        embed.add_field(name="Sources", value=join_within(sources, EMBED_FIELD_VALUE_MAX, " · "),
                        inline=False)
    footer = KIND_LABELS.get(answer.kind, answer.kind)
    if question:
        footer = f"Asked: {quote_question(question, 200)} · {footer}"
    embed.set_footer(text=truncate(footer, EMBED_FOOTER_MAX))
    return fit_embed(embed)


def takeaways_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=f"Key takeaways: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {t}" for t in answer.takeaways] or ["No takeaways recorded for this entry."]
    embed.description = join_within(lines, 4000)
    return fit_embed(embed)


def related_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=f"Related to: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {link(r.title, r.url)}" for r in answer.related]
    lines += [f"• {link(r.title, r.url)} ({KIND_LABELS['person'].lower()})" for r in answer.people]
    embed.description = join_within(lines, 4000) or "Nothing related recorded yet."
    return fit_embed(embed)


def suggestions_embed(
    question: str, suggestions: Sequence[EntryRef], *, sure: bool, pickable: bool = True
) -> discord.Embed:
    """The "Did you mean…" / "I don't know that one yet" reply.

    ``sure`` means the engine found nothing (rather than several candidates);
    ``pickable`` means a select menu of the suggestions comes with it.
    """
    asked = quote_question(question, 300)
    if sure:
        title = "I don't have an answer for that yet"
        text = (f"I couldn't find anything about “{asked}” in my notes. "
                "I've passed the question on to the moderators.")
    else:
        title = "Did you mean…"
        text = f"I'm not sure what “{asked}” refers to."
        if suggestions:
            text += " Pick one below and I'll answer publicly." if pickable else \
                " One of these, perhaps?"
    lines = [f"• {link(s.title, s.url)} ({KIND_LABELS.get(s.kind, s.kind).lower()})"
             for s in suggestions]
    if lines:
        text += "\n\n" + ("Related entries I do have:\n" if sure else "") + "\n".join(lines)
    else:
        text += "\n\nTry `/latest` for recent stories, or `/help` for what I know about."
    return fit_embed(discord.Embed(title=title, description=text, colour=WARN if sure else MUTED))


def latest_embed(articles: Iterable[Article]) -> discord.Embed:
    lines = []
    for article in articles:
        date = f"`{article.story_date}` " if article.story_date else ""
        lines.append(f"{date}{link(article.title, article.url)} · {truncate(article.outlet, 60)}")
    embed = discord.Embed(title="Latest stories", colour=BRAND)
    embed.description = join_within(lines, 4000) or "No stories in the knowledge base yet."
    return fit_embed(embed)


def notice_embed(text: str) -> discord.Embed:
    return fit_embed(discord.Embed(description=text, colour=MUTED))


def _refs_inline(refs: Sequence[EntryRef]) -> str:
    return join_within([link(r.title, r.url, 80) for r in refs], EMBED_FIELD_VALUE_MAX, ", ")
