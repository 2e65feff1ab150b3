"""One knowledge state for several processes on one PostgreSQL (issue 15 item 3).

Each "process" here is what a bot process has: its own copy of the shipped
knowledge files, its own database connections, its own editor.  An edit made
through one is applied by the others when the database's notice arrives, or by
the periodic check when notices are off; a process started later builds its
knowledge from the shipped files plus the stored revisions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from bot.knowledge import EntryKey
from bot.moderation.editor import Actor, KnowledgeEditor
from bot.moderation.permissions import ModerationPolicy
from bot.moderation.services import ModerationServices
from bot.moderation.sync import KnowledgeSync
from bot.runtime import KnowledgeService
from bot.storage import Database, open_database, sqlite_url
from bot.storage.moderation import NewRevision, RevisionConflictError, RevisionStore
from tests.clock import SettableClock
from tests.moderation.kbfiles import ARTICLE, NEW_ARTICLE, write_kb

MOD = Actor(user_id=42, name="mod", guild_id=7)
NEW_KEY = EntryKey("article", "2026-04-01-zebra-robotics-deal")
ARTICLE_FILE = "articles/2026-03-07-kalinowski-quits.yaml"
WITHIN = 5.0  # the bound for an edit to reach every process


@dataclass
class Process:
    root: Path
    db: Database
    editor: KnowledgeEditor
    applied: asyncio.Queue[list[str]]

    @property
    def knowledge(self) -> KnowledgeService:
        return self.editor.service

    async def next_applied(self) -> list[str]:
        return await asyncio.wait_for(self.applied.get(), WITHIN)


class StartProcess(Protocol):
    async def __call__(self, name: str, *, sync: bool = True, listen: bool = True,
                       check_seconds: float = 3600.0) -> Process: ...


@pytest.fixture
async def processes(
    tmp_path: Path, postgres_url: str, clock: SettableClock
) -> AsyncIterator[StartProcess]:
    """``await start(name, sync=..., listen=..., check_seconds=...)`` -> a started Process."""
    async with AsyncExitStack() as stack:
        async def start(name: str, *, sync: bool = True, listen: bool = True,
                        check_seconds: float = 3600.0) -> Process:
            root = write_kb(tmp_path / name / "knowledge")
            db = await stack.enter_async_context(open_database(postgres_url))
            services = ModerationServices.build(db, KnowledgeService.load(root),
                                                ModerationPolicy(), clock)
            await services.start()
            process = Process(root, db, services.editor, asyncio.Queue())
            if sync:
                follower = KnowledgeSync(services.editor, db, check_seconds=check_seconds,
                                         listen=listen, on_applied=process.applied.put_nowait)
                await follower.start()
                stack.push_async_callback(follower.stop)
            return process

        yield start


async def test_an_upload_through_one_process_is_answered_by_the_other_after_the_notice(
    processes: StartProcess,
) -> None:
    a = await processes("a")
    b = await processes("b")
    assert a.editor.shared and b.editor.shared
    assert b.knowledge.kb.get(NEW_KEY) is None

    outcome = await a.editor.upload("zebra.yaml", NEW_ARTICLE.encode(), MOD)
    assert outcome.ok
    assert await b.next_applied() == ["articles/2026-04-01-zebra-robotics-deal.yaml"]
    assert b.knowledge.kb.get(NEW_KEY) is not None
    assert (b.root / "articles" / "2026-04-01-zebra-robotics-deal.yaml").read_text(
        encoding="utf-8") == NEW_ARTICLE


async def test_without_notices_the_periodic_check_applies_the_edit(
    processes: StartProcess,
) -> None:
    a = await processes("a", sync=False)
    b = await processes("b", listen=False, check_seconds=0.2)
    taught = await a.editor.teach(EntryKey("article", "2026-03-07-kalinowski-quits"),
                                  "who walked out of openai hardware", MOD)
    assert taught.ok and taught.change == "updated"
    assert await b.next_applied() == [ARTICLE_FILE]
    entry = b.knowledge.kb.get(EntryKey("article", "2026-03-07-kalinowski-quits"))
    assert entry is not None and "who walked out of openai hardware" in entry.questions


async def test_a_process_started_later_has_every_edit_and_records_none_of_its_own(
    processes: StartProcess,
) -> None:
    a = await processes("a", sync=False)
    assert (await a.editor.upload("zebra.yaml", NEW_ARTICLE.encode(), MOD)).ok
    removed = ARTICLE.replace("  - why did the openai hardware lead quit   # asked in #general\n",
                              "  - why did caitlin quit\n")
    assert (await a.editor.upload("kalinowski.yaml", removed.encode(), MOD)).ok

    late = await processes("late", sync=False)
    assert late.knowledge.kb.get(NEW_KEY) is not None
    assert (late.root / ARTICLE_FILE).read_text(encoding="utf-8") == removed
    history = await late.editor.revisions.history()
    assert [r.kind for r in history] == ["upload", "upload"]  # no 'external' undoing them


async def test_history_and_revert_in_one_process_see_the_others_edits(
    processes: StartProcess,
) -> None:
    a = await processes("a")
    b = await processes("b")
    added = await a.editor.upload("zebra.yaml", NEW_ARTICLE.encode(), MOD)
    assert added.ok and added.revision is not None
    assert [r.id for r in await b.editor.revisions.history()] == [added.revision.id]

    reverted = await b.editor.revert(added.revision.id, MOD)  # b may not have applied it yet
    assert reverted.ok and reverted.change == "removed"
    while a.knowledge.kb.get(NEW_KEY) is not None:
        await a.next_applied()
    assert not (a.root / "articles" / "2026-04-01-zebra-robotics-deal.yaml").exists()


async def test_a_refused_edit_is_never_stored_so_no_process_applies_it(
    processes: StartProcess,
) -> None:
    a = await processes("a", sync=False)
    broken = NEW_ARTICLE.replace("orgs: [openai]", "orgs: [no-such-org]")
    assert not (await a.editor.upload("zebra.yaml", broken.encode(), MOD)).ok
    assert await a.editor.revisions.history() == []
    late = await processes("late", sync=False)
    assert late.knowledge.kb.get(NEW_KEY) is None


async def test_an_edit_based_on_an_old_text_is_refused_when_recording(database_url: str) -> None:
    async with open_database(database_url) as db:
        store = RevisionStore(db)
        at = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        first = await store.record([NewRevision("upload", "a.yaml", "", "one")], {"a.yaml": "one"},
                                   at, based_on={"a.yaml": ""})
        with pytest.raises(RevisionConflictError) as caught:
            await store.record([NewRevision("upload", "a.yaml", "", "two")], {"a.yaml": "two"},
                               at, based_on={"a.yaml": ""})
        assert caught.value.revision_id == first[0].id
        assert [r.after_text for r in await store.history()] == ["one"]


async def test_sqlite_keeps_one_process_knowledge_on_disk(tmp_path: Path,
                                                          clock: SettableClock) -> None:
    root = write_kb(tmp_path / "knowledge")
    async with open_database(sqlite_url(tmp_path / "labwire.sqlite3")) as db:
        services = ModerationServices.build(db, KnowledgeService.load(root), ModerationPolicy(),
                                            clock)
        assert not services.editor.shared
        assert await db.listen("kb_revisions", lambda: None) is None


async def test_an_edit_racing_another_process_on_the_same_file_is_refused_and_undone(
    processes: StartProcess, monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = await processes("a", sync=False)
    b = await processes("b", sync=False)
    first = ARTICLE.replace("She resigned on principle.", "She resigned on principle, she said.")
    assert (await a.editor.upload("kalinowski.yaml", first.encode(), MOD)).ok

    async def too_late() -> None:  # b starts its edit before a's revision reaches it
        return None

    monkeypatch.setattr(b.editor, "_catch_up", too_late)
    second = ARTICLE.replace("She resigned on principle.", "She left on principle.")
    refused = await b.editor.upload("kalinowski.yaml", second.encode(), MOD)
    assert not refused.ok and "at the same moment" in refused.message
    assert (b.root / ARTICLE_FILE).read_text(encoding="utf-8") == ARTICLE  # put back
    assert [r.after_text for r in await b.editor.revisions.history()] == [first]
    article = b.knowledge.kb.articles["2026-03-07-kalinowski-quits"]
    assert article.takeaways[0].text == "She resigned on principle."  # the model too
