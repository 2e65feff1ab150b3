"""Storage for the moderator tools: revisions, seen files, mod roles, briefings, privacy.

These repositories hold the only SQL for those tables; it runs unchanged on
SQLite and PostgreSQL (see :mod:`bot.storage.database`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.storage.database import Database, Row, from_utc_text, utc_text
from bot.storage.question_log import TERMINAL_USER, TERMINAL_USER_ID

RevisionKind = Literal["upload", "revert", "teach", "external"]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewRevision:
    """A change about to be recorded; '' as a text means the file did not exist."""

    kind: RevisionKind
    file: str
    before_text: str
    after_text: str
    entry: str | None = None
    actor_id: int | None = None
    actor_name: str | None = None
    guild_id: int | None = None
    reverts: int | None = None


@dataclass(frozen=True, kw_only=True)
class Revision(NewRevision):
    """A recorded change, with its number and time."""

    id: int
    created_at: dt.datetime

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(e for e in (self.entry or "").split(",") if e)


@dataclass(frozen=True)
class SeenFile:
    file: str
    sha256: str
    text: str


@dataclass(frozen=True)
class BriefingSubscription:
    guild_id: int
    channel_id: int
    weekday: int
    hour: int
    subscribed_at: dt.datetime
    last_sent_at: dt.datetime | None
    subscribed_by: int | None = None


def _revision(row: Row) -> Revision:
    return Revision(
        id=int(row["id"]), created_at=from_utc_text(row["created_at"]), kind=row["kind"],
        actor_id=row["actor_id"], actor_name=row["actor_name"], guild_id=row["guild_id"],
        entry=row["entry"], file=row["file"], before_text=row["before_text"],
        after_text=row["after_text"], reverts=row["reverts"],
    )


class RevisionConflictError(Exception):
    """Another process changed the file after this edit read it (nothing was recorded)."""

    def __init__(self, file: str, revision_id: int) -> None:
        super().__init__(f"revision #{revision_id} changed {file} at the same moment")
        self.file = file
        self.revision_id = revision_id


@dataclass(frozen=True)
class StoredTexts:
    """The newest text of each file changed after some revision (see ``texts_after``)."""

    newest_id: int
    texts: dict[str, str]  # file -> text; '' when the newest revision removed it


REVISIONS_CHANNEL = "kb_revisions"  # the notice sent when revisions are recorded


class RevisionStore:
    """The audit trail of knowledge edits and the last-seen text of every knowledge file.

    With PostgreSQL the trail is also how processes share one knowledge state:
    recording sends a notice (:data:`REVISIONS_CHANNEL`) and every process applies
    :meth:`texts_after` its last applied revision.  Revisions commit one at a time,
    so a process that has seen revision N has seen every revision before it.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, revisions: Iterable[NewRevision], seen: Mapping[str, str | None], at: dt.datetime,
        *, based_on: Mapping[str, str] | None = None,
    ) -> list[Revision]:
        """Add revisions and update the seen-file texts in one transaction.

        ``seen`` maps a file to its text now, or None when it no longer exists.
        ``based_on`` maps a file to the text the edit started from: when a stored
        revision left that file with another text, nothing is recorded and
        :class:`RevisionConflictError` says which revision got there first.
        """
        stamp = utc_text(at)
        ids: list[int] = []
        async with self.db.write() as tx:
            ordered = self.db.ordered_writes(REVISIONS_CHANNEL)
            if ordered is not None:
                await tx.execute(*ordered)
            for file, start_text in (based_on or {}).items():
                latest = await tx.fetchone(
                    "SELECT id, after_text FROM kb_revisions WHERE file = ?"
                    " ORDER BY id DESC LIMIT 1", (file,))
                if latest is not None and latest["after_text"] != start_text:
                    raise RevisionConflictError(file, int(latest["id"]))
            for rev in revisions:
                ids.append(int(await tx.fetchval(
                    "INSERT INTO kb_revisions (created_at, kind, actor_id, actor_name, guild_id,"
                    " entry, file, before_text, after_text, reverts)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (stamp, rev.kind, rev.actor_id, rev.actor_name, rev.guild_id, rev.entry,
                     rev.file, rev.before_text, rev.after_text, rev.reverts),
                )))
            for file, text in seen.items():
                if text is None:
                    await tx.execute("DELETE FROM kb_files_seen WHERE file = ?", (file,))
                else:
                    await tx.execute(
                        "INSERT INTO kb_files_seen (file, sha256, text, seen_at)"
                        " VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (file) DO UPDATE SET sha256 = excluded.sha256,"
                        " text = excluded.text, seen_at = excluded.seen_at",
                        (file, sha256_text(text), text, stamp),
                    )
            notice = self.db.notice(REVISIONS_CHANNEL)
            if ids and notice is not None:
                await tx.execute(*notice)
        out = []
        for revision_id in ids:
            revision = await self.get(revision_id)
            if revision is not None:
                out.append(revision)
        return out

    async def get(self, revision_id: int) -> Revision | None:
        row = await self.db.fetchone("SELECT * FROM kb_revisions WHERE id = ?", (revision_id,))
        return _revision(row) if row else None

    async def history(self, entry: str | None = None, limit: int = 20) -> list[Revision]:
        """Newest first; ``entry`` ('article:x') matches rows that list it among others."""
        if entry is None:
            rows = await self.db.fetchall(
                "SELECT * FROM kb_revisions ORDER BY id DESC LIMIT ?", (limit,))
        else:
            # ',a,b,' contains ',a,' exactly when replacing it shortens the text: a
            # case-sensitive substring test both databases spell the same way.
            rows = await self.db.fetchall(
                "SELECT * FROM kb_revisions WHERE length(',' || entry || ',') !="
                " length(replace(',' || entry || ',', ?, ''))"
                " ORDER BY id DESC LIMIT ?", (f",{entry},", limit))
        return [_revision(r) for r in rows]

    async def since(self, moment: dt.datetime) -> list[Revision]:
        rows = await self.db.fetchall(
            "SELECT * FROM kb_revisions WHERE created_at > ? ORDER BY id", (utc_text(moment),))
        return [_revision(r) for r in rows]

    async def latest_for_file(self, file: str) -> Revision | None:
        row = await self.db.fetchone(
            "SELECT * FROM kb_revisions WHERE file = ? ORDER BY id DESC LIMIT 1", (file,))
        return _revision(row) if row else None

    async def texts_after(self, revision_id: int) -> StoredTexts:
        """Each file's text as the newest revision after ``revision_id`` left it."""
        rows = await self.db.fetchall(
            "SELECT id, file, after_text FROM kb_revisions WHERE id IN"
            " (SELECT MAX(id) FROM kb_revisions WHERE id > ? GROUP BY file) ORDER BY id",
            (revision_id,))
        newest = max((int(r["id"]) for r in rows), default=revision_id)
        return StoredTexts(newest, {r["file"]: r["after_text"] for r in rows})

    async def seen_files(self) -> dict[str, SeenFile]:
        rows = await self.db.fetchall("SELECT file, sha256, text FROM kb_files_seen")
        return {r["file"]: SeenFile(r["file"], r["sha256"], r["text"]) for r in rows}


class ModRoleStore:
    """Per-guild moderator roles (``/kb config mod-role``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def roles(self, guild_id: int) -> frozenset[int]:
        rows = await self.db.fetchall(
            "SELECT role_id FROM guild_mod_roles WHERE guild_id = ?", (guild_id,))
        return frozenset(int(r["role_id"]) for r in rows)

    async def add(self, guild_id: int, role_id: int, by: int | None, at: dt.datetime) -> None:
        async with self.db.write() as tx:
            await tx.execute(
                "INSERT INTO guild_mod_roles (guild_id, role_id, added_by, added_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, role_id, by, utc_text(at)))

    async def remove(self, guild_id: int, role_id: int) -> bool:
        async with self.db.write() as tx:
            deleted = await tx.execute(
                "DELETE FROM guild_mod_roles WHERE guild_id = ? AND role_id = ?",
                (guild_id, role_id))
        return deleted > 0


def _subscription(row: Row) -> BriefingSubscription:
    last = row["last_sent_at"]
    return BriefingSubscription(
        guild_id=int(row["guild_id"]), channel_id=int(row["channel_id"]),
        weekday=int(row["weekday"]), hour=int(row["hour"]),
        subscribed_at=from_utc_text(row["subscribed_at"]),
        last_sent_at=from_utc_text(last) if last else None, subscribed_by=row["subscribed_by"],
    )


class BriefingStore:
    """One weekly briefing per guild, and when it was last handled."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def subscribe(
        self, guild_id: int, channel_id: int, weekday: int, hour: int, by: int | None,
        at: dt.datetime,
    ) -> BriefingSubscription:
        """Subscribe or move the guild's briefing; keeps last_sent_at so nothing repeats."""
        async with self.db.write() as tx:
            await tx.execute(
                "INSERT INTO briefing_subscriptions (guild_id, channel_id, weekday, hour,"
                " subscribed_by, subscribed_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                " weekday = excluded.weekday, hour = excluded.hour,"
                " subscribed_by = excluded.subscribed_by",
                (guild_id, channel_id, weekday, hour, by, utc_text(at)))
            row = await tx.fetchone(
                "SELECT * FROM briefing_subscriptions WHERE guild_id = ?", (guild_id,))
        assert row is not None  # just written in the same transaction
        return _subscription(row)

    async def get(self, guild_id: int) -> BriefingSubscription | None:
        row = await self.db.fetchone(
            "SELECT * FROM briefing_subscriptions WHERE guild_id = ?", (guild_id,))
        return _subscription(row) if row else None

    async def all(self) -> list[BriefingSubscription]:
        rows = await self.db.fetchall("SELECT * FROM briefing_subscriptions ORDER BY guild_id")
        return [_subscription(r) for r in rows]

    async def unsubscribe(self, guild_id: int) -> bool:
        async with self.db.write() as tx:
            deleted = await tx.execute(
                "DELETE FROM briefing_subscriptions WHERE guild_id = ?", (guild_id,))
        return deleted > 0

    async def mark_sent(self, guild_id: int, at: dt.datetime) -> None:
        async with self.db.write() as tx:
            await tx.execute(
                "UPDATE briefing_subscriptions SET last_sent_at = ? WHERE guild_id = ?",
                (utc_text(at), guild_id))


@dataclass(frozen=True)
class PersonalTable:
    """A table holding data about members: which column names the member, how ids are stored."""

    name: str
    user_column: str
    order_by: str  # a stable order for exports
    text_ids: bool = False  # the id is stored as text: a Discord id's digits, or a terminal name
    quiet: bool = False  # bookkeeping: named in exports and reports only when it holds rows


# Tables another feature has not created yet are skipped, so forget-me never fails.
PERSONAL_TABLES: tuple[PersonalTable, ...] = (
    PersonalTable("quiz_sessions", "user_id", "created_at, id", text_ids=True),
    PersonalTable("quiz_results", "user_id", "id", text_ids=True),
    PersonalTable("question_log", "user_id", "id"),
    PersonalTable("feedback", "user_id", "created_at, message_id"),
    # Recent question times, for the cooldown shared by several processes (PostgreSQL).
    PersonalTable("ask_cooldowns", "user_id", "user_id", quiet=True),
)


class PrivacyStore:
    """Export and forget one member's rows in every personal table (``/privacy``)."""

    def __init__(self, db: Database, tables: tuple[PersonalTable, ...] = PERSONAL_TABLES) -> None:
        self.db = db
        self.tables = tables

    async def _present(self) -> list[PersonalTable]:
        names = await self.db.tables()
        return [t for t in self.tables
                if t.name in names and t.user_column in await self.db.columns(t.name)]

    async def export_user(self, user_id: int | str) -> dict[str, list[dict[str, Any]]]:
        """Rows about ``user_id`` per table, plus the knowledge edits they made.

        ``user_id`` is a Discord id, or a terminal user's name ('terminal').
        """
        out: dict[str, list[dict[str, Any]]] = {}
        for table in await self._present():
            stored = _stored_id(table.text_ids, user_id)
            rows = [] if stored is None else await self.db.fetchall(
                f"SELECT * FROM {table.name} WHERE {table.user_column} = ?"
                f" ORDER BY {table.order_by}", (stored,))
            if rows or not table.quiet:
                out[table.name] = [dict(r) for r in rows]
        actor = _stored_id(False, user_id)
        audit = [] if actor is None else await self.db.fetchall(
            "SELECT id, created_at, kind, guild_id, entry, file FROM kb_revisions"
            " WHERE actor_id = ? ORDER BY id", (actor,))
        out["kb_revisions"] = [dict(r) for r in audit]
        return out

    async def forget_user(self, user_id: int | str) -> dict[str, int]:
        """Delete every row about ``user_id`` in one transaction; counts per table."""
        present = await self._present()
        counts: dict[str, int] = {}
        async with self.db.write() as tx:
            # Children first, in case another feature's table references a parent row.
            for table in reversed(present):
                stored = _stored_id(table.text_ids, user_id)
                counts[table.name] = 0 if stored is None else await tx.execute(
                    f"DELETE FROM {table.name} WHERE {table.user_column} = ?", (stored,))
        return {table.name: counts[table.name] for table in present
                if counts[table.name] or not table.quiet}


def _stored_id(text_ids: bool, user_id: int | str) -> int | str | None:
    """How ``user_id`` is stored: as text where ids are text (quiz tables, which also hold
    terminal names), else as a number, the terminal user being 0; None where such a user
    cannot appear (a name other than 'terminal' in a numeric column)."""
    text = str(user_id).strip()
    if text_ids:
        return text
    if text.isdigit():
        return int(text)
    return TERMINAL_USER_ID if text == TERMINAL_USER else None


@dataclass(frozen=True)
class AskedRow:
    """A question_log row that needs a moderator's look, with the votes on its answer."""

    question: str
    asked_at: dt.datetime
    status: str
    answered: bool
    confidence: float
    entry_kind: str | None
    entry_id: str | None
    upvotes: int
    downvotes: int


@dataclass(frozen=True)
class StatsRow:
    asked: int
    answered: int
    per_day: list[tuple[str, int, int]]  # ('2026-04-06', asked, answered)
    top_entries: list[tuple[str, int]]   # ('article:x', answered count)
    upvotes: int
    downvotes: int


class InsightStore:
    """Reads the Discord bot's question_log and feedback tables (migration 0002).

    ``guild_id`` None means every guild (curator guilds see all questions).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    async def needing_attention(
        self, since: dt.datetime, guild_id: int | None, limit: int = 2000
    ) -> list[AskedRow]:
        """Questions not answered, answered unsure, or whose answer got a 👎; newest first."""
        scope, params = _scope("q.", since, guild_id)
        rows = await self.db.fetchall(
            "SELECT * FROM ("
            " SELECT q.id, q.question, q.asked_at, q.status, q.answered, q.confidence,"
            " q.entry_kind, q.entry_id,"
            " COUNT(f.vote) FILTER (WHERE f.vote = 1) AS up,"
            " COUNT(f.vote) FILTER (WHERE f.vote = -1) AS down"
            " FROM question_log q LEFT JOIN feedback f ON f.message_id = q.message_id"
            f" WHERE {scope} GROUP BY q.id"
            ") AS asked"
            " WHERE answered = 0 OR status != 'answered' OR down > 0"
            " ORDER BY asked_at DESC, id DESC LIMIT ?",
            (*params, limit))
        return [AskedRow(
            question=r["question"], asked_at=from_utc_text(r["asked_at"]), status=r["status"],
            answered=bool(r["answered"]), confidence=float(r["confidence"]),
            entry_kind=r["entry_kind"], entry_id=r["entry_id"], upvotes=int(r["up"]),
            downvotes=int(r["down"])) for r in rows]

    async def stats(self, since: dt.datetime, guild_id: int | None) -> StatsRow:
        where, params = _scope("", since, guild_id)
        total = await self.db.fetchone(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE answered = 1)"
            f" FROM question_log WHERE {where}", params)
        per_day = await self.db.fetchall(
            "SELECT substr(asked_at, 1, 10) AS day, COUNT(*),"
            " COUNT(*) FILTER (WHERE answered = 1)"
            f" FROM question_log WHERE {where} GROUP BY day ORDER BY day", params)
        top = await self.db.fetchall(
            "SELECT entry_kind || ':' || entry_id AS entry, COUNT(*) AS n FROM question_log"
            f" WHERE {where} AND answered = 1 AND entry_id IS NOT NULL"
            " GROUP BY entry ORDER BY n DESC, entry LIMIT 5", params)
        vote_scope, vote_params = _scope("", since, guild_id, time_column="updated_at")
        votes = await self.db.fetchone(
            "SELECT COUNT(*) FILTER (WHERE vote = 1), COUNT(*) FILTER (WHERE vote = -1)"
            f" FROM feedback WHERE {vote_scope}", vote_params)
        return StatsRow(
            asked=int(total[0]) if total else 0, answered=int(total[1]) if total else 0,
            per_day=[(r[0], int(r[1]), int(r[2])) for r in per_day],
            top_entries=[(r[0], int(r[1])) for r in top],
            upvotes=int(votes[0]) if votes else 0, downvotes=int(votes[1]) if votes else 0)


def _scope(
    prefix: str, since: dt.datetime, guild_id: int | None, *, time_column: str = "asked_at"
) -> tuple[str, tuple[object, ...]]:
    """WHERE text and parameters for 'since this time, in this guild (or every guild)'."""
    if guild_id is None:
        return f"{prefix}{time_column} >= ?", (utc_text(since),)
    return f"{prefix}{time_column} >= ? AND {prefix}guild_id = ?", (utc_text(since), guild_id)
