from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.search import Engine

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge_or_raise(KNOWLEDGE)


@pytest.fixture(scope="session")
def engine(shipped_kb: KnowledgeBase) -> Engine:
    return Engine(shipped_kb)
