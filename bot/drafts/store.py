"""Drafts on disk: ``knowledge/drafts/<id>.yaml``, one file each, kept across restarts.

The engine and the file watcher only read ``articles/``, ``people/``,
``orgs.yaml`` and ``quiz/``, so a draft is invisible to users until it is
published.  Writes are atomic (temporary file, fsync, rename), like every
other knowledge write.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bot.atomic import write_atomic
from bot.drafts.document import DraftFormatError, parse_draft, render_draft
from bot.drafts.model import Draft
from bot.moderation.files import remove_file

log = logging.getLogger(__name__)

DRAFTS_DIR = "drafts"
MAX_DRAFT_BYTES = 64 * 1024  # the same limit as an uploaded article
_DRAFT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class DraftNotFound(LookupError):  # noqa: N818 - reads as a sentence
    def __init__(self, draft_id: str) -> None:
        super().__init__(f"there is no draft '{draft_id[:100]}'")
        self.draft_id = draft_id


@dataclass(frozen=True)
class DraftInfo:
    """One line of ``/kb drafts``: enough to pick a draft, without its notes."""

    id: str
    title: str
    made_at: str
    made_from: str
    problem: str | None = None  # set when the file no longer reads as a draft


class DraftStore:
    """The drafts directory under a knowledge root."""

    def __init__(self, knowledge_root: Path) -> None:
        self.directory = Path(knowledge_root) / DRAFTS_DIR

    def path(self, draft_id: str) -> Path:
        if not _DRAFT_ID.match(draft_id) or ".." in draft_id:
            raise DraftNotFound(draft_id)
        return self.directory / f"{draft_id}.yaml"

    def ids(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.yaml")
                      if p.is_file() and _DRAFT_ID.match(p.stem))

    def count(self) -> int:
        return len(self.ids())

    def save_new(self, draft: Draft) -> Path:
        """Write a new draft; refuse to overwrite one with the same id."""
        path = self.path(draft.id)
        if path.exists():
            raise FileExistsError(f"a draft '{draft.id}' already exists")
        write_atomic(path, render_draft(draft))
        log.info("draft saved", extra={"draft": draft.id, "made_from": draft.notes.made_from})
        return path

    def read_text(self, draft_id: str) -> str:
        try:
            return self.path(draft_id).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DraftNotFound(draft_id) from None

    def read(self, draft_id: str) -> Draft:
        """The draft, parsed; raises DraftNotFound or DraftFormatError."""
        return parse_draft(self.read_text(draft_id), self.display(draft_id))

    def write_text(self, draft_id: str, text: str) -> None:
        """Replace an existing draft's text (the "Edit YAML" path); it must still parse."""
        if not self.path(draft_id).exists():
            raise DraftNotFound(draft_id)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise ValueError(f"a draft may be at most {MAX_DRAFT_BYTES // 1024} KiB")
        parse_draft(text, self.display(draft_id))  # raises DraftFormatError
        write_atomic(self.path(draft_id), text)

    def replace(self, draft: Draft, draft_id: str | None = None) -> None:
        """Write ``draft`` over the file ``draft_id`` (default: its own id)."""
        target = draft_id or draft.id
        if not self.path(target).exists():
            raise DraftNotFound(target)
        write_atomic(self.path(target), render_draft(draft))

    def discard(self, draft_id: str) -> bool:
        path = self.path(draft_id)
        if not path.exists():
            return False
        remove_file(path)
        log.info("draft removed", extra={"draft": draft_id})
        return True

    def list(self) -> list[DraftInfo]:
        """Every draft, newest first; a damaged file is listed with its problem."""
        infos = []
        for draft_id in self.ids():
            try:
                draft = self.read(draft_id)
            except (DraftFormatError, DraftNotFound, OSError, UnicodeDecodeError) as exc:
                infos.append(DraftInfo(draft_id, draft_id, "", "", problem=str(exc)[:200]))
                continue
            infos.append(DraftInfo(draft_id, draft.title or draft_id, draft.notes.made_at,
                                   draft.notes.made_from))
        infos.sort(key=lambda i: (i.made_at, i.id), reverse=True)
        return infos

    def display(self, draft_id: str) -> str:
        """The draft's path as moderators see it: 'drafts/<id>.yaml'."""
        return f"{DRAFTS_DIR}/{draft_id}.yaml"
