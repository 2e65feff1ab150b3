"""Bot configuration from the environment (and an optional ``.env``), validated up front.

:func:`load_config` reports every problem at once, one clear sentence each, and
never echoes the token.  Settings of later features can be read from
``BotConfig.env`` with the same parsers (:func:`parse_ids`, :func:`parse_float`),
so a new cog needs no change here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_DB = Path("data") / "labwire.sqlite3"
HEARTBEAT_NAME = "heartbeat.json"
DEFAULT_RETENTION_DAYS = 90
DEFAULT_COOLDOWN = "3/30"
DEFAULT_GUILD_READY_TIMEOUT = 2.0

TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create an application at "
    "https://discord.com/developers/applications, open Bot > Reset Token, and put the token in "
    "the environment (export DISCORD_TOKEN=...) or in a .env file next to where you run "
    "`labwire run`. To try Labwire without Discord, run `labwire chat`."
)

T = TypeVar("T")


class ConfigError(Exception):
    """One or more settings are wrong; ``problems`` has one sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Cooldown:
    """At most ``rate`` questions per ``per`` seconds per user (rate 0 = no limit)."""

    rate: int
    per: float


@dataclass(frozen=True)
class BotConfig:
    token: str = field(repr=False)
    db_path: Path
    knowledge_dir: Path
    heartbeat_path: Path
    dev_guild_ids: tuple[int, ...] = ()
    ask_channel_ids: frozenset[int] = frozenset()
    api_base: str | None = None  # None: Discord's own
    gateway_url: str | None = None  # None: whatever GET /gateway/bot says
    retention_days: int = DEFAULT_RETENTION_DAYS
    ask_cooldown: Cooldown = Cooldown(3, 30.0)
    dedup_seconds: float = 60.0
    guild_ready_timeout: float = DEFAULT_GUILD_READY_TIMEOUT
    shutdown_grace: float = 10.0
    heartbeat_interval: float = 30.0  # bot.ops.heartbeat.HEARTBEAT_INTERVAL
    view_timeout: float = 600.0  # per-user flows (/risk, "Did you mean") disable after this idle
    ack_budget: float = 2.0  # slow work before a reply defers after this (Discord allows 3 s)
    semantic: bool = True  # LABWIRE_SEMANTIC=0: answer with lexical matching only
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def message_content_intent(self) -> bool:
        """Plain questions in ask channels need message content (a privileged intent)."""
        return bool(self.ask_channel_ids)


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines (``export`` prefix, quotes and ``#`` comments allowed)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip()] = value
    return values


def environment(dotenv: Path | None = Path(".env")) -> dict[str, str]:
    """The process environment over the ``.env`` file (the real environment wins)."""
    merged = read_dotenv(dotenv) if dotenv is not None else {}
    merged.update(os.environ)
    return merged


def parse_ids(text: str) -> tuple[int, ...]:
    """Comma- or space-separated Discord ids; raises ValueError naming the bad one."""
    ids = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        if not part.isdigit() or not 15 <= len(part) <= 21:
            raise ValueError(f"'{part}' is not a Discord id (15-21 digits)")
        ids.append(int(part))
    return tuple(ids)


def parse_float(text: str, *, minimum: float = 0.0) -> float:
    value = float(text)
    if value < minimum or value != value:
        raise ValueError(f"must be a number >= {minimum}")
    return value


def parse_cooldown(text: str) -> Cooldown:
    """``"3/30"``: three questions per 30 seconds; ``"0"`` turns the cooldown off."""
    if text.strip() == "0":
        return Cooldown(0, 0.0)
    rate, sep, per = text.partition("/")
    if not sep or not rate.strip().isdigit():
        raise ValueError("must look like RATE/SECONDS, e.g. 3/30 (or 0 for no cooldown)")
    return Cooldown(int(rate), parse_float(per, minimum=0.1))


def load_config(env: Mapping[str, str], *, require_token: bool = True) -> BotConfig:
    """Build the configuration from ``env``; raise :class:`ConfigError` listing every problem."""
    problems: list[str] = []

    def setting(name: str, parse: Callable[[str], T], default: T, hint: str = "") -> T:
        raw = env.get(name, "").strip()
        if not raw:
            return default
        try:
            return parse(raw)
        except ValueError as exc:
            problems.append(f"{name}: {exc}{hint}.")
            return default

    token = env.get("DISCORD_TOKEN", "").strip()
    if require_token and not token:
        problems.append(TOKEN_HELP)
    elif token and (any(c.isspace() for c in token) or len(token) < 8):
        problems.append("DISCORD_TOKEN does not look like a bot token (too short or contains "
                        "spaces); copy it again from the Developer Portal.")

    db_path = Path(env.get("LABWIRE_DB", "").strip() or DEFAULT_DB)
    heartbeat = env.get("LABWIRE_HEARTBEAT", "").strip()
    knowledge = env.get("LABWIRE_KNOWLEDGE", "").strip()
    knowledge_dir = Path(knowledge) if knowledge else _shipped_knowledge()
    if not knowledge_dir.is_dir():
        problems.append(f"LABWIRE_KNOWLEDGE: '{knowledge_dir}' is not a directory.")

    no_ids: tuple[int, ...] = ()
    no_url: str | None = None
    # Read by the moderator tools from ``env``; checked here so a typo is reported at
    # start with the others instead of failing when the cog loads.
    for name in ("LABWIRE_MOD_ROLE_IDS", "LABWIRE_CURATOR_GUILD_IDS"):
        setting(name, parse_ids, no_ids)
    config = BotConfig(
        token=token,
        db_path=db_path,
        knowledge_dir=knowledge_dir,
        heartbeat_path=Path(heartbeat) if heartbeat else db_path.parent / HEARTBEAT_NAME,
        dev_guild_ids=setting("LABWIRE_DEV_GUILD_IDS", parse_ids, no_ids),
        ask_channel_ids=frozenset(setting("LABWIRE_ASK_CHANNEL_IDS", parse_ids, no_ids)),
        api_base=setting("DISCORD_API_BASE", _url(("http", "https")), no_url),
        gateway_url=setting("DISCORD_GATEWAY_URL", _url(("ws", "wss")), no_url),
        retention_days=setting("LABWIRE_RETENTION_DAYS", _positive_int, DEFAULT_RETENTION_DAYS),
        ask_cooldown=setting("LABWIRE_ASK_COOLDOWN", parse_cooldown, parse_cooldown(
            DEFAULT_COOLDOWN)),
        guild_ready_timeout=setting("LABWIRE_GUILD_READY_TIMEOUT",
                                    lambda t: parse_float(t, minimum=0.01),
                                    DEFAULT_GUILD_READY_TIMEOUT),
        semantic=setting("LABWIRE_SEMANTIC", parse_switch, True),
        env=dict(env),
    )
    if problems:
        raise ConfigError(problems)
    return config


def parse_switch(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be 1 or 0 (on or off)")


def _shipped_knowledge() -> Path:
    here = Path("knowledge")
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "knowledge"


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError("must be a whole number of days, at least 1")
    return int(text)


def _url(schemes: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        parts = urlsplit(text)
        if parts.scheme not in schemes or not parts.netloc:
            raise ValueError(f"'{text}' must be a {' or '.join(s + '://' for s in schemes)} URL")
        return text.rstrip("/")

    return parse
