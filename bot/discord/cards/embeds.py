"""The answer card and what its buttons show, from renderer-neutral answers (``bot.search``).

The card's body is :func:`bot.search.render.answer_text`, the very text ``labwire ask
--json`` reports as ``"text"``: what answers the question, its dates and age, three
sources.  "More" shows the whole entry (:func:`bot.search.render.full_text`).
"""

from __future__ import annotations

import discord

from bot.discord.embeds import BRAND, KIND_LABELS, kind_label
from bot.discord.limits import DESCRIPTION_BUDGET, EMBED_FOOTER_MAX, QUOTED_QUESTION_MAX
from bot.discord.text import fit_embed, join_within, link, quote_question, truncate
from bot.search.render import answer_text, full_text, latest_text
from bot.search.types import Answer, EntryRef, Latest


def answer_embed(answer: Answer, *, question: str | None = None,
                 about: EntryRef | None = None) -> discord.Embed:
    """The public answer card: linked title, then the answer text (``about`` is the earlier
    answer a follow-up was read against, shown so a wrong guess is easy to see)."""
    embed = discord.Embed(title=answer.title, url=answer.url,
                          description=answer_text(answer, about), colour=BRAND)
    footer = kind_label(answer.kind)
    if question:
        footer = f"Asked: {quote_question(question, QUOTED_QUESTION_MAX)} · {footer}"
    embed.set_footer(text=truncate(footer, EMBED_FOOTER_MAX))
    return fit_embed(embed)


def more_embed(answer: Answer) -> discord.Embed:
    """Everything about the entry: the "More" button."""
    embed = discord.Embed(title=answer.title, url=answer.url, colour=BRAND)
    blocks = full_text(answer).split("\n\n")
    embed.description = join_within(blocks, DESCRIPTION_BUDGET, "\n\n")
    embed.set_footer(text=kind_label(answer.kind))
    return fit_embed(embed)


def takeaways_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=f"Key takeaways: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {t}" for t in answer.takeaways] or ["No takeaways recorded for this entry."]
    embed.description = join_within(lines, DESCRIPTION_BUDGET)
    return fit_embed(embed)


def related_embed(answer: Answer) -> discord.Embed:
    """Related stories, most related first, then the people involved."""
    embed = discord.Embed(title=f"Related to: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {link(r.title, r.url)}" for r in answer.related]
    lines += [f"• {link(r.title, r.url)} ({KIND_LABELS['person'].lower()})" for r in answer.people]
    embed.description = join_within(lines, DESCRIPTION_BUDGET) or "Nothing related recorded yet."
    return fit_embed(embed)


def latest_embed(latest: Latest) -> discord.Embed:
    """The newest dated stories, numbered, with the span the knowledge covers."""
    return fit_embed(discord.Embed(description=latest_text(latest), colour=BRAND))
