"""Cards: ``/article``, ``/person``, ``/org`` (fuzzy autocomplete), ``/takeaways``, ``/latest``.

Autocomplete lists one choice per entry (aliases folded in by the engine), at
most 25, names cut to 100 characters; the choice value is a compact entry
reference (:mod:`bot.discord.refs`).  Text typed without picking a choice is
matched the same way, so ``/person kalinowski`` works too.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.answers import AnswerButton, answer_view
from bot.discord.client import LabwireBot
from bot.discord.embeds import answer_embed, latest_embed, takeaways_embed
from bot.discord.errors import NO_MENTIONS, send_ephemeral
from bot.discord.refs import decode_ref, encode_ref
from bot.discord.text import CHOICE_NAME_MAX, CHOICE_VALUE_MAX, escape_user_text, truncate
from bot.knowledge import EntryKey, EntryKind
from bot.search import Engine
from bot.search.types import Answer

MAX_CHOICES = 25
LATEST_DEFAULT = 5
LATEST_MAX = 10


def choices(engine: Engine, kind: EntryKind, current: str) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=truncate(ref.title, CHOICE_NAME_MAX),
                            value=encode_ref(ref.kind, ref.id, room=CHOICE_VALUE_MAX))
        for ref in engine.complete(kind, current, limit=MAX_CHOICES)
    ]


def resolve(engine: Engine, kind: EntryKind, value: str) -> Answer | None:
    """A picked choice (an entry reference), an exact id, or the best fuzzy match."""
    found = decode_ref(engine.kb, value)
    if found is not None and found[0] == kind:
        answer = engine.answer_for(*found)
        if answer is not None:
            return answer
    if engine.kb.get(EntryKey(kind, value)) is not None:
        return engine.answer_for(kind, value)
    best = engine.complete(kind, value, limit=1)
    return engine.answer_for(kind, best[0].id) if best else None


class Cards(commands.Cog):
    def __init__(self, bot: LabwireBot) -> None:
        self.bot = bot

    async def show_card(self, interaction: discord.Interaction[Any], kind: EntryKind,
                        value: str) -> None:
        async with self.bot.tracker.span(interaction.id, kind) as span:
            answer = resolve(self.bot.service.engine, kind, value)
            if answer is None:
                shown = truncate(escape_user_text(value), 100)
                await send_ephemeral(interaction, f"I have no {kind} matching “{shown}”. "
                                                  "Pick one of the suggestions as you type.")
                span.outcome = "not_found"
                return
            await interaction.response.send_message(
                embed=answer_embed(answer), view=answer_view(answer), allowed_mentions=NO_MENTIONS)
            span.outcome = "shown"

    async def complete(self, interaction: discord.Interaction[Any], kind: EntryKind,
                       current: str) -> list[app_commands.Choice[str]]:
        async with self.bot.tracker.span(interaction.id, f"{kind}:autocomplete", quiet=True):
            return choices(self.bot.service.engine, kind, current)

    @app_commands.command(name="article", description="Show a news story from the knowledge base")
    @app_commands.describe(title="Start typing a headline, a person or a topic")
    async def article(self, interaction: discord.Interaction[Any],
                      title: app_commands.Range[str, 1, 200]) -> None:
        await self.show_card(interaction, "article", title)

    @article.autocomplete("title")
    async def article_complete(self, interaction: discord.Interaction[Any],
                               current: str) -> list[app_commands.Choice[str]]:
        return await self.complete(interaction, "article", current)

    @app_commands.command(name="person", description="Show who someone is and what they did")
    @app_commands.describe(name="Start typing a name")
    async def person(self, interaction: discord.Interaction[Any],
                     name: app_commands.Range[str, 1, 200]) -> None:
        await self.show_card(interaction, "person", name)

    @person.autocomplete("name")
    async def person_complete(self, interaction: discord.Interaction[Any],
                              current: str) -> list[app_commands.Choice[str]]:
        return await self.complete(interaction, "person", current)

    @app_commands.command(name="org", description="Show an AI lab or company")
    @app_commands.describe(name="Start typing a name")
    async def org(self, interaction: discord.Interaction[Any],
                  name: app_commands.Range[str, 1, 200]) -> None:
        await self.show_card(interaction, "org", name)

    @org.autocomplete("name")
    async def org_complete(self, interaction: discord.Interaction[Any],
                           current: str) -> list[app_commands.Choice[str]]:
        return await self.complete(interaction, "org", current)

    @app_commands.command(name="takeaways", description="The key takeaways of a story")
    @app_commands.describe(article="Start typing a headline")
    async def takeaways(self, interaction: discord.Interaction[Any],
                        article: app_commands.Range[str, 1, 200]) -> None:
        async with self.bot.tracker.span(interaction.id, "takeaways") as span:
            answer = resolve(self.bot.service.engine, "article", article)
            if answer is None:
                await send_ephemeral(interaction, "I have no story matching that. Pick one of "
                                                  "the suggestions as you type.")
                span.outcome = "not_found"
                return
            await interaction.response.send_message(embed=takeaways_embed(answer),
                                                    allowed_mentions=NO_MENTIONS)
            span.outcome = "shown"

    @takeaways.autocomplete("article")
    async def takeaways_complete(self, interaction: discord.Interaction[Any],
                                 current: str) -> list[app_commands.Choice[str]]:
        return await self.complete(interaction, "article", current)

    @app_commands.command(name="latest", description="The newest stories in the knowledge base")
    @app_commands.describe(count=f"How many (1-{LATEST_MAX}, default {LATEST_DEFAULT})")
    async def latest(self, interaction: discord.Interaction[Any],
                     count: app_commands.Range[int, 1, LATEST_MAX] = LATEST_DEFAULT) -> None:
        async with self.bot.tracker.span(interaction.id, "latest") as span:
            articles = self.bot.service.kb.newest_articles(count)
            await interaction.response.send_message(embed=latest_embed(articles),
                                                    allowed_mentions=NO_MENTIONS)
            span.outcome = f"shown:{len(articles)}"


async def setup(bot: LabwireBot) -> None:
    bot.add_dynamic_items(AnswerButton)
    await bot.add_cog(Cards(bot))
