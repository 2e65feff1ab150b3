"""LABWIRE_DATABASE_URL (or LABWIRE_DB) picks the backend; a password never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.storage.urls import DatabaseURLError, parse_database_url, redact_url

SECRET = "s3cret-p@ss"
PG = "postgresql://labwire:s3cret-p%40ss@db.internal:6543/labwire"


def test_the_url_wins_then_labwire_db_then_the_default_file() -> None:
    assert load_settings({"LABWIRE_DATABASE_URL": PG, "LABWIRE_DB": "/x.sqlite3"}).database == PG
    assert load_settings({"LABWIRE_DB": "/data/x.sqlite3"}).database == "sqlite:////data/x.sqlite3"
    assert load_settings({"LABWIRE_DATABASE_URL": "  "}).database == (
        "sqlite:///data/labwire.sqlite3")


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:///data/labwire.sqlite3", Path("data/labwire.sqlite3")),
    ("sqlite:////var/lib/labwire.sqlite3", Path("/var/lib/labwire.sqlite3")),
    ("sqlite:///:memory:", Path(":memory:")),
])
def test_sqlite_urls_name_a_file(url: str, path: Path) -> None:
    target = parse_database_url(url)
    assert (target.backend, target.path) == ("sqlite", path)


def test_postgresql_url_keeps_libpq_options_and_takes_labwires_own() -> None:
    target = parse_database_url(
        f"{PG}?sslmode=require&pool_size=4&connect_timeout=2.5&command_timeout=7"
        "&pool_timeout=90")
    assert target.backend == "postgresql" and target.path is None
    assert target.postgresql is not None
    assert (target.postgresql.pool_size, target.postgresql.connect_timeout,
            target.postgresql.command_timeout, target.postgresql.pool_timeout) == (
        4, 2.5, 7.0, 90.0)
    assert target.dsn == f"{PG}?sslmode=require"
    assert parse_database_url("postgres://u@h/d").backend == "postgresql"


def test_the_password_is_hidden_from_display_repr_and_errors() -> None:
    target = parse_database_url(f"{PG}?password=other-secret")
    assert target.display == "postgresql://labwire:***@db.internal:6543/labwire?password=***"
    for shown in (target.display, repr(target)):
        assert "s3cret" not in shown and "other-secret" not in shown
    assert redact_url("postgresql://u@h/d") == "postgresql://u@h/d"
    with pytest.raises(DatabaseURLError) as caught:
        parse_database_url(f"{PG}?pool_size=0")
    assert "pool_size" in str(caught.value) and "s3cret" not in str(caught.value)
    with pytest.raises(DatabaseURLError) as caught:
        parse_database_url("postgresql://labwire:s3cret@db:port/labwire")
    assert "port" in str(caught.value) and "s3cret" not in str(caught.value)


@pytest.mark.parametrize(("url", "says"), [
    ("data/labwire.sqlite3", "not a database URL"),
    ("mysql://u:pw@h/d", "not a database URL"),
    ("sqlite://data.db", "three slashes"),
    ("sqlite:///", "names no file"),
    ("postgresql://h/d?connect_timeout=soon", "connect_timeout"),
])
def test_bad_urls_say_what_a_good_one_looks_like(url: str, says: str) -> None:
    with pytest.raises(DatabaseURLError, match=says):
        parse_database_url(url)


def test_the_settings_read_the_url_hide_its_password_and_report_a_bad_one(
    tmp_path: Path,
) -> None:
    env = {"DISCORD_TOKEN": "abcdefghijk", "LABWIRE_KNOWLEDGE": str(tmp_path),
           "LABWIRE_DB": str(tmp_path / "old.sqlite3")}
    old = load_settings(env, for_bot=True)
    assert old.database == f"sqlite:///{tmp_path / 'old.sqlite3'}"
    assert old.heartbeat_path == tmp_path / "heartbeat.json"
    settings = load_settings({**env, "LABWIRE_DATABASE_URL": PG}, for_bot=True)
    assert settings.database == PG
    assert settings.database_display == "postgresql://labwire:***@db.internal:6543/labwire"
    assert "s3cret" not in repr(settings)
    assert SECRET in settings.secrets  # the log filter replaces it wherever it would appear
    assert settings.heartbeat_path == Path("data") / "heartbeat.json"
    with pytest.raises(SettingsError) as caught:
        load_settings({**env, "LABWIRE_DATABASE_URL": "mysql://u:hunter2@h/d"})
    assert caught.value.problems[0].startswith("LABWIRE_DATABASE_URL: mysql://u:***@h/d")
    assert "hunter2" not in str(caught.value)
