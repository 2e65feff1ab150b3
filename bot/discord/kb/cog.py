"""``/kb``: the command declarations; each hands its work to the module for its job.

Hidden from members by default (``default_permissions(manage_guild)``) and
checked again at run time (:mod:`bot.discord.moderators`).  All replies are
ephemeral; the audit trail is ``/kb history``.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bot import LabwireBot
from bot.discord.kb.context import KbContext
from bot.discord.kb.curation import Curation
from bot.discord.kb.drafting import Drafting
from bot.discord.kb.edits import KIND_CHOICES, Edits
from bot.discord.kb.feeds import FeedCommands, FeedPoster
from bot.discord.kb.reload import Reloads
from bot.discord.kb.roles import change_mod_role
from bot.discord.kb.stats import show_stats
from bot.discord.kb.teach import Teaching
from bot.discord.limits import ENTRY_OPTION_MAX, QUESTION_MAX
from bot.drafts.guard import AddressGuard
from bot.drafts.store import DraftStore
from bot.feeds.store import FeedStore
from bot.knowledge import ENTRY_KINDS

MAX_DAYS = 90
URL_MAX = 2000


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class KnowledgeAdmin(commands.GroupCog, group_name="kb",
                     group_description="Moderators: edit, audit and reload the knowledge base"):
    config = app_commands.Group(name="config", description="Moderators: settings for this server")
    feed = app_commands.Group(name="feed", description="Moderators: news feeds to draft from")

    def __init__(self, context: KbContext, reloads: Reloads, curation: Curation,
                 client: LabwireBot) -> None:
        self.context = context
        self.tracker = context.tracker
        self.reloads = reloads
        self.curation = curation
        self.edits = Edits(context)
        self.teaching = Teaching(context, self.edits)
        self.drafting = Drafting(context, curation, self.edits)
        self.feeds = FeedCommands(context, curation)
        self.feed_poster = FeedPoster(client, context, curation, self.drafting,
                                      leading=client.leading)

    async def cog_load(self) -> None:
        await self.reloads.start()
        self.feed_poster.start()

    async def cog_unload(self) -> None:
        await self.feed_poster.stop()
        await self.reloads.stop()

    async def complete_entry(self, interaction: discord.Interaction[Any],
                             current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for every ``entry`` option: articles, people and organisations."""
        async with self.tracker.span(interaction.id, "kb:autocomplete", quiet=True):
            return self.context.entries.choices(ENTRY_KINDS, current)

    @app_commands.command(name="reload", description="Re-read knowledge/ from disk; keeps the "
                                                     "current version if anything is wrong")
    async def reload(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "kb reload") as span:
            span.outcome = await self.reloads.command(interaction)

    @app_commands.command(name="upload", description="Add or replace one article, person or "
                                                     "organisation from a YAML file")
    @app_commands.describe(file="A .yaml file, at most 64 KiB",
                           kind="Only needed when a person could be mistaken for an organisation")
    @app_commands.choices(kind=KIND_CHOICES)
    async def upload(self, interaction: discord.Interaction[Any], file: discord.Attachment,
                     kind: app_commands.Choice[str] | None = None) -> None:
        async with self.tracker.span(interaction.id, "kb upload") as span:
            span.outcome = await self.edits.upload(interaction, file,
                                                   kind.value if kind else None)

    @app_commands.command(name="download", description="Get an entry's YAML file to edit and "
                                                       "upload again")
    @app_commands.describe(entry="Start typing a title or a name")
    @app_commands.autocomplete(entry=complete_entry)
    async def download(self, interaction: discord.Interaction[Any],
                       entry: app_commands.Range[str, 1, ENTRY_OPTION_MAX]) -> None:
        async with self.tracker.span(interaction.id, "kb download") as span:
            span.outcome = await self.edits.download(interaction, entry)

    @app_commands.command(name="history", description="Recent changes to the knowledge base, "
                                                      "newest first")
    @app_commands.describe(entry="Only this entry (start typing a title or a name)")
    @app_commands.autocomplete(entry=complete_entry)
    async def history(self, interaction: discord.Interaction[Any],
                      entry: app_commands.Range[str, 1, ENTRY_OPTION_MAX] | None = None) -> None:
        async with self.tracker.span(interaction.id, "kb history") as span:
            span.outcome = await self.edits.history(interaction, entry)

    @app_commands.command(name="revert", description="Put back what a change replaced (itself "
                                                     "recorded as a change)")
    @app_commands.describe(revision="The number from /kb history")
    async def revert(self, interaction: discord.Interaction[Any],
                     revision: app_commands.Range[int, 1]) -> None:
        async with self.tracker.span(interaction.id, "kb revert") as span:
            span.outcome = await self.edits.revert(interaction, revision)

    @app_commands.command(name="teach", description="Add a way of asking to an entry, so the "
                                                    "bot answers it next time")
    @app_commands.describe(entry="The entry that answers the question",
                           question="The question as people ask it")
    @app_commands.autocomplete(entry=complete_entry)
    async def teach(self, interaction: discord.Interaction[Any],
                    entry: app_commands.Range[str, 1, ENTRY_OPTION_MAX],
                    question: app_commands.Range[str, 1, QUESTION_MAX]) -> None:
        async with self.tracker.span(interaction.id, "kb teach") as span:
            span.outcome = await self.teaching.teach(interaction, entry, question)

    @app_commands.command(name="unanswered", description="What people asked that the bot could "
                                                         "not answer, most asked first")
    @app_commands.describe(days="Look back this many days (default 7)")
    async def unanswered(self, interaction: discord.Interaction[Any],
                         days: app_commands.Range[int, 1, MAX_DAYS] = 7) -> None:
        async with self.tracker.span(interaction.id, "kb unanswered") as span:
            span.outcome = await self.teaching.unanswered(interaction, days)

    @app_commands.command(name="stats", description="Questions, answers, feedback and how "
                                                    "current the knowledge is")
    @app_commands.describe(days="Look back this many days (default 30)")
    async def stats(self, interaction: discord.Interaction[Any],
                    days: app_commands.Range[int, 1, MAX_DAYS] = 30) -> None:
        async with self.tracker.span(interaction.id, "kb stats") as span:
            span.outcome = await show_stats(self.context, interaction, days, self.curation)

    @app_commands.command(name="draft", description="Draft an article entry from a link, to "
                                                    "review and publish")
    @app_commands.describe(url="The story's http(s) link")
    async def draft(self, interaction: discord.Interaction[Any],
                    url: app_commands.Range[str, 1, URL_MAX]) -> None:
        async with self.tracker.span(interaction.id, "kb draft") as span:
            span.outcome = await self.drafting.draft(interaction, url)

    async def complete_draft(self, interaction: discord.Interaction[Any],
                             current: str) -> list[app_commands.Choice[str]]:
        async with self.tracker.span(interaction.id, "kb:autocomplete", quiet=True):
            return await self.drafting.choices(current)

    @app_commands.command(name="drafts", description="Drafts waiting to be reviewed; open one "
                                                     "to publish or discard it")
    @app_commands.describe(draft="Open this draft (start typing its title)")
    @app_commands.autocomplete(draft=complete_draft)
    async def drafts(self, interaction: discord.Interaction[Any],
                     draft: app_commands.Range[str, 1, 100] | None = None) -> None:
        async with self.tracker.span(interaction.id, "kb drafts") as span:
            span.outcome = await self.drafting.listing(interaction, draft)

    @feed.command(name="add", description="Follow an RSS or Atom feed; new items are posted "
                                          "to the moderators' channel")
    @app_commands.describe(url="The feed's http(s) address")
    async def feed_add(self, interaction: discord.Interaction[Any],
                       url: app_commands.Range[str, 1, URL_MAX]) -> None:
        async with self.tracker.span(interaction.id, "kb feed add") as span:
            span.outcome = await self.feeds.add(interaction, url)

    @feed.command(name="list", description="The feeds followed and the items waiting")
    async def feed_list(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "kb feed list") as span:
            span.outcome = await self.feeds.listing(interaction)

    async def complete_feed(self, interaction: discord.Interaction[Any],
                            current: str) -> list[app_commands.Choice[str]]:
        async with self.tracker.span(interaction.id, "kb:autocomplete", quiet=True):
            return await self.feeds.choices(current)

    @feed.command(name="remove", description="Stop following a feed")
    @app_commands.describe(feed="The feed (its number or URL)")
    @app_commands.autocomplete(feed=complete_feed)
    async def feed_remove(self, interaction: discord.Interaction[Any],
                          feed: app_commands.Range[str, 1, URL_MAX]) -> None:
        async with self.tracker.span(interaction.id, "kb feed remove") as span:
            span.outcome = await self.feeds.remove(interaction, feed)

    @config.command(name="mod-role", description="Add or remove a moderator role for this server")
    @app_commands.describe(role="Members with this role may use moderator commands",
                           remove="Remove the role instead of adding it")
    async def mod_role(self, interaction: discord.Interaction[Any], role: discord.Role,
                       remove: bool = False) -> None:
        async with self.tracker.span(interaction.id, "kb config mod-role") as span:
            span.outcome = await change_mod_role(self.context, interaction, role, remove)


async def setup(bot: LabwireBot) -> None:
    services, settings = bot.services, bot.services.settings
    context = KbContext(services.knowledge, services.moderation, services.entries,
                        services.tracker, settings.view_timeout)
    # Shared knowledge: one process watches the files (the others get its revisions).
    shared = services.moderation.editor.shared
    reloads = Reloads(context, bot, watch=settings.watch,
                      poll_seconds=settings.watch_poll_seconds,
                      active=bot.leading.is_set if shared else None)
    curation = Curation(
        drafts=DraftStore(services.knowledge.root), feeds=FeedStore(services.db),
        guard=AddressGuard(allow_private=settings.fetch_allow_private),
        mod_channel_id=settings.mod_channel_id, feed_poll_seconds=settings.feed_poll_seconds)
    cog = KnowledgeAdmin(context, reloads, curation, bot)
    # Draft cards and feed items keep working after a restart: their buttons are dynamic.
    bot.add_dynamic_items(cog.drafting.button_type, cog.feed_poster.button_type)
    await bot.add_cog(cog)
