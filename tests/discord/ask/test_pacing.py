"""Pacing: the per-user cooldown (/ask and mentions together) and the duplicate rule;
in memory (one process), and shared by every process through the database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.discord.ask.pacing import jump_url
from bot.settings import Cooldown
from tests.discord.ask.manners import (
    KINDS,
    Ticks,
    answer_claims,
    cooldown_gate,
    manners_url,
)


@pytest.fixture(params=KINDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return manners_url(request, tmp_path)


async def test_cooldown_allows_rate_per_window_per_user(url: str | None) -> None:
    clock = Ticks()
    async with cooldown_gate(url, Cooldown(2, 30.0), clock) as cooldown:
        assert await cooldown.hit(1) == 0 and await cooldown.hit(1) == 0
        assert await cooldown.hit(1) == pytest.approx(30.0)
        assert await cooldown.hit(2) == 0
        clock.now += 30.0
        assert await cooldown.hit(1) == 0
    async with cooldown_gate(url, Cooldown(0, 0), clock) as off:
        assert await off.hit(1) == 0, "rate 0 turns it off"


async def test_a_public_reminder_is_given_once_per_window(url: str | None) -> None:
    clock = Ticks()
    async with cooldown_gate(url, Cooldown(1, 30.0), clock) as cooldown:
        assert await cooldown.should_notify(1) and not await cooldown.should_notify(1)
        assert await cooldown.should_notify(2), "per user"
        clock.now += 30.0
        assert await cooldown.should_notify(1)


async def test_two_processes_count_one_users_questions_together(postgres_url: str) -> None:
    clock = Ticks()
    async with cooldown_gate(postgres_url, Cooldown(3, 30.0), clock) as first, \
            cooldown_gate(postgres_url, Cooldown(3, 30.0), clock) as second:
        waits = await asyncio.gather(*(gate.hit(7) for gate in (first, second) * 5))
    assert sum(1 for wait in waits if wait == 0) == 3  # never more than the rate


async def test_recent_answers_expire_after_the_window(url: str | None) -> None:
    clock = Ticks()
    async with answer_claims(url, 60.0, clock) as recent:
        assert await recent.claim(1, "article:a") is None
        await recent.settle(1, "article:a", 42, jump_url(7, 1, 42))
        earlier = await recent.claim(1, "article:a")
        assert earlier is not None and earlier.message_id == 42
        assert earlier.jump_url == "https://discord.com/channels/7/1/42"
        assert await recent.claim(2, "article:a") is None, "per channel"
        clock.now += 60.0
        assert await recent.claim(1, "article:a") is None


async def test_a_failed_post_lets_the_next_asker_try(url: str | None) -> None:
    async with answer_claims(url, 60.0, Ticks()) as recent:
        assert await recent.claim(1, "article:a") is None
        await recent.release(1, "article:a")
        assert await recent.claim(1, "article:a") is None


async def test_two_processes_never_both_post_one_answer_in_a_channel(
    postgres_url: str,
) -> None:
    clock = Ticks()
    async with answer_claims(postgres_url, 60.0, clock) as first, \
            answer_claims(postgres_url, 60.0, clock) as second:
        claims = await asyncio.gather(*(claims.claim(5, "article:a")
                                        for claims in (first, second) * 10))
    assert sum(1 for claim in claims if claim is None) == 1
