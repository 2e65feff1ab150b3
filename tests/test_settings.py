"""Settings: read once from the environment and .env, every problem reported, documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import (
    BAD_TOKEN,
    Cooldown,
    Settings,
    SettingsError,
    environment,
    load_settings,
    read_dotenv,
    settings_table,
)

REPO = Path(__file__).resolve().parents[1]


def known() -> set[str]:
    return {info.env for info in settings_table()}


def test_missing_token_and_bad_values_are_all_reported(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({
            "LABWIRE_KNOWLEDGE": str(tmp_path / "nope"),
            "LABWIRE_ASK_CHANNEL_IDS": "123, hello",
            "DISCORD_GATEWAY_URL": "http://127.0.0.1:1/gateway",
            "LABWIRE_RETENTION_DAYS": "0",
            "LABWIRE_MOD_ROLE_IDS": "moderators",
            "LABWIRE_WATCH_POLL_SECONDS": "0",
            "LABWIRE_LOG_FORMAT": "xml",
        }, for_bot=True)
    problems = caught.value.problems
    assert len(problems) == 8
    assert problems[0].startswith("DISCORD_TOKEN is not set") and "labwire chat" in problems[0]
    assert any(p.startswith("LABWIRE_MOD_ROLE_IDS:") for p in problems)
    assert any("LABWIRE_KNOWLEDGE" in p for p in problems)
    assert any("'123' is not a Discord id" in p for p in problems)
    assert any("DISCORD_GATEWAY_URL" in p and "ws://" in p for p in problems)
    assert any("LABWIRE_RETENTION_DAYS" in p for p in problems)
    assert any(p.startswith("LABWIRE_WATCH_POLL_SECONDS:") for p in problems)
    assert any(p.startswith("LABWIRE_LOG_FORMAT:") and "text, json" in p for p in problems)


def test_token_never_appears_in_problems_or_repr(tmp_path: Path) -> None:
    token = "secret token with spaces 1234567890"
    with pytest.raises(SettingsError) as caught:
        load_settings({"DISCORD_TOKEN": token, "LABWIRE_KNOWLEDGE": str(tmp_path)}, for_bot=True)
    assert token not in str(caught.value)
    settings = load_settings({"DISCORD_TOKEN": "abcdefghijk.lmnop",
                              "LABWIRE_KNOWLEDGE": str(tmp_path)}, for_bot=True)
    assert "abcdefghijk" not in repr(settings)
    assert settings.secrets == ("abcdefghijk.lmnop",)


def test_terminal_commands_need_no_token() -> None:
    assert load_settings({}).token == ""
    assert load_settings({"DISCORD_TOKEN": "short"}).secrets == ("short",), "kept for redaction"


def test_defaults_and_derived_paths(tmp_path: Path) -> None:
    settings = load_settings({"LABWIRE_KNOWLEDGE": str(tmp_path),
                              "LABWIRE_DB": str(tmp_path / "d" / "x.sqlite3"),
                              "LABWIRE_ASK_COOLDOWN": "5/10", "LABWIRE_WATCH": "yes"})
    assert settings.heartbeat_path == tmp_path / "d" / "heartbeat.json"
    assert settings.retention_days == 90 and settings.briefing_poll_seconds == 60
    assert settings.ask_cooldown == Cooldown(5, 10.0)
    assert settings.watch and settings.watch_poll_seconds == 1.0
    assert settings.api_base is None and settings.gateway_url is None
    assert not settings.message_content_intent
    with_channels = load_settings({"LABWIRE_ASK_CHANNEL_IDS": "123456789012345678"})
    assert with_channels.ask_channel_ids == {123456789012345678}
    assert with_channels.message_content_intent
    assert Settings().db_path == Path("data") / "labwire.sqlite3"


def test_dotenv_parsing(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nexport DISCORD_TOKEN='abc def'\nLABWIRE_DB=/data/x.db  # trailing\n"
        "not a line\nEMPTY=\nQUOTED=\"a#b\"\n", encoding="utf-8")
    assert read_dotenv(env_file) == {"DISCORD_TOKEN": "abc def", "LABWIRE_DB": "/data/x.db",
                                     "EMPTY": "", "QUOTED": "a#b"}
    assert read_dotenv(tmp_path / "missing") == {}


def test_the_environment_wins_over_the_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LABWIRE_RETENTION_DAYS=10\nLABWIRE_DB=/from/dotenv.db\n")
    monkeypatch.setenv("LABWIRE_RETENTION_DAYS", "30")
    settings = load_settings(environment(env_file))
    assert settings.retention_days == 30 and settings.db_path == Path("/from/dotenv.db")


def test_a_bad_setting_stops_any_command_with_one_line_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LABWIRE_RETENTION_DAYS", "soon")
    monkeypatch.setenv("LABWIRE_LOG_LEVEL", "LOUD")
    assert main(["ask", "who is sam altman"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "labwire ask: LABWIRE_RETENTION_DAYS: must be a whole number of days, at least 1.",
        "labwire ask: LABWIRE_LOG_LEVEL: 'LOUD' is not one of DEBUG, INFO, WARNING, ERROR.",
    ]


def test_env_example_lists_every_setting_once() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    names = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE)
    assert sorted(names) == sorted(known())
    for info in settings_table():  # each one has a comment right above it
        assert re.search(rf"^# .+\n#?\s*{info.env}=", text, flags=re.MULTILINE), info.env


def test_readme_settings_table_names_exactly_the_settings_the_code_knows() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    header = "| Variable | Default | Meaning |"
    table = readme.split(header, 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", table, flags=re.MULTILINE))
    assert named == known()


def test_the_settings_of_drafts_and_feeds() -> None:
    defaults = load_settings({})
    assert (defaults.fetch_allow_private, defaults.feed_poll_seconds,
            defaults.mod_channel_id) == (False, 3600.0, None)
    chosen = load_settings({"LABWIRE_FETCH_ALLOW_PRIVATE": "1",
                            "LABWIRE_FEED_POLL_SECONDS": "900",
                            "LABWIRE_MOD_CHANNEL_ID": "123456789012345678"})
    assert (chosen.fetch_allow_private, chosen.feed_poll_seconds,
            chosen.mod_channel_id) == (True, 900.0, 123456789012345678)
    with pytest.raises(SettingsError) as caught:
        load_settings({"LABWIRE_FEED_POLL_SECONDS": "0.5",
                       "LABWIRE_MOD_CHANNEL_ID": "123456789012345678,223456789012345678"})
    assert caught.value.problems == [
        "LABWIRE_FEED_POLL_SECONDS: must be a number >= 1.",
        "LABWIRE_MOD_CHANNEL_ID: '123456789012345678,223456789012345678' is not one Discord "
        "id (15-21 digits).",
    ]


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = sorted(str(p.relative_to(REPO)) for p in (REPO / "bot").rglob("*.py")
                     if re.search(r"os\.environ|getenv\(", p.read_text(encoding="utf-8")))
    assert readers == ["bot/settings.py"]


def test_a_token_that_is_set_but_malformed_is_not_also_called_missing() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"DISCORD_TOKEN": "x", "LABWIRE_KNOWLEDGE": str(REPO / "knowledge")},
                      for_bot=True)
    assert raised.value.problems == [BAD_TOKEN]
