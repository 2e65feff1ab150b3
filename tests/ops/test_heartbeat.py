"""The heartbeat file is replaced atomically and never leaves temporary files behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.heartbeat import HeartbeatStatus, read_heartbeat, write_heartbeat

STATUS = HeartbeatStatus(gateway_connected=True, last_event_age=1.5, knowledge_loaded=True,
                         database_writable=True)


def test_rewriting_leaves_only_the_heartbeat(tmp_path: Path) -> None:
    path = tmp_path / "state" / "heartbeat.json"
    for _ in range(20):
        write_heartbeat(path, STATUS)
    assert [p.name for p in path.parent.iterdir()] == ["heartbeat.json"]
    read = read_heartbeat(path)
    assert read is not None and read.gateway_connected and read.written_at > 0


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat.json"
    path.mkdir()  # something in the way: the final rename must fail
    with pytest.raises(OSError):
        write_heartbeat(path, STATUS)
    assert [p.name for p in tmp_path.iterdir()] == ["heartbeat.json"]
