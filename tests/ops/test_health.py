"""`labwire health`: exit 0 only for a fresh heartbeat with every flag healthy."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat

HEALTHY = HeartbeatStatus(
    gateway_connected=True, last_event_age=2.0, knowledge_loaded=True, database_writable=True
)


def run_health(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["health", *args])
    out, err = capsys.readouterr()
    return code, (out + err).strip()


def age_heartbeat(path: Path, seconds: float) -> None:
    """Pretend the bot wrote the heartbeat ``seconds`` ago."""
    data = json.loads(path.read_text())
    data["written_at"] = time.time() - seconds
    path.write_text(json.dumps(data))


def test_fresh_healthy_heartbeat_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    beat = tmp_path / "heartbeat.json"
    write_heartbeat(beat, HEALTHY)
    code, output = run_health(capsys, "--heartbeat", str(beat))
    assert code == 0
    assert output.startswith("healthy")


def test_missing_heartbeat_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run_health(capsys, "--heartbeat", str(tmp_path / "nope.json"))
    assert code == 1
    assert "no heartbeat file" in output
    assert len(output.splitlines()) == 1


def test_stale_heartbeat_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    beat = tmp_path / "heartbeat.json"
    write_heartbeat(beat, HEALTHY)
    age_heartbeat(beat, 120)
    code, output = run_health(capsys, "--heartbeat", str(beat))
    assert code == 1
    assert "stale" in output and "120 s" in output


def test_heartbeat_just_inside_the_limit_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    beat = tmp_path / "heartbeat.json"
    write_heartbeat(beat, HEALTHY)
    age_heartbeat(beat, 60)  # two missed 30 s beats are tolerated
    assert run_health(capsys, "--heartbeat", str(beat))[0] == 0


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ("gateway_connected", "gateway disconnected"),
        ("knowledge_loaded", "knowledge model not loaded"),
        ("database_writable", "database not writable"),
    ],
)
def test_each_unhealthy_flag_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, reason: str
) -> None:
    beat = tmp_path / "heartbeat.json"
    write_heartbeat(beat, HeartbeatStatus(**{**vars(HEALTHY), field: False}))
    code, output = run_health(capsys, "--heartbeat", str(beat))
    assert code == 1
    assert reason in output


def test_gateway_silence_fails_only_past_a_chosen_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    beat = tmp_path / "heartbeat.json"
    write_heartbeat(beat, HeartbeatStatus(True, 900.0, True, True))
    # A quiet server: connected, no events for 15 minutes, still healthy by default.
    assert run_health(capsys, "--heartbeat", str(beat))[0] == 0
    code, output = run_health(capsys, "--heartbeat", str(beat), "--max-event-age", "600")
    assert code == 1
    assert "nothing from the gateway for 900 s" in output


@pytest.mark.parametrize("content", ["{not json", "[]", '{"gateway_connected": "yes"}'])
def test_malformed_heartbeat_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    beat = tmp_path / "heartbeat.json"
    beat.write_text(content)
    code, output = run_health(capsys, "--heartbeat", str(beat))
    assert code == 1
    assert "malformed" in output


def test_default_heartbeat_lives_next_to_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LABWIRE_HEARTBEAT", raising=False)
    monkeypatch.setenv("LABWIRE_DB", str(tmp_path / "state" / "labwire.sqlite3"))
    write_heartbeat(tmp_path / "state" / "heartbeat.json", HEALTHY)
    assert run_health(capsys)[0] == 0


def test_a_bad_setting_is_unhealthy_with_exit_1_never_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LABWIRE_RETENTION_DAYS", "never")
    assert main(["health"]) == 1  # Docker reserves exit code 2 for health checks
    assert "LABWIRE_RETENTION_DAYS" in capsys.readouterr().err
