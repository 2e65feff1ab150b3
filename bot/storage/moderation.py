"""Storage for the moderator tools: revisions, seen files, mod roles, briefings, privacy.

Callers depend on the ``Protocol`` classes; the SQLite implementations below are
the only code that knows the SQL, so a PostgreSQL deployment can swap them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import aiosqlite

from bot.storage.database import Database
from bot.storage.question_log import TERMINAL_USER, TERMINAL_USER_ID

RevisionKind = Literal["upload", "revert", "teach", "external"]
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_iso(moment: dt.datetime) -> str:
    """UTC text that sorts in time order (naive datetimes are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime(_TIME_FORMAT)


def from_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)


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


class RevisionStore(Protocol):
    async def record(
        self, revisions: Iterable[NewRevision], seen: Mapping[str, str | None], at: dt.datetime
    ) -> list[Revision]: ...
    async def get(self, revision_id: int) -> Revision | None: ...
    async def history(self, entry: str | None = None, limit: int = 20) -> list[Revision]: ...
    async def since(self, moment: dt.datetime) -> list[Revision]: ...
    async def latest_for_file(self, file: str) -> Revision | None: ...
    async def seen_files(self) -> dict[str, SeenFile]: ...


class ModRoleStore(Protocol):
    async def roles(self, guild_id: int) -> frozenset[int]: ...
    async def add(self, guild_id: int, role_id: int, by: int | None, at: dt.datetime) -> None: ...
    async def remove(self, guild_id: int, role_id: int) -> bool: ...


class BriefingStore(Protocol):
    async def subscribe(
        self, guild_id: int, channel_id: int, weekday: int, hour: int, by: int | None,
        at: dt.datetime,
    ) -> BriefingSubscription: ...
    async def get(self, guild_id: int) -> BriefingSubscription | None: ...
    async def all(self) -> list[BriefingSubscription]: ...
    async def unsubscribe(self, guild_id: int) -> bool: ...
    async def mark_sent(self, guild_id: int, at: dt.datetime) -> None: ...


class PrivacyStore(Protocol):
    async def export(self, user_id: int | str) -> dict[str, list[dict[str, Any]]]: ...
    async def forget(self, user_id: int | str) -> dict[str, int]: ...


def _revision(row: aiosqlite.Row) -> Revision:
    return Revision(
        id=int(row["id"]), created_at=from_iso(row["created_at"]), kind=row["kind"],
        actor_id=row["actor_id"], actor_name=row["actor_name"], guild_id=row["guild_id"],
        entry=row["entry"], file=row["file"], before_text=row["before_text"],
        after_text=row["after_text"], reverts=row["reverts"],
    )


class SqliteRevisionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, revisions: Iterable[NewRevision], seen: Mapping[str, str | None], at: dt.datetime
    ) -> list[Revision]:
        """Add revisions and update the seen-file texts in one transaction.

        ``seen`` maps a file to its text now, or None when it no longer exists.
        """
        stamp = to_iso(at)
        ids: list[int] = []
        async with self.db.write() as conn:
            for rev in revisions:
                cursor = await conn.execute(
                    "INSERT INTO kb_revisions (created_at, kind, actor_id, actor_name, guild_id,"
                    " entry, file, before_text, after_text, reverts)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (stamp, rev.kind, rev.actor_id, rev.actor_name, rev.guild_id, rev.entry,
                     rev.file, rev.before_text, rev.after_text, rev.reverts),
                )
                ids.append(int(cursor.lastrowid or 0))
            for file, text in seen.items():
                if text is None:
                    await conn.execute("DELETE FROM kb_files_seen WHERE file = ?", (file,))
                else:
                    await conn.execute(
                        "INSERT INTO kb_files_seen (file, sha256, text, seen_at)"
                        " VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (file) DO UPDATE SET sha256 = excluded.sha256,"
                        " text = excluded.text, seen_at = excluded.seen_at",
                        (file, sha256_text(text), text, stamp),
                    )
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
            rows = await self.db.fetchall(
                "SELECT * FROM kb_revisions WHERE instr(',' || entry || ',', ',' || ? || ',') > 0"
                " ORDER BY id DESC LIMIT ?", (entry, limit))
        return [_revision(r) for r in rows]

    async def since(self, moment: dt.datetime) -> list[Revision]:
        rows = await self.db.fetchall(
            "SELECT * FROM kb_revisions WHERE created_at > ? ORDER BY id", (to_iso(moment),))
        return [_revision(r) for r in rows]

    async def latest_for_file(self, file: str) -> Revision | None:
        row = await self.db.fetchone(
            "SELECT * FROM kb_revisions WHERE file = ? ORDER BY id DESC LIMIT 1", (file,))
        return _revision(row) if row else None

    async def seen_files(self) -> dict[str, SeenFile]:
        rows = await self.db.fetchall("SELECT file, sha256, text FROM kb_files_seen")
        return {r["file"]: SeenFile(r["file"], r["sha256"], r["text"]) for r in rows}


class SqliteModRoleStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def roles(self, guild_id: int) -> frozenset[int]:
        rows = await self.db.fetchall(
            "SELECT role_id FROM guild_mod_roles WHERE guild_id = ?", (guild_id,))
        return frozenset(int(r["role_id"]) for r in rows)

    async def add(self, guild_id: int, role_id: int, by: int | None, at: dt.datetime) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO guild_mod_roles (guild_id, role_id, added_by, added_at)"
                " VALUES (?, ?, ?, ?)", (guild_id, role_id, by, to_iso(at)))

    async def remove(self, guild_id: int, role_id: int) -> bool:
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM guild_mod_roles WHERE guild_id = ? AND role_id = ?",
                (guild_id, role_id))
            return cursor.rowcount > 0


def _subscription(row: aiosqlite.Row) -> BriefingSubscription:
    last = row["last_sent_at"]
    return BriefingSubscription(
        guild_id=int(row["guild_id"]), channel_id=int(row["channel_id"]),
        weekday=int(row["weekday"]), hour=int(row["hour"]),
        subscribed_at=from_iso(row["subscribed_at"]),
        last_sent_at=from_iso(last) if last else None, subscribed_by=row["subscribed_by"],
    )


class SqliteBriefingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def subscribe(
        self, guild_id: int, channel_id: int, weekday: int, hour: int, by: int | None,
        at: dt.datetime,
    ) -> BriefingSubscription:
        """Subscribe or move the guild's briefing; keeps last_sent_at so nothing repeats."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO briefing_subscriptions (guild_id, channel_id, weekday, hour,"
                " subscribed_by, subscribed_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                " weekday = excluded.weekday, hour = excluded.hour,"
                " subscribed_by = excluded.subscribed_by",
                (guild_id, channel_id, weekday, hour, by, to_iso(at)))
        subscription = await self.get(guild_id)
        assert subscription is not None  # just written in the same connection
        return subscription

    async def get(self, guild_id: int) -> BriefingSubscription | None:
        row = await self.db.fetchone(
            "SELECT * FROM briefing_subscriptions WHERE guild_id = ?", (guild_id,))
        return _subscription(row) if row else None

    async def all(self) -> list[BriefingSubscription]:
        rows = await self.db.fetchall("SELECT * FROM briefing_subscriptions ORDER BY guild_id")
        return [_subscription(r) for r in rows]

    async def unsubscribe(self, guild_id: int) -> bool:
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM briefing_subscriptions WHERE guild_id = ?", (guild_id,))
            return cursor.rowcount > 0

    async def mark_sent(self, guild_id: int, at: dt.datetime) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE briefing_subscriptions SET last_sent_at = ? WHERE guild_id = ?",
                (to_iso(at), guild_id))


# Tables holding data about members, and the column naming the member.  Tables
# another feature has not created yet are skipped, so forget-me never fails.
PERSONAL_TABLES: tuple[tuple[str, str], ...] = (
    ("quiz_sessions", "user_id"),
    ("quiz_results", "user_id"),
    ("question_log", "user_id"),
    ("feedback", "user_id"),
)


# Tables whose user column is text (a Discord id as digits, or a terminal user's name).
TEXT_USER_TABLES = frozenset({"quiz_sessions", "quiz_results"})


class SqlitePrivacyStore:
    def __init__(self, db: Database, tables: tuple[tuple[str, str], ...] = PERSONAL_TABLES) -> None:
        self.db = db
        self.tables = tables

    async def _present(self) -> list[tuple[str, str]]:
        rows = await self.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        names = {r["name"] for r in rows}
        present = []
        for table, column in self.tables:
            if table not in names:
                continue
            columns = {r["name"] for r in await self.db.fetchall(f"PRAGMA table_info({table})")}
            if column in columns:
                present.append((table, column))
        return present

    async def export(self, user_id: int | str) -> dict[str, list[dict[str, Any]]]:
        """Rows about ``user_id`` per table, plus the knowledge edits they made."""
        out: dict[str, list[dict[str, Any]]] = {}
        for table, column in await self._present():
            stored = _stored_id(table, user_id)
            rows = [] if stored is None else await self.db.fetchall(
                f"SELECT * FROM {table} WHERE {column} = ? ORDER BY rowid", (stored,))
            out[table] = [dict(r) for r in rows]
        actor = _stored_id("kb_revisions", user_id)
        audit = [] if actor is None else await self.db.fetchall(
            "SELECT id, created_at, kind, guild_id, entry, file FROM kb_revisions"
            " WHERE actor_id = ? ORDER BY id", (actor,))
        out["kb_revisions"] = [dict(r) for r in audit]
        return out

    async def forget(self, user_id: int | str) -> dict[str, int]:
        """Delete every row about ``user_id`` in one transaction; counts per table."""
        present = await self._present()
        counts: dict[str, int] = {}
        async with self.db.write() as conn:
            # Children first, in case another feature's table references a parent row.
            for table, column in reversed(present):
                stored = _stored_id(table, user_id)
                if stored is None:
                    counts[table] = 0
                    continue
                cursor = await conn.execute(
                    f"DELETE FROM {table} WHERE {column} = ?", (stored,))
                counts[table] = cursor.rowcount
        return {table: counts[table] for table, _ in present}


def _stored_id(table: str, user_id: int | str) -> int | str | None:
    """How ``user_id`` is stored in ``table``: text in quiz results (which also hold the
    terminal's names), a number elsewhere; None where such a user cannot appear."""
    text = str(user_id).strip()
    if table in TEXT_USER_TABLES:
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


class InsightStore(Protocol):
    async def needing_attention(
        self, since: dt.datetime, guild_id: int | None, limit: int = 2000
    ) -> list[AskedRow]: ...
    async def stats(self, since: dt.datetime, guild_id: int | None) -> StatsRow: ...


class SqliteInsightStore:
    """Reads the Discord bot's question_log and feedback tables (migration 0002).

    ``guild_id`` None means every guild (curator guilds see all questions).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    async def needing_attention(
        self, since: dt.datetime, guild_id: int | None, limit: int = 2000
    ) -> list[AskedRow]:
        """Questions not answered, answered unsure, or whose answer got a 👎; newest first."""
        rows = await self.db.fetchall(
            "SELECT q.question, q.asked_at, q.status, q.answered, q.confidence,"
            " q.entry_kind, q.entry_id,"
            " COALESCE(SUM(f.vote = 1), 0) AS up, COALESCE(SUM(f.vote = -1), 0) AS down"
            " FROM question_log q LEFT JOIN feedback f ON f.message_id = q.message_id"
            " WHERE q.asked_at >= ? AND (? IS NULL OR q.guild_id = ?)"
            " GROUP BY q.id"
            " HAVING q.answered = 0 OR q.status != 'answered' OR down > 0"
            " ORDER BY q.asked_at DESC LIMIT ?",
            (to_iso(since), guild_id, guild_id, limit))
        return [AskedRow(
            question=r["question"], asked_at=from_iso(r["asked_at"]), status=r["status"],
            answered=bool(r["answered"]), confidence=float(r["confidence"]),
            entry_kind=r["entry_kind"], entry_id=r["entry_id"], upvotes=int(r["up"]),
            downvotes=int(r["down"])) for r in rows]

    async def stats(self, since: dt.datetime, guild_id: int | None) -> StatsRow:
        params = (to_iso(since), guild_id, guild_id)
        where = "asked_at >= ? AND (? IS NULL OR guild_id = ?)"
        total = await self.db.fetchone(
            f"SELECT COUNT(*), COALESCE(SUM(answered), 0) FROM question_log WHERE {where}",
            params)
        per_day = await self.db.fetchall(
            f"SELECT substr(asked_at, 1, 10) AS day, COUNT(*), COALESCE(SUM(answered), 0)"
            f" FROM question_log WHERE {where} GROUP BY day ORDER BY day", params)
        top = await self.db.fetchall(
            f"SELECT entry_kind || ':' || entry_id AS entry, COUNT(*) AS n FROM question_log"
            f" WHERE {where} AND answered = 1 AND entry_id IS NOT NULL"
            f" GROUP BY entry ORDER BY n DESC, entry LIMIT 5", params)
        votes = await self.db.fetchone(
            "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM feedback"
            " WHERE updated_at >= ? AND (? IS NULL OR guild_id = ?)", params)
        return StatsRow(
            asked=int(total[0]) if total else 0, answered=int(total[1]) if total else 0,
            per_day=[(r[0], int(r[1]), int(r[2])) for r in per_day],
            top_entries=[(r[0], int(r[1])) for r in top],
            upvotes=int(votes[0]) if votes else 0, downvotes=int(votes[1]) if votes else 0)
