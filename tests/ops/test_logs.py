"""Structured logs: text by default, JSON lines on request, the token never printed."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest

from bot.ops.logs import REDACTED, configure_logging
from bot.settings import SettingsError, load_settings

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"

Configure = Callable[..., io.StringIO]


@pytest.fixture
def logs() -> Iterator[Configure]:
    """Configure logging into a buffer from these settings, as `labwire run` does; undo it
    afterwards so other tests are untouched."""
    root = logging.getLogger()
    saved_level, saved_handlers = root.level, list(root.handlers)

    def configure(**env: str) -> io.StringIO:
        settings = load_settings(env)
        buffer = io.StringIO()
        configure_logging(settings.log_level, fmt=settings.log_format, secrets=settings.secrets,
                          stream=buffer)
        return buffer

    yield configure
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def lines(buffer: io.StringIO) -> list[str]:
    return buffer.getvalue().splitlines()


def test_json_lines_carry_core_fields_and_every_extra(logs: Configure) -> None:
    out = logs(LABWIRE_LOG_FORMAT="json")
    logging.getLogger("bot.discord.ask").info(
        "interaction", extra={"command": "ask", "latency_ms": 42.5, "outcome": "answered"}
    )
    [line] = lines(out)
    record = json.loads(line)
    assert record["level"] == "INFO"
    assert record["logger"] == "bot.discord.ask"
    assert record["message"] == "interaction"
    assert record["command"] == "ask"
    assert record["latency_ms"] == 42.5
    assert record["outcome"] == "answered"
    assert record["timestamp"].endswith("+00:00")


def test_text_is_the_default_and_shows_extras(logs: Configure) -> None:
    out = logs()
    logging.getLogger("bot.x").warning("reload refused", extra={"problems": 3, "file": "a b.yaml"})
    [line] = lines(out)
    assert not line.startswith("{")
    assert "WARNING bot.x: reload refused" in line
    assert "problems=3" in line
    assert 'file="a b.yaml"' in line


def test_level_comes_from_the_environment(logs: Configure) -> None:
    out = logs(LABWIRE_LOG_LEVEL="warning")
    log = logging.getLogger("bot.y")
    log.info("routine")
    log.warning("attention")
    assert [("attention" in line) for line in lines(out)] == [True]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_token_is_redacted_wherever_it_appears(logs: Configure, fmt: str) -> None:
    out = logs(LABWIRE_LOG_FORMAT=fmt, DISCORD_TOKEN=TOKEN)
    log = logging.getLogger("bot.leaky")
    log.info("connecting with %s", TOKEN)
    log.info("login", extra={"header": f"Bot {TOKEN}"})
    try:
        raise RuntimeError(f"401 for token {TOKEN}")
    except RuntimeError:
        log.exception("gateway failed")
    text = out.getvalue()
    assert TOKEN not in text
    assert text.count(REDACTED) >= 3
    assert "gateway failed" in text and "RuntimeError" in text


def test_unknown_format_is_a_clear_error(logs: Configure) -> None:
    with pytest.raises(SettingsError, match="LABWIRE_LOG_FORMAT: 'yaml' is not one of text"):
        logs(LABWIRE_LOG_FORMAT="yaml")
    with pytest.raises(ValueError, match="log format 'yaml'"):
        configure_logging(fmt="yaml")


def test_reconfiguring_replaces_rather_than_duplicates(logs: Configure) -> None:
    first = logs()
    second = logs()
    logging.getLogger("bot.z").warning("once")
    assert lines(first) == []
    assert len(lines(second)) == 1
