"""The duplicate rule: one answer per channel per 60 seconds; a failed post frees the slot;
in memory, and shared by every process through the database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.discord.ask.duplicates import jump_url
from tests.discord.ask.manners import KINDS, Ticks, answer_claims, manners_url


@pytest.fixture(params=KINDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return manners_url(request, tmp_path)


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
