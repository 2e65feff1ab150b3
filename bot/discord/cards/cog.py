"""``/article``, ``/person``, ``/org`` (type to search), ``/takeaways`` and ``/latest``.

``/latest`` lists dated stories only, newest first and numbered, with the span of
dates the knowledge covers.

A typed name that was not picked from the suggestions is matched the same way
(:class:`~bot.discord.entries.EntryPicker`), so ``/person kalinowski`` works too.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bot import LabwireBot
from bot.discord.cards.card import AnswerCards, answer_embed, latest_embed, takeaways_embed
from bot.discord.entries import EntryPicker
from bot.discord.limits import ENTRY_OPTION_MAX
from bot.discord.replies import NO_MENTIONS, notice
from bot.discord.text import escape_user_text, truncate
from bot.discord.tracking import InteractionTracker
from bot.knowledge import EntryKind
from bot.runtime import KnowledgeService
from bot.search.answers import latest_stories
from bot.search.types import Answer

LATEST_DEFAULT = 5
LATEST_MAX = 10
SHOWN_TYPED_MAX = 100
# Which entries each command's autocomplete offers.
KIND_OF_COMMAND: dict[str, EntryKind] = {
    "article": "article", "person": "person", "org": "org", "takeaways": "article",
}


class Cards(commands.Cog):
    def __init__(self, knowledge: KnowledgeService, entries: EntryPicker, cards: AnswerCards,
                 tracker: InteractionTracker) -> None:
        self.knowledge = knowledge
        self.entries = entries
        self.cards = cards
        self.tracker = tracker

    def find(self, kind: EntryKind, typed: str) -> Answer | None:
        key = self.entries.find((kind,), typed, fuzzy=True)
        return self.knowledge.engine.answer_for(key.kind, key.id) if key else None

    async def complete(self, interaction: discord.Interaction[Any],
                       current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for every command here: entries of the command's kind."""
        command = interaction.command.name if interaction.command else "article"
        kind = KIND_OF_COMMAND.get(command, "article")
        async with self.tracker.span(interaction.id, f"{kind}:autocomplete", quiet=True):
            return self.entries.choices((kind,), current)

    async def show_card(self, interaction: discord.Interaction[Any], kind: EntryKind,
                        typed: str) -> None:
        async with self.tracker.span(interaction.id, kind) as span:
            answer = self.find(kind, typed)
            if answer is None:
                shown = truncate(escape_user_text(typed), SHOWN_TYPED_MAX)
                await notice(interaction, f"I have no {kind} matching “{shown}”. "
                                          "Pick one of the suggestions as you type.")
                span.outcome = "not_found"
                return
            await interaction.response.send_message(
                embed=answer_embed(answer), view=self.cards.view(answer),
                allowed_mentions=NO_MENTIONS)
            span.outcome = "shown"

    @app_commands.command(name="article", description="Show a news story from the knowledge base")
    @app_commands.describe(title="Start typing a headline, a person or a topic")
    @app_commands.autocomplete(title=complete)
    async def article(self, interaction: discord.Interaction[Any],
                      title: app_commands.Range[str, 1, ENTRY_OPTION_MAX]) -> None:
        await self.show_card(interaction, "article", title)

    @app_commands.command(name="person", description="Show who someone is and what they did")
    @app_commands.describe(name="Start typing a name")
    @app_commands.autocomplete(name=complete)
    async def person(self, interaction: discord.Interaction[Any],
                     name: app_commands.Range[str, 1, ENTRY_OPTION_MAX]) -> None:
        await self.show_card(interaction, "person", name)

    @app_commands.command(name="org", description="Show an AI lab or company")
    @app_commands.describe(name="Start typing a name")
    @app_commands.autocomplete(name=complete)
    async def org(self, interaction: discord.Interaction[Any],
                  name: app_commands.Range[str, 1, ENTRY_OPTION_MAX]) -> None:
        await self.show_card(interaction, "org", name)

    @app_commands.command(name="takeaways", description="The key takeaways of a story")
    @app_commands.describe(article="Start typing a headline")
    @app_commands.autocomplete(article=complete)
    async def takeaways(self, interaction: discord.Interaction[Any],
                        article: app_commands.Range[str, 1, ENTRY_OPTION_MAX]) -> None:
        async with self.tracker.span(interaction.id, "takeaways") as span:
            answer = self.find("article", article)
            if answer is None:
                await notice(interaction, "I have no story matching that. Pick one of "
                                          "the suggestions as you type.")
                span.outcome = "not_found"
                return
            await interaction.response.send_message(embed=takeaways_embed(answer),
                                                    allowed_mentions=NO_MENTIONS)
            span.outcome = "shown"

    @app_commands.command(name="latest", description="The newest stories in the knowledge base")
    @app_commands.describe(count=f"How many (1-{LATEST_MAX}, default {LATEST_DEFAULT})")
    async def latest(self, interaction: discord.Interaction[Any],
                     count: app_commands.Range[int, 1, LATEST_MAX] = LATEST_DEFAULT) -> None:
        async with self.tracker.span(interaction.id, "latest") as span:
            latest = latest_stories(self.knowledge.kb, count)
            await interaction.response.send_message(embed=latest_embed(latest),
                                                    allowed_mentions=NO_MENTIONS)
            span.outcome = f"shown:{len(latest.items)}"


async def setup(bot: LabwireBot) -> None:
    services = bot.services
    await bot.add_cog(Cards(services.knowledge, services.entries, services.cards,
                            services.tracker))
