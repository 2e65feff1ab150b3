"""The watcher reloads once after files change and settle, and survives a failing reload."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.moderation.editor import KnowledgeEditor
from bot.moderation.watch import KnowledgeWatcher, fingerprint
from tests.moderation.kbfiles import ARTICLE, NEW_ARTICLE


def test_fingerprint_sees_new_and_changed_files(kb_root: Path) -> None:
    before = fingerprint(kb_root)
    (kb_root / "articles/2026-04-01-zebra-robotics-deal.yaml").write_text(NEW_ARTICLE)
    after = fingerprint(kb_root)
    assert set(after) - set(before) == {"articles/2026-04-01-zebra-robotics-deal.yaml"}


async def test_a_new_file_on_disk_is_loaded_without_a_command(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    reloaded: asyncio.Queue[bool] = asyncio.Queue()

    async def reload() -> None:
        report = await editor.reload()
        await reloaded.put(report.ok)

    watcher = KnowledgeWatcher(kb_root, reload, interval=0.01)
    await watcher.start()  # returns once the starting files are known
    try:
        (kb_root / "articles/2026-04-01-zebra-robotics-deal.yaml").write_text(NEW_ARTICLE)
        assert await asyncio.wait_for(reloaded.get(), timeout=5)
        assert "2026-04-01-zebra-robotics-deal" in editor.service.kb.articles

        # A broken edit: the watcher reloads, the reload refuses, the old model stays.
        broken = ARTICLE.replace("url:", "ur:")
        (kb_root / "articles/2026-03-07-kalinowski-quits.yaml").write_text(broken)
        assert not await asyncio.wait_for(reloaded.get(), timeout=5)
        assert "2026-03-07-kalinowski-quits" in editor.service.kb.articles
    finally:
        await watcher.stop()


async def test_watcher_survives_an_exception(kb_root: Path) -> None:
    calls: asyncio.Queue[int] = asyncio.Queue()

    async def explode() -> None:
        await calls.put(1)
        raise RuntimeError("boom")

    watcher = KnowledgeWatcher(kb_root, explode, interval=0.01)
    await watcher.start()
    try:
        (kb_root / "articles/a.yaml").write_text("x: 1\n")
        await asyncio.wait_for(calls.get(), timeout=5)
        (kb_root / "articles/b.yaml").write_text("x: 2\n")
        await asyncio.wait_for(calls.get(), timeout=5), "still watching after a failure"
    finally:
        await watcher.stop()


async def test_an_inactive_watcher_waits_and_then_sees_what_changed_meanwhile(
    kb_root: Path,
) -> None:
    """With shared knowledge only the process holding the deployment lock watches; one that
    takes over later still reloads for a change made before it did."""
    holding = False
    asked = 0
    asked_thrice = asyncio.Event()
    reloads: asyncio.Queue[bool] = asyncio.Queue()

    def active() -> bool:
        nonlocal asked
        asked += 1
        if asked >= 3:
            asked_thrice.set()
        return holding

    async def on_change() -> None:
        await reloads.put(holding)

    watcher = KnowledgeWatcher(kb_root, on_change, interval=0.01, active=active)
    await watcher.start()
    try:
        (kb_root / "articles/2026-04-01-zebra-robotics-deal.yaml").write_text(NEW_ARTICLE)
        await asyncio.wait_for(asked_thrice.wait(), timeout=5)  # polls passed, lock not held
        holding = True
        assert await asyncio.wait_for(reloads.get(), timeout=5) is True
        assert reloads.empty()
    finally:
        await watcher.stop()
