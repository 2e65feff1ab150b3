"""The answer card and what its buttons show, from renderer-neutral answers (``bot.search``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from bot.discord.embeds import BRAND, KIND_LABELS, kind_label
from bot.discord.limits import (
    DESCRIPTION_BUDGET,
    EMBED_FIELD_VALUE_MAX,
    EMBED_FOOTER_MAX,
    LINK_TITLE_MAX,
    QUOTED_QUESTION_MAX,
)
from bot.discord.text import fit_embed, join_within, link, quote_question, truncate
from bot.knowledge import Article
from bot.search.types import Answer, EntryRef

OUTLET_MAX = 60


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
        sources = [link(s.title, s.url, LINK_TITLE_MAX) for s in answer.sources]
        embed.add_field(name="Sources", value=join_within(sources, EMBED_FIELD_VALUE_MAX, " · "),
                        inline=False)
    footer = kind_label(answer.kind)
    if question:
        footer = f"Asked: {quote_question(question, QUOTED_QUESTION_MAX)} · {footer}"
    embed.set_footer(text=truncate(footer, EMBED_FOOTER_MAX))
    return fit_embed(embed)


def takeaways_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=f"Key takeaways: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {t}" for t in answer.takeaways] or ["No takeaways recorded for this entry."]
    embed.description = join_within(lines, DESCRIPTION_BUDGET)
    return fit_embed(embed)


def related_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=f"Related to: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {link(r.title, r.url)}" for r in answer.related]
    lines += [f"• {link(r.title, r.url)} ({KIND_LABELS['person'].lower()})" for r in answer.people]
    embed.description = join_within(lines, DESCRIPTION_BUDGET) or "Nothing related recorded yet."
    return fit_embed(embed)


def latest_embed(articles: Iterable[Article]) -> discord.Embed:
    lines = []
    for article in articles:
        date = f"`{article.story_date}` " if article.story_date else ""
        lines.append(f"{date}{link(article.title, article.url)} · "
                     f"{truncate(article.outlet, OUTLET_MAX)}")
    embed = discord.Embed(title="Latest stories", colour=BRAND)
    embed.description = (join_within(lines, DESCRIPTION_BUDGET)
                         or "No stories in the knowledge base yet.")
    return fit_embed(embed)


def _refs_inline(refs: Sequence[EntryRef]) -> str:
    return join_within([link(r.title, r.url, LINK_TITLE_MAX) for r in refs],
                       EMBED_FIELD_VALUE_MAX, ", ")
