"""Discord's length limits, truncation and escaping of user text.

Everything the bot sends goes through these helpers, so a long title or an
odd question can never make a send fail, and text a user typed can never
render as markdown or a mention.
"""

from __future__ import annotations

import re

import discord

ELLIPSIS = "…"

CONTENT_MAX = 2000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
EMBED_FIELDS_MAX = 25
BUTTON_LABEL_MAX = 80
SELECT_LABEL_MAX = 100
SELECT_DESCRIPTION_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
SELECT_OPTIONS_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_VALUE_MAX = 100
CUSTOM_ID_MAX = 100

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
    """Remove ``<@id>``/``<#id>`` tokens and @everyone/@here from a message's text."""
    text = _MENTION_TOKEN.sub(" ", text)
    text = text.replace("@everyone", " ").replace("@here", " ")
    return " ".join(text.split())


def link(title: str, url: str | None, limit: int = 200) -> str:
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
