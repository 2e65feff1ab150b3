"""Fixtures: the local news site (with feeds), the sample knowledge base, a feed store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.feeds.store import FeedStore
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.storage import open_database, sqlite_url
from tests.drafts.site import site  # noqa: F401 - the fixture
from tests.fake_discord.sample_kb import write_sample_knowledge


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return load_knowledge_or_raise(write_sample_knowledge(tmp_path / "knowledge",
                                                          with_quiz=False))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "labwire.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[FeedStore]:
    async with open_database(sqlite_url(db_path)) as db:
        yield FeedStore(db)
