"""The moderator tools' stores on SQLite and PostgreSQL: revisions, seen files, roles, briefings."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

from bot.storage import Database, open_database
from bot.storage.moderation import BriefingStore, ModRoleStore, NewRevision, RevisionStore

T0 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
GUILD = 1_234_567_890_123_456_789  # a 64-bit Discord id


def change(file: str, entry: str | None, before: str = "", after: str = "x: 1\n",
           **fields: object) -> NewRevision:
    upload = NewRevision(kind="upload", file=file, before_text=before, after_text=after,
                         entry=entry, actor_id=42, actor_name="mod#1", guild_id=GUILD)
    return dataclasses.replace(upload, **fields)  # type: ignore[arg-type]


async def test_revisions_read_back_newest_first_with_their_times(db: Database) -> None:
    store = RevisionStore(db)
    first, = await store.record([change("articles/a.yaml", "article:a")], {}, T0)
    second, third = await store.record(
        [change("orgs.yaml", "org:x,org:y"), change("people/p.yaml", "person:p")], {},
        T0 + dt.timedelta(hours=1))
    reverted, = await store.record(
        [change("articles/a.yaml", "article:a", before="x: 1\n", after="", kind="revert",
                reverts=first.id)], {}, T0 + dt.timedelta(hours=2))

    assert first.id < second.id < third.id < reverted.id
    assert (first.created_at, second.created_at) == (T0, T0 + dt.timedelta(hours=1))
    assert (first.guild_id, first.actor_id, reverted.reverts) == (GUILD, 42, first.id)
    assert [r.id for r in await store.history()] == [reverted.id, third.id, second.id, first.id]
    assert [r.id for r in await store.history(limit=2)] == [reverted.id, third.id]
    assert [r.id for r in await store.since(T0)] == [second.id, third.id, reverted.id]
    latest = await store.latest_for_file("articles/a.yaml")
    assert latest is not None and latest.id == reverted.id
    assert await store.latest_for_file("articles/none.yaml") is None
    assert await store.get(second.id) == second and await store.get(999_999) is None


async def test_history_of_one_entry_matches_whole_ids_only(db: Database) -> None:
    store = RevisionStore(db)
    await store.record([change("orgs.yaml", "org:x,org:y_z"),
                        change("orgs.yaml", "org:xy"),
                        change("orgs.yaml", "org:yaz"),
                        change("orgs.yaml", "org:Y_Z")], {}, T0)
    assert [r.entries for r in await store.history("org:y_z")] == [("org:x", "org:y_z")]
    assert [r.entries for r in await store.history("org:x")] == [("org:x", "org:y_z")]
    assert await store.history("org:y%") == []


async def test_seen_files_follow_the_latest_text_and_deletions(db: Database) -> None:
    store = RevisionStore(db)
    await store.record([], {"articles/a.yaml": "one\n", "orgs.yaml": "orgs\n"}, T0)
    await store.record([], {"articles/a.yaml": "two\n", "orgs.yaml": None}, T0)
    seen = await store.seen_files()
    assert set(seen) == {"articles/a.yaml"}
    assert seen["articles/a.yaml"].text == "two\n"
    assert len(seen["articles/a.yaml"].sha256) == 64


async def test_mod_roles_add_remove(db: Database) -> None:
    roles = ModRoleStore(db)
    await roles.add(GUILD, 10, by=5, at=T0)
    await roles.add(GUILD, 10, by=5, at=T0)  # twice is fine
    await roles.add(2, 20, by=5, at=T0)
    assert await roles.roles(GUILD) == {10}
    assert await roles.remove(GUILD, 10) and not await roles.remove(GUILD, 10)
    assert await roles.roles(GUILD) == frozenset() and await roles.roles(2) == {20}


async def test_briefing_subscription_survives_reopen_and_move(database_url: str) -> None:
    async with open_database(database_url) as db:
        store = BriefingStore(db)
        await store.subscribe(GUILD, channel_id=100, weekday=0, hour=9, by=5, at=T0)
        await store.mark_sent(GUILD, T0 + dt.timedelta(days=6))
    async with open_database(database_url) as db:
        store = BriefingStore(db)
        moved = await store.subscribe(GUILD, channel_id=200, weekday=4, hour=17, by=6,
                                      at=T0 + dt.timedelta(days=8))
        assert (moved.channel_id, moved.weekday, moved.hour) == (200, 4, 17)
        assert moved.last_sent_at == T0 + dt.timedelta(days=6)  # no repeat after a move
        assert moved.subscribed_at == T0
        await store.subscribe(7, channel_id=300, weekday=1, hour=8, by=6, at=T0)
        assert [s.guild_id for s in await store.all()] == [7, GUILD]
        assert await store.unsubscribe(GUILD) and await store.get(GUILD) is None
        assert not await store.unsubscribe(GUILD)


async def test_concurrent_edits_record_every_revision(db: Database) -> None:
    store = RevisionStore(db)
    recorded = await asyncio.gather(*(
        store.record([change(f"articles/a{n}.yaml", f"article:a{n}")],
                     {f"articles/a{n}.yaml": f"n: {n}\n"}, T0) for n in range(30)))
    assert len({r.id for batch in recorded for r in batch}) == 30
    assert len(await store.seen_files()) == 30
