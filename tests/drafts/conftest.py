"""Fixtures: the local news site, and the sample knowledge base in a temp dir."""

from __future__ import annotations

import datetime as dt
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from bot.drafts.fetch import Fetcher, FetchLimits
from bot.drafts.guard import AddressGuard
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from tests.drafts.site import site  # noqa: F401 - the fixture
from tests.fake_discord.sample_kb import write_sample_knowledge

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
# The site runs on 127.0.0.1: trusting exactly that address keeps every other
# private address refused, as in production.
SITE_ONLY = AddressGuard(allow_private=False, trusted=frozenset({IPv4Address("127.0.0.1")}))


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    return write_sample_knowledge(tmp_path / "knowledge", with_quiz=False)


@pytest.fixture
def kb(kb_root: Path) -> KnowledgeBase:
    return load_knowledge_or_raise(kb_root)


def site_fetcher(limits: FetchLimits | None = None) -> Fetcher:
    """A fetcher that may reach the test site and no other private address."""
    return Fetcher(SITE_ONLY, limits)
