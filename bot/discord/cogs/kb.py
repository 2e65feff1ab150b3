"""``/kb``: moderators reload, upload, download, audit, revert and teach the knowledge base.

Hidden from members by default (``default_permissions(manage_guild)``) and
checked again at run time (Manage Server or a moderator role), because server
admins can change who sees a command.  Edits (upload, revert, teach) are
refused outside the curator guilds.  All replies are ephemeral; the audit
trail is ``/kb history``.  The work itself is :class:`bot.moderation.editor.KnowledgeEditor`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import logging
from typing import Any

import discord
import yaml
from discord import app_commands
from discord.ext import commands
from rapidfuzz import fuzz

from bot.discord.client import LabwireBot
from bot.discord.cogs._moderation import (
    actor,
    moderation,
    problem_lines,
    refuse,
    require_moderator,
    send_pages,
    send_private,
)
from bot.discord.embeds import BRAND, KIND_LABELS, MUTED, WARN, notice_embed
from bot.discord.errors import NO_MENTIONS
from bot.discord.refs import decode_ref, encode_ref
from bot.discord.text import (
    CHOICE_NAME_MAX,
    CHOICE_VALUE_MAX,
    SELECT_DESCRIPTION_MAX,
    SELECT_LABEL_MAX,
    SELECT_OPTIONS_MAX,
    escape_user_text,
    fit_embed,
    join_within,
    quote_question,
    truncate,
)
from bot.discord.views import OwnerView
from bot.knowledge import EntryKey, KnowledgeBase, is_entry_kind
from bot.moderation.editor import MAX_UPLOAD_BYTES, EditOutcome
from bot.moderation.entries import find_entry_key
from bot.moderation.insights import (
    QuestionGroup,
    percent,
    teach_candidates,
    unanswered_groups,
    usage_stats,
)
from bot.moderation.watch import watch_enabled, watch_interval, watch_knowledge
from bot.search import Engine
from bot.storage.moderation import Revision

log = logging.getLogger(__name__)

DIFF_CHARS = 3000
UNANSWERED_SHOWN = 10

KIND_CHOICES = [
    app_commands.Choice(name="article", value="article"),
    app_commands.Choice(name="person", value="person"),
    app_commands.Choice(name="organisation (merged into orgs.yaml)", value="org"),
    app_commands.Choice(name="the whole orgs.yaml", value="orgs"),
]


def entry_choices(engine: Engine, current: str) -> list[app_commands.Choice[str]]:
    """Articles, people and orgs matching ``current``, best first, labelled with their kind."""
    refs = [ref for kind in ("article", "person", "org")
            for ref in engine.complete(kind, current, limit=SELECT_OPTIONS_MAX)]
    if current.strip():
        refs.sort(key=lambda r: -fuzz.WRatio(current, r.title))
    return [app_commands.Choice(
        name=truncate(f"{ref.title} ({KIND_LABELS[ref.kind].lower()})", CHOICE_NAME_MAX),
        value=encode_ref(ref.kind, ref.id, room=CHOICE_VALUE_MAX))
        for ref in refs[:SELECT_OPTIONS_MAX]]


def entry_key(kb: KnowledgeBase, value: str) -> EntryKey | None:
    """The entry of a picked choice, a typed 'kind:id' or a bare id; None if unknown."""
    found = decode_ref(kb, value)
    if found is not None and is_entry_kind(found[0]):
        key = EntryKey(found[0], found[1])
        if key in kb.files:
            return key
    return find_entry_key(kb, value)


def history_key(kb: KnowledgeBase, value: str) -> str:
    """Like :func:`entry_key`, but also for entries that were removed (they keep a history)."""
    found = entry_key(kb, value)
    if found is not None:
        return str(found)
    decoded = decode_ref(kb, value)
    if decoded is not None and decoded[0] != "takeaway":
        return f"{decoded[0]}:{decoded[1]}"
    value = value.strip()
    return value if ":" in value else f"article:{value}"


def entry_title(kb: KnowledgeBase, key: str) -> str:
    parsed = EntryKey.try_parse(key)
    entry = kb.get(parsed) if parsed is not None else None
    if entry is None:
        return key
    return str(getattr(entry, "title", None) or getattr(entry, "name", entry.id))


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
    import difflib

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
            f"`{truncate(what, 120)}` · {who} · {_line_counts(revision)}")


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
    embed = discord.Embed(title=truncate(f"{title}: {names}", 256), colour=BRAND)
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


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class KnowledgeAdmin(commands.GroupCog, group_name="kb",
                     group_description="Moderators: edit, audit and reload the knowledge base"):
    config = app_commands.Group(name="config", description="Moderators: settings for this server")

    def __init__(self, bot: LabwireBot) -> None:
        self.bot = bot
        self.services = moderation(bot)
        self._watch_stop = asyncio.Event()
        self._watch_task: asyncio.Task[None] | None = None
        self.watch_ready = asyncio.Event()  # set once the watcher knows the starting files
        self.watch_reloads = 0
        self._watch_reloaded = asyncio.Condition()

    async def cog_load(self) -> None:
        await self.services.start()
        env = dict(self.bot.config.env)
        if watch_enabled(env):
            self._watch_task = asyncio.create_task(
                watch_knowledge(self.bot.service.root, self.reload_after_file_change,
                                interval=watch_interval(env), stop=self._watch_stop,
                                ready=self.watch_ready), name="labwire-watch")

    async def cog_unload(self) -> None:
        # Stop between polls rather than cancel, so a reload's database write completes.
        self._watch_stop.set()
        if self._watch_task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._watch_task), timeout=10)

    async def reload_after_file_change(self) -> None:
        report = await self.services.editor.reload()
        if report.ok:
            log.info("knowledge reloaded after a file change",
                     extra={"external": [r.file for r in report.external], **report.counts})
        else:
            log.warning("knowledge files changed but do not validate; still serving the "
                        "previous version", extra={"problems": [str(p) for p in
                                                                report.problems[:20]]})
        async with self._watch_reloaded:
            self.watch_reloads += 1
            self._watch_reloaded.notify_all()

    async def wait_for_watch_reloads(self, count: int) -> None:
        """Until the watcher has reloaded ``count`` times (for tests, no sleeping)."""
        async with self._watch_reloaded:
            await self._watch_reloaded.wait_for(lambda: self.watch_reloads >= count)

    # ------------------------------------------------------------------ reload

    @app_commands.command(name="reload", description="Re-read knowledge/ from disk; keeps the "
                                                     "current version if anything is wrong")
    async def reload(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "kb reload") as span:
            await require_moderator(self.bot, interaction, "kb reload")
            await interaction.response.defer(ephemeral=True, thinking=True)
            report = await self.services.editor.reload()
            if not report.ok:
                await send_pages(
                    self.bot, interaction,
                    f"Reload refused: {len(report.problems)} problem(s); "
                    "still answering from the previous version",
                    problem_lines(report.problems), warn=True)
                span.outcome = "refused:invalid"
                return
            counts = report.counts
            text = (f"{counts['articles']} articles, {counts['people']} people, "
                    f"{counts['orgs']} orgs.")
            if report.external:
                changed = [f"#{r.id} `{r.file}`" for r in report.external]
                text += "\n\nChanged on disk since the last reload (see `/kb history`):\n" + \
                    join_within(changed, 3000)
            embed = discord.Embed(title="Knowledge reloaded", description=text, colour=BRAND)
            await send_private(interaction, embed=fit_embed(embed))
            span.outcome = f"reloaded:{len(report.external)}"

    # ------------------------------------------------------------------ upload / download

    @app_commands.command(name="upload", description="Add or replace one article, person or "
                                                     "organisation from a YAML file")
    @app_commands.describe(file="A .yaml file, at most 64 KiB",
                           kind="Only needed when a person could be mistaken for an organisation")
    @app_commands.choices(kind=KIND_CHOICES)
    async def upload(self, interaction: discord.Interaction[Any], file: discord.Attachment,
                     kind: app_commands.Choice[str] | None = None) -> None:
        async with self.bot.tracker.span(interaction.id, "kb upload") as span:
            await require_moderator(self.bot, interaction, "kb upload", edits=True)
            if file.size > MAX_UPLOAD_BYTES:
                await send_private(interaction, embed=notice_embed(
                    f"`{escape_user_text(file.filename)}` is {file.size} bytes; the limit is "
                    f"{MAX_UPLOAD_BYTES // 1024} KiB. Nothing was changed."))
                span.outcome = "refused:too_big"
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            data = await file.read()
            outcome = await self.services.editor.upload(
                file.filename, data, actor(interaction),
                kind.value if kind else None)  # type: ignore[arg-type]
            span.outcome = await self.reply_edit(interaction, outcome, "Upload")

    async def reply_edit(self, interaction: discord.Interaction[Any], outcome: EditOutcome,
                         verb: str) -> str:
        """Show an edit's result, or every problem that stopped it; return the outcome."""
        if outcome.ok:
            await send_private(interaction, embed=edit_embed(outcome, self.bot.service.kb))
            return outcome.change or "ok"
        if outcome.problems:
            await send_pages(self.bot, interaction,
                             f"{verb} refused: {len(outcome.problems)} problem(s), "
                             "nothing was changed", problem_lines(outcome.problems), warn=True)
        else:
            await send_private(interaction, embed=fit_embed(discord.Embed(
                title=f"{verb} refused", description=outcome.message, colour=WARN)))
        return "refused:invalid"

    @app_commands.command(name="download", description="Get an entry's YAML file to edit and "
                                                       "upload again")
    @app_commands.describe(entry="Start typing a title or a name")
    async def download(self, interaction: discord.Interaction[Any],
                       entry: app_commands.Range[str, 1, 200]) -> None:
        async with self.bot.tracker.span(interaction.id, "kb download") as span:
            await require_moderator(self.bot, interaction, "kb download")
            key = entry_key(self.bot.service.kb, entry)
            found = await self.services.editor.download(key) if key else None
            if key is None or found is None:
                await send_private(interaction, embed=notice_embed(
                    "No such entry. Pick one of the suggestions as you type."))
                span.outcome = "not_found"
                return
            name, text = found
            relpath = self.bot.service.kb.files[key]
            note = (f"`{relpath}` · edit it and send it back with `/kb upload`."
                    if key.kind != "org" else
                    f"This organisation's entry from `{relpath}`; `/kb upload` merges it back.")
            await send_private(interaction, embed=notice_embed(note),
                               file=discord.File(io.BytesIO(text.encode("utf-8")), filename=name))
            span.outcome = "sent"

    @download.autocomplete("entry")
    async def download_complete(self, interaction: discord.Interaction[Any],
                                current: str) -> list[app_commands.Choice[str]]:
        return await self._complete(interaction, current)

    async def _complete(self, interaction: discord.Interaction[Any],
                        current: str) -> list[app_commands.Choice[str]]:
        async with self.bot.tracker.span(interaction.id, "kb:autocomplete", quiet=True):
            return entry_choices(self.bot.service.engine, current)

    # ------------------------------------------------------------------ history / revert

    @app_commands.command(name="history", description="Recent changes to the knowledge base, "
                                                      "newest first")
    @app_commands.describe(entry="Only this entry (start typing a title or a name)")
    async def history(self, interaction: discord.Interaction[Any],
                      entry: app_commands.Range[str, 1, 200] | None = None) -> None:
        async with self.bot.tracker.span(interaction.id, "kb history") as span:
            await require_moderator(self.bot, interaction, "kb history")
            key = history_key(self.bot.service.kb, entry) if entry else None
            revisions = await self.services.revisions.history(key, limit=100)
            title = f"History of {entry_title(self.bot.service.kb, key)}" if key else "History"
            if not revisions:
                await send_private(interaction, embed=notice_embed(
                    "No changes recorded yet." if key is None else
                    f"No changes recorded for `{escape_user_text(key)}`."))
                span.outcome = "empty"
                return
            await send_pages(self.bot, interaction, title, [history_line(r) for r in revisions],
                             intro="Undo one with `/kb revert revision:<number>`.")
            span.outcome = f"shown:{len(revisions)}"

    @history.autocomplete("entry")
    async def history_complete(self, interaction: discord.Interaction[Any],
                               current: str) -> list[app_commands.Choice[str]]:
        return await self._complete(interaction, current)

    @app_commands.command(name="revert", description="Put back what a change replaced (itself "
                                                     "recorded as a change)")
    @app_commands.describe(revision="The number from /kb history")
    async def revert(self, interaction: discord.Interaction[Any],
                     revision: app_commands.Range[int, 1]) -> None:
        async with self.bot.tracker.span(interaction.id, "kb revert") as span:
            await require_moderator(self.bot, interaction, "kb revert", edits=True)
            await interaction.response.defer(ephemeral=True, thinking=True)
            outcome = await self.services.editor.revert(revision, actor(interaction))
            span.outcome = await self.reply_edit(interaction, outcome, "Revert")

    # ------------------------------------------------------------------ teach / unanswered

    @app_commands.command(name="teach", description="Add a way of asking to an entry, so the "
                                                    "bot answers it next time")
    @app_commands.describe(entry="The entry that answers the question",
                           question="The question as people ask it")
    async def teach(self, interaction: discord.Interaction[Any],
                    entry: app_commands.Range[str, 1, 200],
                    question: app_commands.Range[str, 1, 300]) -> None:
        async with self.bot.tracker.span(interaction.id, "kb teach") as span:
            await require_moderator(self.bot, interaction, "kb teach", edits=True)
            key = entry_key(self.bot.service.kb, entry)
            if key is None:
                await send_private(interaction, embed=notice_embed(
                    "No such entry. Pick one of the suggestions as you type."))
                span.outcome = "not_found"
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            outcome = await self.services.editor.teach(key, question, actor(interaction))
            span.outcome = await self.reply_edit(interaction, outcome, "Teach")

    @teach.autocomplete("entry")
    async def teach_complete(self, interaction: discord.Interaction[Any],
                             current: str) -> list[app_commands.Choice[str]]:
        return await self._complete(interaction, current)

    def _guild_scope(self, interaction: discord.Interaction[Any]) -> int | None:
        """Curators see every guild's questions; other guilds only their own."""
        if self.services.policy.sees_all_guilds(interaction.guild_id):
            return None
        return interaction.guild_id

    @app_commands.command(name="unanswered", description="What people asked that the bot could "
                                                         "not answer, most asked first")
    @app_commands.describe(days="Look back this many days (default 7)")
    async def unanswered(self, interaction: discord.Interaction[Any],
                         days: app_commands.Range[int, 1, 90] = 7) -> None:
        async with self.bot.tracker.span(interaction.id, "kb unanswered") as span:
            await require_moderator(self.bot, interaction, "kb unanswered")
            since = self.services.clock() - dt.timedelta(days=days)
            groups = await unanswered_groups(self.services.insights, since,
                                             self._guild_scope(interaction))
            if not groups:
                await send_private(interaction, embed=notice_embed(
                    f"No unanswered questions in the last {days} day(s)."))
                span.outcome = "empty"
                return
            can_teach = self.services.policy.may_edit_knowledge(interaction.guild_id)
            view = UnansweredView(self.bot, interaction.user.id, groups) if can_teach else None
            embed = unanswered_embed(groups, days, can_teach)
            if view is None:
                await send_private(interaction, embed=embed)
            else:
                await send_private(interaction, embed=embed, view=view)
                view.bind(interaction)
            span.outcome = f"shown:{len(groups)}"

    @app_commands.command(name="stats", description="Questions, answers and feedback over a "
                                                    "period")
    @app_commands.describe(days="Look back this many days (default 30)")
    async def stats(self, interaction: discord.Interaction[Any],
                    days: app_commands.Range[int, 1, 90] = 30) -> None:
        async with self.bot.tracker.span(interaction.id, "kb stats") as span:
            await require_moderator(self.bot, interaction, "kb stats")
            since = self.services.clock() - dt.timedelta(days=days)
            kb = self.bot.service.kb
            usage = await usage_stats(self.services.insights, since,
                                      self._guild_scope(interaction), kb.counts())
            embed = discord.Embed(title=f"Labwire, last {days} day(s)", colour=BRAND)
            counts = usage.knowledge
            embed.add_field(name="Knowledge", value=f"{counts['articles']} articles, "
                            f"{counts['people']} people, {counts['orgs']} orgs", inline=False)
            embed.add_field(name="Questions", value=f"{usage.asked} asked, {usage.answered} "
                            f"answered ({percent(usage.answered_share)})", inline=True)
            embed.add_field(name="Feedback", value=f"{usage.upvotes} 👍 / {usage.downvotes} 👎 "
                            f"({percent(usage.feedback_ratio)} positive)", inline=True)
            if usage.per_day:
                days_text = [f"`{d.day:%m-%d}` {d.asked} asked, {d.answered} answered"
                             for d in usage.per_day[-14:]]
                embed.add_field(name="Per day", value=join_within(days_text, 1000), inline=False)
            if usage.top_entries:
                top = [f"{n}× {escape_user_text(entry_title(kb, key))}"
                       for key, n in usage.top_entries]
                embed.add_field(name="Most answered", value=join_within(top, 1000), inline=False)
            await send_private(interaction, embed=fit_embed(embed))
            span.outcome = "shown"

    # ------------------------------------------------------------------ config

    @config.command(name="mod-role", description="Add or remove a moderator role for this server")
    @app_commands.describe(role="Members with this role may use moderator commands",
                           remove="Remove the role instead of adding it")
    async def mod_role(self, interaction: discord.Interaction[Any], role: discord.Role,
                       remove: bool = False) -> None:
        async with self.bot.tracker.span(interaction.id, "kb config mod-role") as span:
            # Only Manage Server may decide who moderates; a mod role cannot grant itself more.
            if interaction.guild_id is None or not interaction.permissions.manage_guild:
                refuse(interaction, "kb config mod-role", "not_manager",
                       "Only members with Manage Server can choose moderator roles.")
            guild_id = interaction.guild_id
            if remove:
                removed = await self.services.roles.remove(guild_id, role.id)
                done = "removed" if removed else "was not a moderator role"
            else:
                await self.services.roles.add(guild_id, role.id, interaction.user.id,
                                              self.services.clock())
                done = "added"
            roles = sorted(await self.services.roles.roles(guild_id))
            listed = ", ".join(f"<@&{r}>" for r in roles) or "none (Manage Server only)"
            await send_private(interaction, embed=notice_embed(
                f"{role.mention} {done}. Moderator roles here: {listed}."))
            log.info("moderator roles changed", extra={"guild_id": guild_id, "role_id": role.id,
                                                       "removed": remove,
                                                       "by": interaction.user.id})
            span.outcome = "removed" if remove else "added"


def unanswered_embed(groups: list[QuestionGroup], days: int, can_teach: bool) -> discord.Embed:
    lines = []
    for number, group in enumerate(groups[:UNANSWERED_SHOWN], 1):
        votes = f" · {group.downvotes} 👎" if group.downvotes else ""
        line = (f"**{number}.** “{quote_question(group.question, 150)}” — {group.count}× · "
                f"last {group.last_asked:%Y-%m-%d}{votes}")
        if group.variants:
            line += "\n  also: " + "; ".join(quote_question(v, 60) for v in group.variants[:2])
        lines.append(line)
    if len(groups) > UNANSWERED_SHOWN:
        lines.append(f"…and {len(groups) - UNANSWERED_SHOWN} more group(s).")
    footer = ("Pick a question below to teach the bot which entry answers it." if can_teach
              else "Teaching happens in the curators' server.")
    embed = discord.Embed(title=f"Unanswered questions, last {days} day(s)",
                          description=join_within(lines, 3900), colour=BRAND)
    embed.set_footer(text=footer)
    return fit_embed(embed)


class UnansweredView(OwnerView):
    """Pick a question group, then the entry that answers it; the question is taught."""

    command = "kb:teach"
    refusal = "This list belongs to the moderator who opened it. Use /kb unanswered yourself."

    def __init__(self, bot: LabwireBot, owner_id: int, groups: list[QuestionGroup]) -> None:
        super().__init__(bot, owner_id)
        self.groups = groups[:SELECT_OPTIONS_MAX]
        self.group: QuestionGroup | None = None
        self.group_select: discord.ui.Select[UnansweredView] = discord.ui.Select(
            custom_id="kb:teach:group", placeholder="Teach: pick a question…", options=[
                discord.SelectOption(
                    label=truncate(f"{i + 1}. {g.question}", SELECT_LABEL_MAX), value=str(i),
                    description=truncate(f"asked {g.count}×, last {g.last_asked:%Y-%m-%d}",
                                         SELECT_DESCRIPTION_MAX))
                for i, g in enumerate(self.groups)])
        self.group_select.callback = self.pick_group  # type: ignore[method-assign]
        self.add_item(self.group_select)
        self.entry_select: discord.ui.Select[UnansweredView] = discord.ui.Select(
            custom_id="kb:teach:entry", placeholder="Which entry answers it?")
        self.entry_select.callback = self.pick_entry  # type: ignore[method-assign]

    async def pick_group(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, self.command) as span:
            self.group = self.groups[int(self.group_select.values[0])]
            refs = teach_candidates(self.bot.service.engine, self.group)
            self.entry_select.options = [
                discord.SelectOption(
                    label=truncate(r.title, SELECT_LABEL_MAX), value=encode_ref(r.kind, r.id),
                    description=KIND_LABELS[r.kind])
                for r in refs] or [discord.SelectOption(label="No suggestions", value="none")]
            self.entry_select.disabled = not refs
            self.clear_items()
            self.add_item(self.entry_select)
            embed = discord.Embed(
                title="Teach", colour=BRAND,
                description=f"Which entry answers “{quote_question(self.group.question, 300)}”?"
                            "\nIt is added to that entry's questions and the bot answers it from "
                            "now on. Not listed? Use `/kb teach`.")
            await interaction.response.edit_message(embed=embed, view=self)
            span.outcome = f"picked_group:{len(refs)}"

    async def pick_entry(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, self.command) as span:
            kb = self.bot.service.kb
            values = self.entry_select.values
            key = entry_key(kb, values[0]) if values else None
            if self.group is None or key is None:
                await interaction.response.edit_message(
                    embed=notice_embed("That entry is gone; run /kb unanswered again."),
                    view=None)
                span.outcome = "gone"
                return
            await interaction.response.defer()
            outcome = await moderation(self.bot).editor.teach(key, self.group.question,
                                                              actor(interaction))
            if outcome.ok:
                embed = edit_embed(outcome, self.bot.service.kb)
                embed.title = truncate(f"Taught: {entry_title(kb, str(key))}", 256)
            else:
                problems = "\n".join(problem_lines(outcome.problems))
                embed = fit_embed(discord.Embed(title="Teach refused", colour=WARN,
                                                description=outcome.message or problems))
            await interaction.edit_original_response(embed=embed, view=None,
                                                     allowed_mentions=NO_MENTIONS)
            self.stop()
            span.outcome = (outcome.change or "ok") if outcome.ok else "refused"


async def setup(bot: LabwireBot) -> None:
    await bot.add_cog(KnowledgeAdmin(bot))
