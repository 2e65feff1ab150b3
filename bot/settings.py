"""Every setting Labwire reads, declared once, read once at start, then passed down.

:class:`Settings` is the table: each field made with :func:`setting` names its
environment variable, its parser, its default and a one-line help text.  The
``labwire`` command builds one ``Settings`` from the environment and an optional
``.env`` file (the environment wins) with :func:`load_settings`, which reports
every bad setting at once, and hands it to the command it runs.  Nothing else in
``bot/`` reads ``os.environ``.

Adding a setting is one step: add a field here, e.g.::

    feed_poll_seconds: float = setting(
        "LABWIRE_FEED_POLL_SECONDS", seconds(minimum=1), 900.0,
        "How often the feeds are polled.")

then read ``settings.feed_poll_seconds`` where it is needed.  The tests in
``tests/test_settings.py`` then fail until ``.env.example`` and the README's
settings table list it too, so the documentation cannot drift.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from bot.storage.urls import parse_database_url, sqlite_url, url_passwords

T = TypeVar("T")
Parser = Callable[[str], T]

DEFAULT_DB = Path("data") / "labwire.sqlite3"
HEARTBEAT_NAME = "heartbeat.json"
DOTENV = Path(".env")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")

TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create an application at "
    "https://discord.com/developers/applications, open Bot > Reset Token, and put the token in "
    "the environment (export DISCORD_TOKEN=...) or in a .env file next to where you run "
    "`labwire run`. To try Labwire without Discord, run `labwire chat`."
)
BAD_TOKEN = ("DISCORD_TOKEN does not look like a bot token (too short or contains spaces); "
             "copy it again from the Developer Portal.")


class SettingsError(Exception):
    """One or more settings are wrong; ``problems`` has one sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Cooldown:
    """At most ``rate`` questions per ``per`` seconds per user (rate 0 = no limit)."""

    rate: int
    per: float


# ---------------------------------------------------------------------- parsers, one per type

def path(value: str) -> Path:
    return Path(value)


def discord_ids(value: str) -> frozenset[int]:
    """Comma- or space-separated Discord ids; the error names the bad one."""
    ids = set()
    for part in re.split(r"[,\s]+", value.strip()):
        if not part:
            continue
        if not part.isdigit() or not 15 <= len(part) <= 21:
            raise ValueError(f"'{part}' is not a Discord id (15-21 digits)")
        ids.add(int(part))
    return frozenset(ids)


def discord_id(value: str) -> int:
    """One Discord id (a channel, a role)."""
    ids = discord_ids(value)
    if len(ids) != 1:
        raise ValueError(f"'{value[:40]}' is not one Discord id (15-21 digits)")
    return next(iter(ids))


def days(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ValueError("must be a whole number of days, at least 1")
    return int(value)


def seconds(*, minimum: float = 0.0, above: bool = False) -> Parser[float]:
    """A number of seconds, at least ``minimum`` (or more than it, with ``above``)."""
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a number of seconds") from None
        too_small = number <= minimum if above else number < minimum
        if math.isnan(number) or math.isinf(number) or too_small:
            raise ValueError(f"must be a number {'>' if above else '>='} {minimum:g}")
        return number

    return parse


def cooldown(value: str) -> Cooldown:
    """``"3/30"``: three questions per 30 seconds; ``"0"`` turns the cooldown off."""
    if value.strip() == "0":
        return Cooldown(0, 0.0)
    rate, sep, per = value.partition("/")
    if not sep or not rate.strip().isdigit():
        raise ValueError("must look like RATE/SECONDS, e.g. 3/30 (or 0 for no cooldown)")
    return Cooldown(int(rate), seconds(minimum=0.1)(per))


def switch(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"'{value}' is not on or off (use 1 or 0)")


def url(*schemes: str) -> Parser[str]:
    def parse(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in schemes or not parts.netloc:
            raise ValueError(f"'{value}' must be a {' or '.join(s + '://' for s in schemes)} URL")
        return value.rstrip("/")

    return parse


def one_of(*choices: str) -> Parser[str]:
    """One of ``choices``, compared case-insensitively, returned as spelled there."""
    def parse(value: str) -> str:
        for choice in choices:
            if value.strip().lower() == choice.lower():
                return choice
        raise ValueError(f"'{value}' is not one of {', '.join(choices)}")

    return parse


def database_url(value: str) -> str:
    """``sqlite:///FILE`` or ``postgresql://...``; the error never shows a password."""
    parse_database_url(value)  # DatabaseURLError is a ValueError
    return value


def shard_ids(value: str) -> frozenset[int]:
    """``0-1``, ``0,2`` or ``3``: the shards this process runs."""
    ids: set[int] = set()
    for part in re.split(r"[,\s]+", value.strip()):
        if not part:
            continue
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise ValueError(f"'{part}' is not a shard id or range (e.g. 0-1 or 0,2)")
        low, high = int(first), int(last) if dash else int(first)
        if high < low:
            raise ValueError(f"'{part}' counts down; write the lower id first")
        ids.update(range(low, high + 1))
    return frozenset(ids)


def shard_count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ValueError("must be a whole number of shards, at least 1")
    return int(value)


def bot_token(value: str) -> str:
    if any(c.isspace() for c in value) or len(value) < 8:
        raise ValueError(BAD_TOKEN)
    return value


# ---------------------------------------------------------------------- the table

@dataclass(frozen=True)
class SettingInfo:
    """How one environment variable becomes one :class:`Settings` field."""

    env: str
    parse: Callable[[str], Any]
    help: str
    secret: bool = False  # never shown, checked only for `labwire run` (the token)


@dataclass(frozen=True)
class Computed(Generic[T]):
    """A default worked out when the settings are built (it depends on the surroundings)."""

    make: Callable[[], T]


_INFO = "labwire.setting"


def setting(
    env: str, parse: Callable[[str], T], default: T | Computed[T], help: str, *,
    secret: bool = False, shown: bool = True,
) -> T:
    """A :class:`Settings` field read from ``env`` (unset or empty: ``default``).

    ``shown=False`` keeps a checked value out of ``repr`` (a URL with a password).
    """
    metadata = {_INFO: SettingInfo(env, parse, help, secret)}
    show = shown and not secret
    if isinstance(default, Computed):
        return field(default_factory=default.make, repr=show, metadata=metadata)
    return field(default=default, repr=show, metadata=metadata)


def shipped_knowledge() -> Path:
    """``./knowledge`` when there is one, else the copy next to the package."""
    here = Path("knowledge")
    return here if here.is_dir() else Path(__file__).resolve().parents[1] / "knowledge"


@dataclass(frozen=True)
class Settings:
    # Discord
    token: str = setting(
        "DISCORD_TOKEN", bot_token, "", "The bot token (required by `labwire run`). Never logged.",
        secret=True)
    dev_guild_ids: frozenset[int] = setting(
        "LABWIRE_DEV_GUILD_IDS", discord_ids, frozenset(),
        "Guild ids to sync commands to at once while developing; empty: global sync.")
    ask_channel_ids: frozenset[int] = setting(
        "LABWIRE_ASK_CHANNEL_IDS", discord_ids, frozenset(),
        "Channels where plain questions are answered without a mention (needs the Message "
        "Content intent).")
    ask_cooldown: Cooldown = setting(
        "LABWIRE_ASK_COOLDOWN", cooldown, Cooldown(3, 30.0),
        "Questions per seconds per user, /ask and mentions together; 0 turns it off.")
    api_base: str | None = setting(
        "DISCORD_API_BASE", url("http", "https"), None,
        "Send REST calls here instead of Discord's (a rate-limit proxy, a test fake).")
    gateway_url: str | None = setting(
        "DISCORD_GATEWAY_URL", url("ws", "wss"), None,
        "Connect to this gateway instead of the one Discord advertises.")
    shard_ids: frozenset[int] = setting(
        "LABWIRE_SHARD_IDS", shard_ids, frozenset(),
        "The shards this process runs, e.g. 0-1 (with LABWIRE_SHARD_COUNT); empty: all of them.")
    shard_count: int | None = setting(
        "LABWIRE_SHARD_COUNT", shard_count, None,
        "Shards in the whole deployment (with LABWIRE_SHARD_IDS); unset: Discord's advice.")
    guild_ready_timeout: float = setting(
        "LABWIRE_GUILD_READY_TIMEOUT", seconds(minimum=0.01), 2.0,
        "Seconds to wait for more guilds at start before the bot counts as ready.")
    # State
    database_url: str = setting(
        "LABWIRE_DATABASE_URL", database_url, "",
        "The database: sqlite:///FILE or postgresql://user:password@host:5432/db; wins over "
        "LABWIRE_DB. The password is never logged.", shown=False)
    db_path: Path = setting(
        "LABWIRE_DB", path, DEFAULT_DB,
        "The SQLite database file when LABWIRE_DATABASE_URL is unset: question log, feedback, "
        "quiz results, revisions.")
    heartbeat: Path | None = setting(
        "LABWIRE_HEARTBEAT", path, None,
        "Heartbeat file the running bot rewrites every 30 s (default: next to the database).")
    knowledge_dir: Path = setting(
        "LABWIRE_KNOWLEDGE", path, Computed(shipped_knowledge),
        "The knowledge directory (default ./knowledge); it must validate.")
    terminal_question_log: bool = setting(
        "LABWIRE_TERMINAL_QUESTION_LOG", switch, True,
        "1: questions asked in `labwire chat` and `labwire ask` go to the question log as the "
        "user 'terminal' (so `labwire kb unanswered` shows them); 0: they are not stored.")
    semantic: bool = setting(
        "LABWIRE_SEMANTIC", switch, True,
        "0: answer with lexical matching only, without the sentence-embedding model.")
    retention_days: int = setting(
        "LABWIRE_RETENTION_DAYS", days, 90,
        "Questions and feedback older than this many days are deleted (checked daily).")
    # Moderators
    mod_role_ids: frozenset[int] = setting(
        "LABWIRE_MOD_ROLE_IDS", discord_ids, frozenset(),
        "Role ids whose members may use moderator commands in every server.")
    curator_guild_ids: frozenset[int] = setting(
        "LABWIRE_CURATOR_GUILD_IDS", discord_ids, frozenset(),
        "Only these servers may change the knowledge base; empty: every server may.")
    briefing_poll_seconds: float = setting(
        "LABWIRE_BRIEFING_POLL_SECONDS", seconds(minimum=0), 60.0,
        "How often the bot checks for a due weekly briefing; 0 turns posting off.")
    watch: bool = setting(
        "LABWIRE_WATCH", switch, False,
        "1: reload the knowledge base when its files change (like `labwire run --watch`).")
    watch_poll_seconds: float = setting(
        "LABWIRE_WATCH_POLL_SECONDS", seconds(minimum=0, above=True), 1.0,
        "Seconds between the watcher's looks at the knowledge files.")
    # Keeping the knowledge current (issue 14): drafts from links, news feeds
    fetch_allow_private: bool = setting(
        "LABWIRE_FETCH_ALLOW_PRIVATE", switch, False,
        "1: links and feeds may reach private and loopback addresses (tests, self-hosters).")
    feed_poll_seconds: float = setting(
        "LABWIRE_FEED_POLL_SECONDS", seconds(minimum=1), 3600.0,
        "How often the bot polls the news feeds moderators follow, in seconds.")
    mod_channel_id: int | None = setting(
        "LABWIRE_MOD_CHANNEL_ID", discord_id, None,
        "Channel where new feed items (with Draft and Dismiss buttons) and failing feeds "
        "are posted for moderators; empty: feeds are not posted.")
    # Logs
    log_level: str = setting(
        "LABWIRE_LOG_LEVEL", one_of(*LOG_LEVELS), "INFO",
        "DEBUG, INFO, WARNING or ERROR.")
    log_format: str = setting(
        "LABWIRE_LOG_FORMAT", one_of(*LOG_FORMATS), "text",
        "text (readable) or json (one object per line, for log shippers).")

    # Fixed tunables, not read from the environment (tests and benchmarks change them).
    dedup_seconds: float = 60.0  # the same answer is not posted twice in a channel within this
    shutdown_grace: float = 10.0  # in-flight interactions get this long on SIGTERM
    heartbeat_interval: float = 30.0  # bot.ops.heartbeat.HEARTBEAT_INTERVAL
    view_timeout: float = 600.0  # per-user flows (/risk, "Did you mean") disable after this idle
    ack_budget: float = 2.0  # slow work before a reply defers after this (Discord allows 3 s)
    leader_check_seconds: float = 5.0  # how soon another process takes over per-deployment work
    # With PostgreSQL, how often to look for other processes' knowledge edits when a
    # notice was missed (notices apply them within a second).
    knowledge_check_seconds: float = 30.0

    @property
    def database(self) -> str:
        """The database to use, as a URL: LABWIRE_DATABASE_URL, else the LABWIRE_DB file."""
        return self.database_url or sqlite_url(self.db_path)

    @property
    def database_display(self) -> str:
        """:attr:`database` safe to log and print (any password hidden)."""
        return parse_database_url(self.database).display

    @property
    def heartbeat_path(self) -> Path:
        """Next to an SQLite database; PostgreSQL has no local folder, so ./data/."""
        if self.heartbeat:
            return self.heartbeat
        sqlite_file = parse_database_url(self.database).path
        return (sqlite_file or DEFAULT_DB).parent / HEARTBEAT_NAME

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process runs the shard that ``guild_id`` is on (Discord's formula)."""
        if not self.shard_count or not self.shard_ids:
            return True
        return (guild_id >> 22) % self.shard_count in self.shard_ids

    @property
    def message_content_intent(self) -> bool:
        """Plain questions in ask channels need message content (a privileged intent)."""
        return bool(self.ask_channel_ids)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values of secret settings (the token), which must never reach a log line."""
        declared = [str(value) for name, info in _declared()
                    if info.secret and (value := getattr(self, name))]
        return (*declared, *url_passwords(self.database_url))


def _declared() -> list[tuple[str, SettingInfo]]:
    """(field name, how it is read) for every environment setting, in declaration order."""
    return [(f.name, info) for f in fields(Settings)
            if isinstance(info := f.metadata.get(_INFO), SettingInfo)]


def settings_table() -> list[SettingInfo]:
    """Every environment variable Labwire reads, in declaration order."""
    return [info for _, info in _declared()]


# ---------------------------------------------------------------------- reading

def read_dotenv(dotenv: Path) -> dict[str, str]:
    """``KEY=value`` lines (``export`` prefix, quotes and ``#`` comments allowed)."""
    return parse_dotenv(dotenv)[0]


def parse_dotenv(dotenv: Path) -> tuple[dict[str, str], list[str]]:
    """The values of a ``.env`` file, and one warning per line that was ignored."""
    values: dict[str, str] = {}
    warnings: list[str] = []
    if not dotenv.is_file():
        return values, warnings
    try:
        text = dotenv.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return values, [f"{dotenv}: cannot read it ({exc}); no settings taken from it"]
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            warnings.append(f"{dotenv}:{number}: ignored, not a NAME=value line ({_shown(line)})")
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip()] = value
    return values, warnings


def _shown(line: str, limit: int = 30) -> str:
    """How an ignored line starts: its first word, enough to find it and too little to leak
    a token written after a missing '='."""
    first = line.split(maxsplit=1)[0] if line.split() else line
    return f"it starts with {first[:limit]!r}"


def environment(dotenv: Path | None = None) -> dict[str, str]:
    """The process environment over a ``.env`` file (default ``./.env``); the environment wins."""
    return load_environment(dotenv)[0]


def load_environment(dotenv: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """:func:`environment`, plus a warning for each ignored line of the ``.env`` file.

    A file named explicitly (``--env-file``) must exist: :class:`SettingsError` if not.
    """
    if dotenv is not None and not dotenv.is_file():
        what = "is a folder" if dotenv.is_dir() else "does not exist"
        raise SettingsError([f"--env-file {dotenv}: the settings file {what}."])
    merged, warnings = parse_dotenv(DOTENV if dotenv is None else dotenv)
    merged.update(os.environ)
    return merged, warnings


def load_settings(env: Mapping[str, str], *, for_bot: bool = False) -> Settings:
    """Build :class:`Settings` from ``env``; raise :class:`SettingsError` listing every problem.

    ``for_bot`` (``labwire run``) also requires a token and an existing knowledge
    directory; the terminal commands need no token and report a missing
    directory themselves.  A problem never echoes the token.
    """
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name, info in _declared():
        raw = env.get(info.env, "").strip()
        if not raw:
            continue
        if info.secret and not for_bot:
            values[name] = raw  # unchecked: kept only so that logs can redact it
            continue
        try:
            values[name] = info.parse(raw)
        except ValueError as exc:
            problems.append(str(exc) if info.secret else f"{info.env}: {exc}.")
    settings = Settings(**values)
    if for_bot and not env.get("DISCORD_TOKEN", "").strip():  # a bad one is reported above
        problems.insert(0, TOKEN_HELP)
    if not any(p.startswith("LABWIRE_SHARD") for p in problems):  # each parsed: check both
        problems += shard_problems(settings)
    if for_bot and not settings.knowledge_dir.is_dir():
        problems.append(f"LABWIRE_KNOWLEDGE: '{settings.knowledge_dir}' is not a directory.")
    if problems:
        raise SettingsError(problems)
    return settings


def shard_problems(settings: Settings) -> list[str]:
    """The shard settings work only together, and every id must be below the count."""
    if bool(settings.shard_ids) != bool(settings.shard_count):
        return ["LABWIRE_SHARD_IDS and LABWIRE_SHARD_COUNT go together: set both (e.g. 0-1 "
                "and 4) or neither."]
    too_high = sorted(i for i in settings.shard_ids if settings.shard_count is not None
                      and i >= settings.shard_count)
    if too_high:
        return [f"LABWIRE_SHARD_IDS: shard {too_high[0]} does not exist with "
                f"LABWIRE_SHARD_COUNT={settings.shard_count} (ids run from 0)."]
    return []


# Libraries that would phone home unless told not to, and how to tell them. onnxruntime
# (the semantic signal) uploads usage events to Microsoft by default on Linux since 1.29;
# Labwire sends nothing anywhere but Discord and the pages moderators ask for. The
# variable is read by the library's C++ code when it is imported, so it is set here,
# the one module that touches the process environment, before that import.
LIBRARY_OPT_OUTS = {"ORT_DISABLE_TELEMETRY": "1"}


def keep_libraries_offline() -> None:
    """Turn off third-party telemetry; call before importing such a library."""
    os.environ.update(LIBRARY_OPT_OUTS)
