"""Fixtures: a small knowledge base in a temp dir, a database, and the editor over both."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.moderation.editor import KnowledgeEditor
from bot.runtime import KnowledgeService
from bot.storage import Database, open_database, sqlite_url
from bot.storage.moderation import RevisionStore
from tests.moderation.kbfiles import write_kb


class Clock:
    """A settable clock, so tests control what 'now' is."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "knowledge")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database(sqlite_url(tmp_path / "labwire.sqlite3")) as database:
        yield database


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 4, 6, 12, 0, tzinfo=dt.UTC))


@pytest.fixture
async def editor(kb_root: Path, db: Database, clock: Clock) -> KnowledgeEditor:
    ed = KnowledgeEditor(KnowledgeService.load(kb_root), RevisionStore(db), clock)
    await ed.start()
    return ed


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes, to show nothing changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}
