"""Judge the running bot's heartbeat file: the logic behind ``labwire health``.

Healthy means: the heartbeat was written less than ``MAX_HEARTBEAT_AGE`` seconds
ago (the bot writes it every ``HEARTBEAT_INTERVAL`` = 30 s, so three missed
beats fail), the gateway is connected, the knowledge model is loaded and the
database is writable.  The age of the last gateway event is judged only when a
limit is given: a quiet server can go a long time without any event, and
discord.py itself reconnects a connection whose heartbeats go unanswered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bot.ops.heartbeat import HeartbeatStatus, read_heartbeat

MAX_HEARTBEAT_AGE = 90.0
# A heartbeat stamped further in the future than this means a broken clock.
CLOCK_SKEW = 5.0


@dataclass(frozen=True)
class HealthVerdict:
    healthy: bool
    reason: str  # one line, for people and for `docker inspect`
    heartbeat_age: float | None = None


def judge(
    status: HeartbeatStatus,
    now: float,
    max_age: float = MAX_HEARTBEAT_AGE,
    max_event_age: float | None = None,
) -> HealthVerdict:
    """Every problem with a heartbeat, joined into one line; healthy if there are none."""
    age = now - status.written_at
    problems = []
    if age > max_age:
        problems.append(f"heartbeat is stale: written {age:.0f} s ago (limit {max_age:.0f} s)")
    elif age < -CLOCK_SKEW:
        problems.append(f"heartbeat is stamped {-age:.0f} s in the future (clock problem?)")
    if not status.gateway_connected:
        problems.append("gateway disconnected")
    down = [shard for shard, up in (status.shards or {}).items() if not up]
    if status.gateway_connected and down:
        problems.append(f"{'shard' if len(down) == 1 else 'shards'} {', '.join(down)} "
                        "disconnected")
    event_age = None if status.last_event_age is None else status.last_event_age + max(age, 0.0)
    if event_age is not None and max_event_age is not None and event_age > max_event_age:
        problems.append(
            f"nothing from the gateway for {event_age:.0f} s (limit {max_event_age:.0f} s)"
        )
    if not status.knowledge_loaded:
        problems.append("knowledge model not loaded")
    if not status.database_writable:
        problems.append("database not writable")
    if problems:
        return HealthVerdict(False, "; ".join(problems), age)
    events = "no gateway event yet" if event_age is None else f"last event {event_age:.0f} s ago"
    shards = f", shards {', '.join(status.shards)} connected" if status.shards else ""
    return HealthVerdict(
        True, f"heartbeat {max(age, 0.0):.0f} s old, gateway connected ({events}){shards}, "
        "knowledge loaded, database writable", age
    )


def check_health(
    path: Path,
    now: float | None = None,
    max_age: float = MAX_HEARTBEAT_AGE,
    max_event_age: float | None = None,
) -> HealthVerdict:
    """Read ``path`` and judge it; a missing or unreadable file is unhealthy."""
    if not path.exists():
        return HealthVerdict(False, f"no heartbeat file at {path} (is the bot running?)")
    status = read_heartbeat(path)
    if status is None or not _well_formed(status):
        return HealthVerdict(False, f"heartbeat file {path} is unreadable or malformed")
    return judge(status, time.time() if now is None else now, max_age, max_event_age)


def _well_formed(status: HeartbeatStatus) -> bool:
    """Field types as written by ``write_heartbeat`` (the file is JSON anyone can edit)."""
    flags = (status.gateway_connected, status.knowledge_loaded, status.database_writable)
    number = (int, float)
    return (
        all(isinstance(flag, bool) for flag in flags)
        and isinstance(status.written_at, number) and not isinstance(status.written_at, bool)
        and (status.last_event_age is None or isinstance(status.last_event_age, number))
        and (status.shards is None or (isinstance(status.shards, dict) and all(
            isinstance(k, str) and isinstance(v, bool) for k, v in status.shards.items())))
    )
