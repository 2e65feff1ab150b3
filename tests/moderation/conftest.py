"""Fixtures: a small knowledge base in a temp dir, a database, and the editor over both
(with the settable ``clock`` from ``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.moderation.editor import KnowledgeEditor
from bot.runtime import KnowledgeService
from bot.storage import Database, open_database, sqlite_url
from bot.storage.moderation import RevisionStore
from tests.clock import SettableClock
from tests.moderation.kbfiles import write_kb


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "knowledge")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database(sqlite_url(tmp_path / "labwire.sqlite3")) as database:
        yield database


@pytest.fixture
async def editor(kb_root: Path, db: Database, clock: SettableClock) -> KnowledgeEditor:
    ed = KnowledgeEditor(KnowledgeService.load(kb_root), RevisionStore(db), clock)
    await ed.start()
    return ed
