"""Cutting text to Discord's limits with "…", and showing user text literally.

Everything the bot sends goes through these helpers, so a long title or an odd
question can never make a send fail, and text a user typed can never render as
markdown or a mention.  The limits themselves are in :mod:`bot.discord.limits`.
"""

from __future__ import annotations

import re

import discord

from bot.discord.limits import (
    EMBED_AUTHOR_MAX,
    EMBED_DESCRIPTION_MAX,
    EMBED_FIELD_NAME_MAX,
    EMBED_FIELD_VALUE_MAX,
    EMBED_FIELDS_MAX,
    EMBED_FOOTER_MAX,
    EMBED_TITLE_MAX,
    EMBED_TOTAL_MAX,
    TITLE_IN_TEXT_MAX,
)

ELLIPSIS = "…"

_MENTION_TOKEN = re.compile(r"<@[!&]?\d+>|<#\d+>")


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def escape_user_text(text: str) -> str:
    """Markdown and mentions in user text shown literally (``@everyone`` cannot ping)."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def quote_question(text: str, limit: int) -> str:
    """A user's question, flattened to one line, escaped and cut to ``limit``."""
    flat = " ".join(text.split())
    return truncate(escape_user_text(flat), limit)


def strip_mentions(text: str) -> str:
    """Remove ``<@id>``/``<#id>`` tokens and @everyone/@here from a question.

    The one place mentions are removed: the answer engine never sees them.
    """
    text = _MENTION_TOKEN.sub(" ", text)
    text = text.replace("@everyone", " ").replace("@here", " ")
    return " ".join(text.split())


def link(title: str, url: str | None, limit: int = TITLE_IN_TEXT_MAX) -> str:
    """A markdown link with the title escaped (brackets in titles would break it)."""
    shown = truncate(discord.utils.escape_markdown(title), limit)
    return f"[{shown}]({url})" if url else shown


def join_within(parts: list[str], limit: int, sep: str = "\n") -> str:
    """Join whole parts while they fit in ``limit``; note how many were left out."""
    out: list[str] = []
    used = 0
    for index, part in enumerate(parts):
        extra = len(part) + (len(sep) if out else 0)
        rest = len(parts) - index
        note = f"{sep}{ELLIPSIS} and {rest} more"
        if used + extra > limit - (len(note) if rest > 1 else 0):
            if out and used + len(note) <= limit:
                out.append(f"{ELLIPSIS} and {rest} more")
            elif not out:
                out.append(truncate(part, limit))
            break
        out.append(part)
        used += extra
    return sep.join(out)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Cut every part of ``embed`` to Discord's limits, then the whole to 6000 characters."""
    if embed.title:
        embed.title = truncate(embed.title, EMBED_TITLE_MAX)
    if embed.description:
        embed.description = truncate(embed.description, EMBED_DESCRIPTION_MAX)
    if embed.footer.text:
        embed.set_footer(text=truncate(embed.footer.text, EMBED_FOOTER_MAX),
                         icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(name=truncate(embed.author.name, EMBED_AUTHOR_MAX), url=embed.author.url)
    fields = embed.fields[:EMBED_FIELDS_MAX]
    embed.clear_fields()
    for f in fields:
        embed.add_field(name=truncate(f.name or "\u200b", EMBED_FIELD_NAME_MAX),
                        value=truncate(f.value or "\u200b", EMBED_FIELD_VALUE_MAX), inline=f.inline)
    while len(embed) > EMBED_TOTAL_MAX and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL_MAX and embed.description:
        over = len(embed) - EMBED_TOTAL_MAX
        embed.description = truncate(embed.description, max(len(embed.description) - over, 1))
    return embed
