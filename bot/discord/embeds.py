"""The look every feature shares: colours, kind labels and the plain notice embed.

Feature-specific embeds live with their feature (``cards/card.py`` for the
answer card, ``risk/embeds.py`` for the quiz, …).  Every builder returns an embed
already cut to Discord's limits (:func:`bot.discord.text.fit_embed`).
"""

from __future__ import annotations

import discord

from bot.discord.text import fit_embed

BRAND = discord.Colour(0x4F7CFF)
MUTED = discord.Colour(0x8A8F98)
WARN = discord.Colour(0xE8A33D)

KIND_LABELS = {"article": "Article", "person": "Person", "org": "Organisation",
               "takeaway": "Takeaway"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def notice_embed(text: str) -> discord.Embed:
    return fit_embed(discord.Embed(description=text, colour=MUTED))
