"""``/kb reload``, and reloading by itself when files change (``LABWIRE_WATCH=1``).

Either way the rule is the same: the new version replaces the old one only if
everything validates (the new engine is built in a worker thread).  After each
reload the bot dispatches ``labwire_knowledge_reload`` with the
:class:`~bot.moderation.editor.ReloadReport`, for anything (or any test) that
wants to follow it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.discord.embeds import BRAND
from bot.discord.kb.context import KbContext
from bot.discord.moderators import problem_lines
from bot.discord.replies import reply
from bot.discord.text import fit_embed, join_within
from bot.discord.views import send_pages
from bot.moderation.editor import ReloadReport
from bot.moderation.watch import KnowledgeWatcher
from bot.yamldocs.problems import count_text

log = logging.getLogger(__name__)

RELOADED_EVENT = "labwire_knowledge_reload"
CHANGED_LIST_MAX = 3000
MAX_LOGGED_PROBLEMS = 20


class Reloads:
    def __init__(self, context: KbContext, client: discord.Client, *, watch: bool,
                 poll_seconds: float, active: Callable[[], bool] | None = None) -> None:
        self.context = context
        self.client = client
        self.watcher = KnowledgeWatcher(context.knowledge.root, self.after_file_change,
                                        interval=poll_seconds, active=active) if watch else None

    async def start(self) -> None:
        if self.watcher is not None:
            await self.watcher.start()

    async def stop(self) -> None:
        if self.watcher is not None:
            await self.watcher.stop()

    async def reload(self) -> ReloadReport:
        report = await self.context.moderation.editor.reload()
        self.client.dispatch(RELOADED_EVENT, report)
        return report

    async def after_file_change(self) -> None:
        report = await self.reload()
        if report.ok:
            log.info("knowledge reloaded after a file change",
                     extra={"external": [r.file for r in report.external], **report.counts})
        else:
            log.warning("knowledge files changed but do not validate; still serving the "
                        "previous version", extra={"problems": [
                            str(p) for p in report.problems[:MAX_LOGGED_PROBLEMS]]})

    async def command(self, interaction: discord.Interaction[Any]) -> str:
        await self.context.require_moderator(interaction, "kb reload")
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.reload()
        if not report.ok:
            await send_pages(
                self.context.tracker, interaction,
                f"Reload refused: {count_text(report.problems)}; "
                "still answering from the previous version",
                problem_lines(report.problems), view_timeout=self.context.view_timeout,
                warn=True)
            return "refused:invalid"
        counts = report.counts
        text = f"{counts['articles']} articles, {counts['people']} people, {counts['orgs']} orgs."
        if report.external:
            changed = [f"#{r.id} `{r.file}`" for r in report.external]
            text += ("\n\nChanged on disk since the last reload (see `/kb history`):\n"
                     + join_within(changed, CHANGED_LIST_MAX))
        embed = discord.Embed(title="Knowledge reloaded", description=text, colour=BRAND)
        await reply(interaction, embed=fit_embed(embed))
        return f"reloaded:{len(report.external)}"
