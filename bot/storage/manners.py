"""The cooldown and the duplicate rule in the database, for several bot processes.

Every statement runs on SQLite and PostgreSQL.  The duplicate claim is one
upsert that only replaces an expired claim, so of two processes claiming the
same answer in the same channel at once exactly one wins.  A user's cooldown
row is touched with an upsert first, which on PostgreSQL locks it until the
transaction ends: two processes counting the same user take turns.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Database

FORGET_AFTER = 24 * 3600.0  # claims and cooldown rows older than this are pruned


@dataclass(frozen=True)
class Claim:
    """An answer already posted (or being posted) in a channel."""

    claimed_at: float
    message_id: int | None
    jump_url: str | None


class MannersStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, channel_id: int, key: str, now: float, window: float) -> Claim | None:
        """Reserve posting ``key`` in the channel; return the live earlier claim instead."""
        async with self.db.write() as tx:
            won = await tx.fetchval(
                "INSERT INTO answer_claims (channel_id, answer_key, claimed_at) VALUES (?, ?, ?)"
                " ON CONFLICT (channel_id, answer_key) DO UPDATE SET"
                " claimed_at = excluded.claimed_at, message_id = NULL, jump_url = NULL"
                " WHERE answer_claims.claimed_at <= ? RETURNING claimed_at",
                (channel_id, key, now, now - window))
            if won is not None:
                return None
            row = await tx.fetchone(
                "SELECT claimed_at, message_id, jump_url FROM answer_claims"
                " WHERE channel_id = ? AND answer_key = ?", (channel_id, key))
        assert row is not None  # the conflict above means the row exists
        return Claim(float(row[0]), row[1], row[2])

    async def settle(self, channel_id: int, key: str, message_id: int | None,
                     jump_url: str | None) -> None:
        async with self.db.write() as tx:
            await tx.execute(
                "UPDATE answer_claims SET message_id = ?, jump_url = ?"
                " WHERE channel_id = ? AND answer_key = ?", (message_id, jump_url, channel_id, key))

    async def release(self, channel_id: int, key: str) -> None:
        async with self.db.write() as tx:
            await tx.execute("DELETE FROM answer_claims WHERE channel_id = ? AND answer_key = ?",
                             (channel_id, key))

    async def hit(self, user_id: int, now: float, rate: int, per: float) -> float:
        """Count one question; 0 when allowed, else the seconds until it would be."""
        async with self.db.write() as tx:
            stored = await tx.fetchval(
                "INSERT INTO ask_cooldowns (user_id, hits, last_at) VALUES (?, '', ?)"
                " ON CONFLICT (user_id) DO UPDATE SET hits = ask_cooldowns.hits"
                " RETURNING hits", (user_id, now))
            hits = [t for t in (float(x) for x in str(stored).split()) if t > now - per]
            if len(hits) >= rate:
                return max(hits[0] + per - now, 0.01)
            hits.append(now)
            await tx.execute("UPDATE ask_cooldowns SET hits = ?, last_at = ? WHERE user_id = ?",
                             (" ".join(repr(t) for t in hits), now, user_id))
        return 0.0

    async def should_notify(self, user_id: int, now: float, per: float) -> bool:
        """True once per window per user, across every process."""
        async with self.db.write() as tx:
            told = await tx.fetchval(
                "INSERT INTO ask_cooldowns (user_id, hits, last_at, notified_at)"
                " VALUES (?, '', ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
                " notified_at = excluded.notified_at WHERE ask_cooldowns.notified_at IS NULL"
                " OR ask_cooldowns.notified_at <= ? RETURNING user_id",
                (user_id, now, now, now - per))
        return told is not None

    async def prune(self, now: float) -> None:
        cutoff = now - FORGET_AFTER
        async with self.db.write() as tx:
            await tx.execute("DELETE FROM answer_claims WHERE claimed_at < ?", (cutoff,))
            await tx.execute("DELETE FROM ask_cooldowns WHERE last_at < ?", (cutoff,))
