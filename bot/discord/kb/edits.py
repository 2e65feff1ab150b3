"""``/kb upload``, ``download``, ``history`` and ``revert``, and how an accepted edit is shown.

Every change goes through :class:`bot.moderation.editor.KnowledgeEditor`:
validated on its own and against the rest, written atomically, recorded with its
full before and after text, reloaded.  A refused edit lists every problem.
"""

from __future__ import annotations

import difflib
import io
from typing import Any

import discord
import yaml
from discord import app_commands

from bot.discord import refs
from bot.discord.embeds import BRAND, MUTED, WARN, notice_embed
from bot.discord.entries import entry_title
from bot.discord.kb.context import KbContext
from bot.discord.limits import EMBED_TITLE_MAX
from bot.discord.moderators import actor, problem_lines
from bot.discord.replies import notice, reply
from bot.discord.text import escape_user_text, fit_embed, truncate
from bot.discord.views import send_pages
from bot.knowledge import ENTRY_KINDS, EntryKey, KnowledgeBase
from bot.moderation.editor import MAX_UPLOAD_BYTES, EditOutcome
from bot.moderation.entries import is_upload_kind
from bot.storage.moderation import Revision
from bot.yamldocs.problems import count_text

DIFF_CHARS = 3000
HISTORY_ROWS = 100
HISTORY_ENTRY_MAX = 120
NO_SUCH_ENTRY = "No such entry. Pick one of the suggestions as you type."
UNDO_HINT = "Undo one with `/kb revert revision:<number>`."

KIND_CHOICES = [
    app_commands.Choice(name="article", value="article"),
    app_commands.Choice(name="person", value="person"),
    app_commands.Choice(name="organisation (merged into orgs.yaml)", value="org"),
    app_commands.Choice(name="the whole orgs.yaml", value="orgs"),
]


def _title_in(text: str) -> str | None:
    """The title or name in a removed entry's YAML, to say what was removed."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    found = data.get("title") or data.get("name")
    return str(found) if found else None


def _line_counts(revision: Revision) -> str:
    before = revision.before_text.splitlines()
    after = revision.after_text.splitlines()
    added = removed = 0
    for line in difflib.unified_diff(before, after, lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return f"+{added} −{removed}"


def history_line(revision: Revision) -> str:
    what = (revision.entry or revision.file).replace(",", ", ")
    who = escape_user_text(revision.actor_name or "?") if revision.actor_id else "on disk"
    undo = f" (reverts #{revision.reverts})" if revision.reverts else ""
    return (f"**#{revision.id}** `{revision.created_at:%Y-%m-%d %H:%M}` {revision.kind}{undo} · "
            f"`{truncate(what, HISTORY_ENTRY_MAX)}` · {who} · {_line_counts(revision)}")


def edit_embed(outcome: EditOutcome, kb: KnowledgeBase) -> discord.Embed:
    """What an accepted upload, revert or teach changed, with the diff and how to undo it."""
    revision = outcome.revision
    entry = outcome.entry or outcome.file or "?"
    title = {"added": "Added", "updated": "Updated", "removed": "Removed",
             "unchanged": "No change"}[outcome.change or "unchanged"]
    keys = [k for k in entry.split(",") if k]
    names = ", ".join(entry_title(kb, k) for k in keys[:3]) if keys else entry
    if outcome.change == "removed" and revision is not None:
        names = _title_in(revision.before_text) or names  # no longer in the model
    embed = discord.Embed(title=truncate(f"{title}: {names}", EMBED_TITLE_MAX), colour=BRAND)
    if outcome.change == "unchanged":
        embed.description = outcome.message or "Nothing to change."
        embed.colour = MUTED
        return fit_embed(embed)
    diff = truncate(outcome.diff, DIFF_CHARS).replace("```", "'''")
    embed.description = f"`{outcome.file}`\n```diff\n{diff}\n```"
    if revision is not None:
        embed.add_field(name="Revision", value=f"#{revision.id} · undo with "
                                               f"`/kb revert revision:{revision.id}`", inline=False)
    counts = outcome.counts
    embed.add_field(name="Knowledge now", value=f"{counts.get('articles', 0)} articles, "
                                                f"{counts.get('people', 0)} people, "
                                                f"{counts.get('orgs', 0)} orgs", inline=False)
    return fit_embed(embed)


class Edits:
    def __init__(self, context: KbContext) -> None:
        self.context = context

    @property
    def kb(self) -> KnowledgeBase:
        return self.context.knowledge.kb

    async def upload(self, interaction: discord.Interaction[Any], file: discord.Attachment,
                     kind: str | None) -> str:
        await self.context.require_moderator(interaction, "kb upload", edits=True)
        if file.size > MAX_UPLOAD_BYTES:
            await notice(interaction,
                         f"`{escape_user_text(file.filename)}` is {file.size} bytes; the limit "
                         f"is {MAX_UPLOAD_BYTES // 1024} KiB. Nothing was changed.")
            return "refused:too_big"
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        outcome = await self.context.moderation.editor.upload(
            file.filename, data, actor(interaction),
            kind if kind is not None and is_upload_kind(kind) else None)
        return await self.show(interaction, outcome, "Upload")

    async def show(self, interaction: discord.Interaction[Any], outcome: EditOutcome,
                   verb: str) -> str:
        """Show an edit's result, or every problem that stopped it; return the outcome."""
        if outcome.ok:
            await reply(interaction, embed=edit_embed(outcome, self.kb))
            return outcome.change or "ok"
        if outcome.problems:
            await send_pages(self.context.tracker, interaction,
                             f"{verb} refused: {count_text(outcome.problems)}, "
                             "nothing was changed", problem_lines(outcome.problems),
                             view_timeout=self.context.view_timeout, warn=True)
        else:
            await reply(interaction, embed=fit_embed(discord.Embed(
                title=f"{verb} refused", description=outcome.message, colour=WARN)))
        return "refused:invalid"

    async def download(self, interaction: discord.Interaction[Any], entry: str) -> str:
        await self.context.require_moderator(interaction, "kb download")
        key = self.context.entries.find(ENTRY_KINDS, entry)
        found = await self.context.moderation.editor.download(key) if key else None
        relpath = self.kb.files.get(key) if key else None
        if key is None or found is None or relpath is None:
            await notice(interaction, NO_SUCH_ENTRY)
            return "not_found"
        name, text = found
        note = (f"`{relpath}` · edit it and send it back with `/kb upload`."
                if key.kind != "org" else
                f"This organisation's entry from `{relpath}`; `/kb upload` merges it back.")
        await reply(interaction, embed=notice_embed(note),
                    file=discord.File(io.BytesIO(text.encode("utf-8")), filename=name))
        return "sent"

    def history_key(self, typed: str) -> str:
        """The entry (or quiz) to show the history of; removed entries keep a history too."""
        key = self.context.entries.find(ENTRY_KINDS, typed) or refs.parse_key(typed.strip())
        if key is not None:
            return str(key)
        typed = typed.strip()
        return typed if ":" in typed else str(EntryKey("article", typed))

    async def history(self, interaction: discord.Interaction[Any], entry: str | None) -> str:
        await self.context.require_moderator(interaction, "kb history")
        key = self.history_key(entry) if entry else None
        revisions = await self.context.moderation.revisions.history(key, limit=HISTORY_ROWS)
        if not revisions:
            await notice(interaction, "No changes recorded yet." if key is None else
                         f"No changes recorded for `{escape_user_text(key)}`.")
            return "empty"
        title = f"History of {entry_title(self.kb, key)}" if key else "History"
        await send_pages(self.context.tracker, interaction, title,
                         [history_line(r) for r in revisions],
                         view_timeout=self.context.view_timeout, intro=UNDO_HINT)
        return f"shown:{len(revisions)}"

    async def revert(self, interaction: discord.Interaction[Any], revision: int) -> str:
        await self.context.require_moderator(interaction, "kb revert", edits=True)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.context.moderation.editor.revert(revision, actor(interaction))
        return await self.show(interaction, outcome, "Revert")
