"""Logging for the command line and the bot.

Readable text by default; one JSON object per line with ``LABWIRE_LOG_FORMAT=json``
(for log shippers).  Every ``extra={...}`` field passed to a log call is kept:
appended as ``key=value`` in text, as top-level keys in JSON.  ``LABWIRE_LOG_LEVEL``
sets the level (default INFO).  Both come from :class:`bot.settings.Settings`.

As a safety net the secrets passed in (the Discord token, ``Settings.secrets``) are
replaced by ``[REDACTED]`` wherever they would appear in a line: message,
arguments, extra fields or traceback.  Code must still never log them on purpose.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import aiohttp

REDACTED = "[REDACTED]"
# Shorter values would blank out ordinary words; a real Discord token is ~70 chars.
MIN_SECRET_LENGTH = 8
FORMATS = ("text", "json")

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "taskName"}
)


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra={...}`` fields of a record, in the order they were given."""
    return {
        k: v for k, v in vars(record).items() if k not in _RECORD_ATTRS and not k.startswith("_")
    }


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record so that no secret survives in it (never drops a record)."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if len(s) >= MIN_SECRET_LENGTH)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        for key, value in extra_fields(record).items():
            if isinstance(value, str):
                setattr(record, key, self.redact(value))
            elif not isinstance(value, int | float | bool | type(None)):
                text = str(value)
                if self.redact(text) != text:
                    setattr(record, key, self.redact(text))
        if record.exc_info and not record.exc_text:
            # Render the traceback now so the formatter reuses the redacted text.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class ShortConnectionErrors(logging.Filter):
    """discord.py's connection failures as one line each, without a traceback.

    discord.py logs a full traceback every time it cannot reach Discord (and then
    retries); the reason is all an operator can act on.  Other tracebacks stay.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("discord") or not record.exc_info:
            return True
        error = record.exc_info[1]
        if isinstance(error, OSError | aiohttp.ClientError):
            reason = str(error) or type(error).__name__
            record.msg, record.args = f"{record.getMessage()} ({reason})", None
            record.exc_info, record.exc_text = None, None
        return True


class TextFormatter(logging.Formatter):
    """``2025-01-31 12:00:00,123 INFO bot.x: message key=value ...``"""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (stdlib name)
        line = super().formatMessage(record)
        fields = extra_fields(record)
        if fields:
            line += " " + " ".join(f"{k}={_text_value(v)}" for k, v in fields.items())
        return line


def _text_value(value: object) -> str:
    text = str(value)
    return json.dumps(text) if (not text or any(c.isspace() or c in "\"=" for c in text)) else text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, logger, message, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in extra_fields(record).items():
            payload.setdefault(key, value)  # an extra never hides a core field
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exception"] = record.exc_text
        if record.stack_info:
            payload["stack"] = record.stack_info
        return json.dumps(payload, ensure_ascii=False, default=str)


class _LabwireHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler we install so reconfiguring replaces only ours."""


def configure_logging(
    level: str = "INFO",
    *,
    fmt: str = "text",
    secrets: tuple[str, ...] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Install (or replace) Labwire's handler on the root logger; return it.

    ``level`` is DEBUG, INFO, WARNING or ERROR, ``fmt`` "text" or "json" (the
    settings ``LABWIRE_LOG_LEVEL``/``LABWIRE_LOG_FORMAT``); ``secrets`` never
    appear in a line; ``stream`` defaults to stderr.
    """
    level_name = level.strip().upper()
    numeric = logging.getLevelName(level_name)
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level_name!r}; use DEBUG, INFO, WARNING or ERROR")
    format_name = fmt.strip().lower()
    if format_name not in FORMATS:
        raise ValueError(f"unknown log format {format_name!r}; use 'text' or 'json'")

    handler = _LabwireHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if format_name == "json" else TextFormatter())
    handler.addFilter(ShortConnectionErrors())
    handler.addFilter(RedactSecretsFilter(secrets))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _LabwireHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    return handler
