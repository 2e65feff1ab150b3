"""The live knowledge base and engine, swapped atomically on reload.

Adapters (Discord cogs, the terminal chat, moderator tools) read
``service.engine`` once per request and keep using that object, so a reload in
the middle of an answer or a quiz never changes what that request sees.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import KnowledgeBase, Problem, load_knowledge
from bot.search import Engine
from bot.search.dates import Clock, utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadOutcome:
    ok: bool
    problems: tuple[Problem, ...]
    counts: dict[str, int]


def embedding_cache_path(db_path: Path) -> Path:
    """The semantic engine's embedding cache lives next to the database."""
    return db_path.with_name(f"{db_path.stem}.embeddings.npz")


@dataclass(frozen=True)
class EngineOptions:
    """How every engine of a service is built (the same on each reload)."""

    semantic: bool = True  # False: the lexical-only path (LABWIRE_SEMANTIC=0)
    cache_path: Path | None = None

    def build(self, kb: KnowledgeBase, clock: Clock = utc_now) -> Engine:
        return Engine(kb, semantic=self.semantic, cache_path=self.cache_path, clock=clock)


class KnowledgeService:
    """Owns the knowledge directory, the current model and its engine."""

    def __init__(self, root: str | Path, engine: Engine,
                 options: EngineOptions | None = None) -> None:
        self.root = Path(root)
        self._engine = engine
        self._options = options or EngineOptions(semantic=engine.semantic)
        self._reload_lock = threading.Lock()
        self.generation = 1

    @classmethod
    def load(cls, root: str | Path, options: EngineOptions | None = None) -> KnowledgeService:
        """Load ``root``; raises KnowledgeError when it does not validate."""
        from bot.knowledge import load_knowledge_or_raise

        options = options or EngineOptions()
        return cls(root, options.build(load_knowledge_or_raise(root)), options)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def kb(self) -> KnowledgeBase:
        return self._engine.kb

    def reload(self, overrides: dict[str, str] | None = None) -> ReloadOutcome:
        """Re-read the directory; swap in the new engine only if everything validates.

        Synchronous and CPU-bound: call it from a thread in async code.
        """
        with self._reload_lock:
            kb, problems = load_knowledge(self.root, overrides=overrides)
            if kb is None:
                log.warning("reload refused", extra={"problems": len(problems)})
                return ReloadOutcome(False, tuple(problems), self.kb.counts())
            # The new engine keeps the old one's clock (tests set it).
            self._engine = self._options.build(kb, clock=self._engine.clock)
            self.generation += 1
            log.info("knowledge reloaded", extra={"generation": self.generation, **kb.counts()})
            return ReloadOutcome(True, (), kb.counts())
