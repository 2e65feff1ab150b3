"""Which database to use: ``LABWIRE_DATABASE_URL`` (or the older ``LABWIRE_DB``), parsed.

Pure functions over strings, so the settings code can call them and report a
bad value with the other settings.  Two forms are understood:

- ``sqlite:///relative/path.sqlite3``, ``sqlite:////absolute/path.sqlite3`` and
  ``sqlite:///:memory:`` (the path is whatever follows ``sqlite:///``);
- ``postgresql://user:password@host:port/database`` (or ``postgres://``), with
  libpq's query parameters (``sslmode``, ...) plus four of Labwire's own:
  ``pool_size`` (most connections per process, default 10), ``connect_timeout``,
  ``command_timeout`` and ``pool_timeout`` (seconds, defaults 10, 30 and 60; the
  last is how long a statement waits for a free pooled connection, so a burst
  queues there instead of failing).

A password never appears in anything this module returns for display or in
its error messages: use :attr:`DatabaseTarget.display`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

Backend = Literal["sqlite", "postgresql"]

SQLITE_PREFIX = "sqlite:///"
POSTGRESQL_SCHEMES = ("postgresql", "postgres")
DEFAULT_POOL_SIZE = 10
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_COMMAND_TIMEOUT = 30.0
DEFAULT_POOL_TIMEOUT = 60.0
_OWN_OPTIONS = ("pool_size", "connect_timeout", "command_timeout", "pool_timeout")
_HIDDEN = "***"


class DatabaseURLError(ValueError):
    """The database URL cannot be used; the message says why without echoing a password."""


@dataclass(frozen=True)
class PostgreSQLOptions:
    pool_size: int = DEFAULT_POOL_SIZE
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    command_timeout: float = DEFAULT_COMMAND_TIMEOUT
    pool_timeout: float = DEFAULT_POOL_TIMEOUT


@dataclass(frozen=True)
class DatabaseTarget:
    """A parsed database URL.

    ``dsn`` is what the driver gets (PostgreSQL: Labwire's own options removed)
    and may hold a password, so it stays out of ``repr``; ``display`` is safe
    to log and print.
    """

    backend: Backend
    display: str
    dsn: str = field(repr=False)
    path: Path | None = None
    postgresql: PostgreSQLOptions | None = None


def sqlite_url(path: str | Path) -> str:
    """The URL of an SQLite file (relative paths stay relative)."""
    return SQLITE_PREFIX + str(path)


def parse_database_url(text: str) -> DatabaseTarget:
    """Parse ``text``; raise :class:`DatabaseURLError` with a one-line reason."""
    text = text.strip()
    if text.startswith(SQLITE_PREFIX):
        return _sqlite_target(text)
    scheme = text.partition("://")[0].lower() if "://" in text else ""
    if scheme in POSTGRESQL_SCHEMES:
        return _postgresql_target(text)
    if scheme == "sqlite":
        raise DatabaseURLError("an SQLite URL looks like sqlite:///path/to/file.sqlite3 "
                               "(three slashes, then the path)")
    shown = redact_url(text) if scheme else "a plain path"
    raise DatabaseURLError(f"{shown} is not a database URL: use sqlite:///path/to/file.sqlite3 "
                           "or postgresql://user:password@host:5432/database")


def url_passwords(text: str) -> tuple[str, ...]:
    """The password in a URL as written and decoded (``%40`` is ``@``), to keep out of logs."""
    try:
        password = urlsplit(text).password
    except ValueError:
        return ()
    return tuple(dict.fromkeys((password, unquote(password)))) if password else ()


def redact_url(text: str) -> str:
    """``text`` with any password (in the user part or a ``password=`` parameter) hidden."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return "(an unreadable URL)"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, sep, _password = userinfo.partition(":")
        netloc = f"{user}:{_HIDDEN}@{hostport}" if sep else netloc
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, _HIDDEN if k.lower() == "password" else v) for k, v in pairs],
                          safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _sqlite_target(text: str) -> DatabaseTarget:
    path = text[len(SQLITE_PREFIX):]
    if not path:
        raise DatabaseURLError("the SQLite URL names no file: use sqlite:///path/to/file.sqlite3")
    return DatabaseTarget("sqlite", display=text, dsn=path, path=Path(path))


def _postgresql_target(text: str) -> DatabaseTarget:
    display = redact_url(text)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise DatabaseURLError(f"{display}: the port must be a number") from None
    if parts.fragment:
        raise DatabaseURLError(f"{display}: a database URL has no #fragment")
    kept: list[tuple[str, str]] = []
    own: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in _OWN_OPTIONS:
            own[key] = value
        else:
            kept.append((key, value))
    options = PostgreSQLOptions(
        pool_size=_whole(own, "pool_size", DEFAULT_POOL_SIZE, display),
        connect_timeout=_seconds(own, "connect_timeout", DEFAULT_CONNECT_TIMEOUT, display),
        command_timeout=_seconds(own, "command_timeout", DEFAULT_COMMAND_TIMEOUT, display),
        pool_timeout=_seconds(own, "pool_timeout", DEFAULT_POOL_TIMEOUT, display),
    )
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(kept), ""))
    return DatabaseTarget("postgresql", display=display, dsn=dsn, postgresql=options)


def _whole(own: dict[str, str], key: str, default: int, display: str) -> int:
    raw = own.get(key)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise DatabaseURLError(f"{display}: {key} must be a whole number, at least 1")
    return int(raw)


def _seconds(own: dict[str, str], key: str, default: float, display: str) -> float:
    raw = own.get(key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:  # also refuses NaN
        raise DatabaseURLError(f"{display}: {key} must be a number of seconds above 0")
    return value
