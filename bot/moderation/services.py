"""The moderator tools' services for one running bot, built once and shared.

The ``/kb``, ``/briefing`` and ``/privacy`` commands all use the same editor
(whose lock serialises every change to ``knowledge/``), the same stores and the
same clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock, utc_now
from bot.moderation.editor import KnowledgeEditor
from bot.moderation.permissions import ModerationPolicy
from bot.runtime import KnowledgeService
from bot.storage.database import Database
from bot.storage.moderation import (
    BriefingStore,
    InsightStore,
    ModRoleStore,
    PrivacyStore,
    RevisionStore,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModerationServices:
    editor: KnowledgeEditor
    revisions: RevisionStore
    roles: ModRoleStore
    briefings: BriefingStore
    insights: InsightStore
    privacy: PrivacyStore
    policy: ModerationPolicy
    clock: Clock

    @classmethod
    def build(cls, db: Database, knowledge: KnowledgeService, policy: ModerationPolicy,
              clock: Clock = utc_now) -> ModerationServices:
        revisions = RevisionStore(db)
        return cls(
            editor=KnowledgeEditor(knowledge, revisions, clock,
                                   shared=db.backend == "postgresql"),
            revisions=revisions,
            roles=ModRoleStore(db), briefings=BriefingStore(db),
            insights=InsightStore(db), privacy=PrivacyStore(db), policy=policy,
            clock=clock)

    async def start(self) -> None:
        """Record knowledge changes made on disk since the last run (once, at start)."""
        external = await self.editor.start()
        if external:
            log.info("knowledge changed on disk since the last run",
                     extra={"files": [r.file for r in external]})
