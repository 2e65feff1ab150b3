"""Validated, audited, atomic edits of the knowledge directory, and reloads.

Every change goes the same way: validate the new file text on its own and
against the rest of the knowledge base, write it atomically, reload the live
model, record a revision with the full before and after text.  If anything
fails before the reload succeeds, the file is put back as it was, so a refused
edit loses nothing and the bot keeps serving the last good model.

One asyncio lock serialises edits, reloads and the watcher, so a revision's
before-text is always what was on disk when the edit was made.

With PostgreSQL (``shared``) the revisions are the one knowledge state of every
process: each process writes the newest stored text of every revised file over
its shipped files (:meth:`KnowledgeEditor.apply_stored`, at start, before each
edit, and whenever :mod:`bot.moderation.sync` hears of a new revision), and an
edit is recorded only if no other process changed the same file meanwhile.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.clock import Clock, utc_now
from bot.folding import fold
from bot.knowledge import EntryKey, Problem, load_knowledge
from bot.knowledge.loader import ORGS_FILE
from bot.moderation import yamltext
from bot.moderation.entries import (
    UploadKind,
    entries_in_file,
    entry_text,
    plan_upload,
    short_diff,
)
from bot.moderation.files import read_knowledge_texts, read_text_or_empty, write_or_remove
from bot.runtime import KnowledgeService
from bot.storage.moderation import (
    NewRevision,
    Revision,
    RevisionConflictError,
    RevisionKind,
    RevisionStore,
    sha256_text,
)

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 64 * 1024
Change = Literal["added", "updated", "removed", "unchanged"]


@dataclass(frozen=True)
class Actor:
    """Who asked for a change, for the audit trail."""

    user_id: int | None
    name: str
    guild_id: int | None = None


@dataclass(frozen=True)
class EditOutcome:
    """What an upload, revert or teach did, or why it was refused."""

    ok: bool
    problems: tuple[Problem, ...] = ()
    message: str = ""
    change: Change | None = None
    file: str | None = None
    entry: str | None = None
    diff: str = ""
    revision: Revision | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ReloadReport:
    ok: bool
    problems: tuple[Problem, ...]
    counts: dict[str, int]
    external: tuple[Revision, ...] = ()


def _refused(problems: Collection[Problem] = (), message: str = "") -> EditOutcome:
    return EditOutcome(False, tuple(problems), message=message)


class KnowledgeEditor:
    """The one way the bot changes ``knowledge/`` and swaps the model."""

    def __init__(
        self,
        service: KnowledgeService,
        revisions: RevisionStore,
        clock: Clock = utc_now,
        *,
        shared: bool = False,
    ) -> None:
        self.service = service
        self.revisions = revisions
        self.clock = clock
        # Knowledge shared by several processes through the database (PostgreSQL).
        self.shared = shared
        self._applied_revision = 0  # every stored revision up to this one is on disk
        self._lock = asyncio.Lock()

    @property
    def root(self) -> Path:
        return self.service.root

    # -- reload and external changes -------------------------------------------------

    async def start(self) -> list[Revision]:
        """Compare the files with what the last run saw; record differences as external.

        Shared knowledge first takes every stored revision, so the shipped files of a
        process starting later are not mistaken for edits undoing them.
        """
        async with self._lock:
            if self.shared:
                await self._apply_stored()
            texts = await asyncio.to_thread(read_knowledge_texts, self.root)
            return await self._record_external(texts)

    async def apply_stored(self) -> list[str]:
        """Apply revisions other processes recorded; return the files that changed here."""
        async with self._lock:
            return await self._apply_stored()

    async def _apply_stored(self) -> list[str]:
        stored = await self.revisions.texts_after(self._applied_revision)
        self._applied_revision = stored.newest_id
        changed = {}
        for file, text in stored.texts.items():
            if await asyncio.to_thread(read_text_or_empty, self.root / file) != text:
                changed[file] = text
        if not changed:
            return []
        before = {file: await asyncio.to_thread(read_text_or_empty, self.root / file)
                  for file in changed}
        for file, text in changed.items():
            await asyncio.to_thread(write_or_remove, self.root / file, text)
        texts = await asyncio.to_thread(read_knowledge_texts, self.root)
        outcome = await asyncio.to_thread(self.service.reload, texts)
        if not outcome.ok:  # validated where it was made; these shipped files differ
            for file, text in before.items():
                await asyncio.to_thread(write_or_remove, self.root / file, text)
            log.warning("stored knowledge revisions do not validate with this process's "
                        "files; still serving the previous version",
                        extra={"files": sorted(changed), "revision": stored.newest_id,
                               "problems": [str(p) for p in outcome.problems[:20]]})
            return []
        log.info("applied stored knowledge revisions",
                 extra={"files": sorted(changed), "revision": stored.newest_id})
        return sorted(changed)

    async def reload(self) -> ReloadReport:
        """Re-read the directory; swap the model only if everything validates."""
        async with self._lock:
            texts = await asyncio.to_thread(read_knowledge_texts, self.root)
            # Load exactly the texts we fingerprint, so the snapshot matches the model.
            outcome = await asyncio.to_thread(self.service.reload, texts)
            if not outcome.ok:
                return ReloadReport(False, self._relative(outcome.problems), outcome.counts)
            external = await self._record_external(texts)
            return ReloadReport(True, (), outcome.counts, tuple(external))

    async def _record_external(
        self, texts: dict[str, str], skip: Collection[str] = ()
    ) -> list[Revision]:
        seen = await self.revisions.seen_files()
        if not seen:  # a new database: take the files as they are, report nothing
            await self.revisions.record([], dict(texts), self.clock())
            return []
        changes: list[NewRevision] = []
        updates: dict[str, str | None] = {}
        for file in sorted(set(seen) | set(texts)):
            if file in skip:
                continue
            old = seen.get(file)
            new = texts.get(file)
            if old is not None and new is not None and old.sha256 == sha256_text(new):
                continue
            before, after = (old.text if old else ""), (new or "")
            changes.append(NewRevision("external", file, before, after,
                                       entry=entries_in_file(file, before, after)))
            updates[file] = new
        if not changes:
            return []
        recorded = await self.revisions.record(changes, updates, self.clock())
        log.info("external knowledge changes", extra={"files": [r.file for r in recorded]})
        return recorded

    # -- edits -------------------------------------------------------------------------

    async def upload(
        self, filename: str, data: bytes, actor: Actor, kind: UploadKind | None = None,
        *, create_only: bool = False,
    ) -> EditOutcome:
        """Validate one article/person/org file and put it where it belongs.

        ``create_only`` refuses to replace an existing entry (publishing a draft
        must never overwrite a story that happens to have the same id).
        """
        display = Path(filename).name[:100] or "upload.yaml"
        if len(data) > MAX_UPLOAD_BYTES:
            return _refused([Problem(display, 1, 1, f"the file is {len(data)} bytes; the limit "
                                                    f"is {MAX_UPLOAD_BYTES // 1024} KiB")])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return _refused([Problem(display, 1, 1, f"the file is not UTF-8 text ({exc.reason} "
                                                    f"at byte {exc.start})")])
        async with self._lock:
            await self._catch_up()
            orgs_text = await asyncio.to_thread(read_text_or_empty, self.root / ORGS_FILE)
            plan, problems = plan_upload(text, display, self.service.kb, {ORGS_FILE: orgs_text},
                                         kind)
            if plan is None:
                return _refused(problems)
            key = plan.entry_key
            if create_only and key is not None and key in self.service.kb.files:
                return _refused(message=f"`{key}` already exists; give the new entry "
                                        "another id.")
            return await self._apply(plan.relpath, plan.text, "upload", actor,
                                     str(key) if key else None)

    async def revert(self, revision_id: int, actor: Actor) -> EditOutcome:
        """Put back a revision's before-text, if nothing changed the file since."""
        async with self._lock:
            await self._catch_up()
            revision = await self.revisions.get(revision_id)
            if revision is None:
                return _refused(message=f"There is no revision #{revision_id}.")
            current = await asyncio.to_thread(read_text_or_empty, self.root / revision.file)
            if current != revision.after_text:
                return _refused(message=await self._changed_since(revision))
            return await self._apply(revision.file, revision.before_text, "revert", actor,
                                     revision.entry, reverts=revision.id)

    async def _changed_since(self, revision: Revision) -> str:
        latest = await self.revisions.latest_for_file(revision.file)
        if latest is not None and latest.id != revision.id:
            later = f"revision #{latest.id} ({latest.kind}) changed it later"
        else:
            later = "it was edited on disk since (`/kb reload` records that)"
        return (f"`{revision.file}` is no longer what revision #{revision.id} left: {later}. "
                "Revert the later change first, so nothing is lost.")

    async def teach(self, entry_key: EntryKey, question: str, actor: Actor) -> EditOutcome:
        """Append ``question`` to the entry's ``questions`` in its YAML file."""
        question = " ".join(question.split())
        if not question:
            return _refused(message="The question is empty.")
        async with self._lock:
            await self._catch_up()
            kb = self.service.kb
            entry_key = kb.resolve(entry_key) or entry_key  # an id from before a rename
            kind, entry_id = entry_key.kind, entry_key.id
            entry = kb.get(entry_key)
            relpath = kb.files.get(entry_key)
            if entry is None or relpath is None:
                return _refused(message=f"There is no entry `{entry_key}`.")
            known = {fold(q) for q in entry.questions}
            if fold(question) in known:
                return EditOutcome(True, change="unchanged", file=relpath, entry=str(entry_key),
                                   message="That question is already listed for this entry.",
                                   counts=kb.counts())
            text = await asyncio.to_thread(read_text_or_empty, self.root / relpath)
            try:
                new_text = yamltext.append_question(text, kind, entry_id, question)
            except yamltext.LayoutError as exc:
                return _refused(message=f"Cannot add the question to `{relpath}`: {exc}.")
            if not _only_question_added(text, new_text, kind, entry_id, question):
                return _refused(message=f"Cannot add the question to `{relpath}` safely; "
                                        "edit the file by hand.")
            return await self._apply(relpath, new_text, "teach", actor, str(entry_key))

    async def _catch_up(self) -> None:
        """Before an edit, take every other process's edits (shared knowledge only)."""
        if self.shared:
            await self._apply_stored()

    async def download(self, entry_key: EntryKey) -> tuple[str, str] | None:
        """``(file name, YAML text)`` of one entry, or None if there is no such entry."""
        entry_key = self.service.kb.resolve(entry_key) or entry_key  # an id from before a rename
        relpath = self.service.kb.files.get(entry_key)
        if relpath is None:
            return None
        text = await asyncio.to_thread(read_text_or_empty, self.root / relpath)
        try:
            return entry_text(self.service.kb, entry_key, text)
        except yamltext.LayoutError:
            return None

    async def _apply(
        self,
        relpath: str,
        new_text: str,
        kind: RevisionKind,
        actor: Actor,
        entry: str | None,
        reverts: int | None = None,
    ) -> EditOutcome:
        """Validate, write, reload, record; on any refusal the file is as before."""
        path = self.root / relpath
        before = await asyncio.to_thread(read_text_or_empty, path)
        if before == new_text:
            return EditOutcome(True, change="unchanged", file=relpath, entry=entry,
                               message="The file already has exactly this content.",
                               counts=self.service.kb.counts())
        problems = await asyncio.to_thread(self._validate, relpath, new_text)
        if problems:
            return _refused(problems)
        await asyncio.to_thread(write_or_remove, path, new_text)
        texts = await asyncio.to_thread(read_knowledge_texts, self.root)
        outcome = await asyncio.to_thread(self.service.reload, texts)
        if not outcome.ok:  # something else on disk changed meanwhile: undo ours
            await asyncio.to_thread(write_or_remove, path, before)
            return _refused(self._relative(outcome.problems))
        await self._record_external(texts, skip={relpath})
        entry = entry or entries_in_file(relpath, before, new_text)
        revision = NewRevision(kind, relpath, before, new_text, entry=entry,
                               actor_id=actor.user_id, actor_name=actor.name,
                               guild_id=actor.guild_id, reverts=reverts)
        try:
            recorded = await self.revisions.record(
                [revision], {relpath: new_text or None}, self.clock(),
                based_on={relpath: before} if self.shared else None)
        except RevisionConflictError as exc:  # another process was quicker: undo ours
            await asyncio.to_thread(write_or_remove, path, before)
            await asyncio.to_thread(self.service.reload,
                                    await asyncio.to_thread(read_knowledge_texts, self.root))
            return _refused(message=f"`{relpath}` was changed by revision #{exc.revision_id} "
                                    "at the same moment; look at it and try again.")
        change: Change = "added" if not before else "removed" if not new_text else "updated"
        log.info("knowledge edited", extra={"kind": kind, "file": relpath, "entry": entry,
                                            "actor_id": actor.user_id, "guild_id": actor.guild_id,
                                            "revision": recorded[0].id})
        return EditOutcome(True, change=change, file=relpath, entry=entry,
                           diff=short_diff(before, new_text, relpath), revision=recorded[0],
                           counts=outcome.counts)

    def _validate(self, relpath: str, new_text: str) -> tuple[Problem, ...]:
        """Problems the whole knowledge base would have with ``relpath`` changed."""
        if new_text:
            _, problems = load_knowledge(self.root, overrides={relpath: new_text})
            return self._relative(problems)
        # Overrides cannot express a deletion: check a copy without the file.
        with tempfile.TemporaryDirectory(prefix="labwire-check-") as tmp:
            copy_root = Path(tmp) / "knowledge"
            shutil.copytree(self.root, copy_root)
            (copy_root / relpath).unlink(missing_ok=True)
            _, problems = load_knowledge(copy_root)
            return self._relative(problems, copy_root)

    def _relative(
        self, problems: Collection[Problem], root: Path | None = None
    ) -> tuple[Problem, ...]:
        """Show files relative to the knowledge root ('articles/x.yaml'), as moderators see them."""
        base = (root or self.root).resolve()
        out = []
        for problem in problems:
            try:
                name = Path(problem.file).resolve().relative_to(base).as_posix()
            except ValueError:
                name = problem.file
            out.append(dataclasses.replace(problem, file=name))
        return tuple(out)


def _only_question_added(old: str, new: str, kind: str, entry_id: str, question: str) -> bool:
    """Check on the parsed data that the edit appended ``question`` and nothing else."""
    try:
        old_data: Any = yaml.safe_load(old)
        new_data: Any = yaml.safe_load(new)
    except yaml.YAMLError:
        return False
    expected = copy.deepcopy(old_data)
    target = expected
    if kind == "org":
        target = next((o for o in expected.get("orgs", []) if o.get("id") == entry_id), None)
    if not isinstance(target, dict):
        return False
    target["questions"] = [*(target.get("questions") or []), question]
    return bool(expected == new_data)
