"""Shards over processes: a process runs its subset, posts only its guilds' briefings,
and reports its shards to ``labwire health``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main
from bot.discord.bot import LabwireBot
from bot.ops.health import judge
from bot.ops.heartbeat import HeartbeatStatus
from bot.settings import Settings, SettingsError, load_settings
from bot.storage.moderation import BriefingStore
from tests.discord.conftest import Bots, StartBot
from tests.fake_discord import FakeDiscord

T0 = dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC)


def shard_of(guild_id: int | str, count: int) -> int:
    return (int(guild_id) >> 22) % count


def test_a_guild_belongs_to_the_shard_discords_formula_names() -> None:
    guild_id = 123_456_789_012_345_678 + (1 << 22)  # (id >> 22) % 4 == 1
    assert shard_of(guild_id, 4) == 1
    assert Settings(shard_ids=frozenset({0, 1}), shard_count=4).owns_guild(guild_id)
    assert not Settings(shard_ids=frozenset({2, 3}), shard_count=4).owns_guild(guild_id)
    assert Settings().owns_guild(guild_id)  # no subset: every guild


def test_shard_settings_parse_and_go_together() -> None:
    settings = load_settings({"LABWIRE_SHARD_IDS": "0-1, 3", "LABWIRE_SHARD_COUNT": "4"})
    assert (settings.shard_ids, settings.shard_count) == (frozenset({0, 1, 3}), 4)
    for env, says in (({"LABWIRE_SHARD_IDS": "0-1"}, "go together"),
                      ({"LABWIRE_SHARD_IDS": "4", "LABWIRE_SHARD_COUNT": "4"}, "shard 4"),
                      ({"LABWIRE_SHARD_IDS": "2-1", "LABWIRE_SHARD_COUNT": "4"}, "counts down")):
        with pytest.raises(SettingsError) as caught:
            load_settings(env)
        assert len(caught.value.problems) == 1 and says in caught.value.problems[0]


def test_run_refuses_a_shard_outside_the_count_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abcdefghijk.lmnop")
    monkeypatch.setenv("LABWIRE_DB", str(tmp_path / "x.sqlite3"))
    assert main(["run", "--shard-ids", "2-3", "--shard-count", "3"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "labwire run: LABWIRE_SHARD_IDS: shard 3 does not exist with LABWIRE_SHARD_COUNT=3 "
        "(ids run from 0)."]
    assert not (tmp_path / "x.sqlite3").exists()


async def test_a_process_runs_only_its_shards_and_reports_them(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    mine = 1 - shard_of(fake.guild.id, 2)  # the shard the test guild is NOT on
    bot = await start_bot(shard_ids=frozenset({mine}), shard_count=2)
    assert fake.identify is not None and fake.identify["shard"] == [mine, 2]
    assert sorted(bot.shards) == [mine]
    status = await bot.heartbeat_status()
    assert status.shards == {str(mine): True}


async def _briefing_handled(bot: LabwireBot, guild_id: int) -> bool:
    poster = getattr(bot.get_cog("Briefing"), "poster", None)
    assert poster is not None
    await poster.run_due(T0 + dt.timedelta(days=8))
    stored = await BriefingStore(bot.services.db).get(guild_id)
    assert stored is not None
    return stored.last_sent_at is not None


async def test_the_weekly_briefing_is_handled_only_by_the_guilds_shard(
    fake: FakeDiscord, bots: Bots
) -> None:
    owner = shard_of(fake.guild.id, 2)
    stranger = await bots.start(shard_ids=frozenset({1 - owner}), shard_count=2,
                                restartable=True)
    await BriefingStore(stranger.services.db).subscribe(
        int(fake.guild.id), channel_id=1, weekday=0, hour=9, by=None, at=T0)
    assert not await _briefing_handled(stranger, int(fake.guild.id))
    await bots.stop(stranger)

    owning = await bots.start(shard_ids=frozenset({owner}), shard_count=2)
    assert await _briefing_handled(owning, int(fake.guild.id))


def test_health_names_a_disconnected_shard() -> None:
    base = HeartbeatStatus(True, 1.0, True, True, written_at=1000.0)
    healthy = judge(HeartbeatStatus(**{**base.__dict__, "shards": {"0": True, "1": True}}),
                    now=1001.0)
    assert healthy.healthy and "shards 0, 1 connected" in healthy.reason
    one_down = judge(HeartbeatStatus(**{**base.__dict__, "shards": {"0": True, "1": False}}),
                     now=1001.0)
    assert not one_down.healthy and one_down.reason == "shard 1 disconnected"
