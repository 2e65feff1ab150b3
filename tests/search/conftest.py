from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.search import Engine

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(autouse=True)
def _state_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`labwire ask` keeps its embedding cache next to the database: never in the repo."""
    monkeypatch.setenv("LABWIRE_DB", str(tmp_path / "labwire.sqlite3"))


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge_or_raise(KNOWLEDGE)


@pytest.fixture(scope="session")
def engine(shipped_kb: KnowledgeBase) -> Engine:
    return Engine(shipped_kb)
