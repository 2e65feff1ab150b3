"""/risk end to end: the ephemeral per-user quiz flow, its result, Share, last and stats.

The quiz file is the shipped ``knowledge/quiz/risk.yaml`` (copied by the sample
knowledge fixture); expectations are read from it, and the score is checked
against ``bot.quiz.scoring.score`` because the Discord flow must show exactly
what the quiz module computes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.discord.bot import LabwireBot
from bot.quiz.schema import Quiz
from bot.quiz.scoring import score
from bot.storage.quiz_results import QuizResults
from tests.clock import SettableClock
from tests.discord.conftest import Bots, StartBot
from tests.discord.helpers import component, custom_ids, embed_text
from tests.fake_discord import FakeDiscord, InteractionHandle, RecordedCall, components_of


@pytest.fixture
def quiz(bot: LabwireBot) -> Quiz:
    found = bot.services.knowledge.kb.quizzes.get("risk")
    if not isinstance(found, Quiz):
        pytest.skip("the shipped quiz file is not in the knowledge base")
    return found


async def start(fake: FakeDiscord, user: str = "alice") -> tuple[InteractionHandle, RecordedCall]:
    handle = await fake.invoke_slash("risk", user=user)
    return handle, await handle.response()


def rid(source: RecordedCall | dict[str, Any], action: str) -> str:
    """The custom id of the quiz component for ``action`` (it carries the session id)."""
    found = [c for c in custom_ids(source) if c.startswith("risk:") and c.endswith(f":{action}")]
    assert len(found) == 1, custom_ids(source)
    return found[0]


async def pick(fake: FakeDiscord, handle: InteractionHandle, option_id: str,
               user: str = "alice") -> RecordedCall:
    message = handle.original_message
    click = await fake.click(message, rid(message, "answer"), values=[option_id], user=user)
    return await click.response()


async def test_full_quiz_with_back_shows_a_cited_result_and_saves_it(
    fake: FakeDiscord, bot: LabwireBot, quiz: Quiz
) -> None:
    total = len(quiz.questions)
    handle, first = await start(fake)
    assert first.ephemeral
    assert f"1/{total}" in embed_text(first)
    select = component(first, rid(first, "answer"))
    options = quiz.questions[0].options
    assert [o["label"] for o in select["options"]] == [o.label for o in options]
    assert [o["description"] for o in select["options"]] == [o.why for o in options]
    assert component(first, rid(first, "back"))["disabled"] is True
    assert component(first, rid(first, "cancel"))
    session = rid(first, "answer").split(":")[1]
    assert all(c.split(":")[1] == session for c in custom_ids(first)), "one session per pass"

    first_choice = quiz.questions[0].options[0].id
    step2 = await pick(fake, handle, first_choice)
    assert step2.callback_type == 7
    assert f"2/{total}" in embed_text(step2)
    assert quiz.questions[1].prompt in embed_text(step2)

    back = await fake.click(handle.original_message, rid(step2, "back"))
    again = await back.response()
    assert f"1/{total}" in embed_text(again)
    defaults = [o["value"] for o in component(again, rid(again, "answer"))["options"]
                if o.get("default")]
    assert defaults == [first_choice], "Back keeps the earlier choice selected"

    answers = {q.id: q.options[-1].id for q in quiz.questions}
    result_call = None
    for question in quiz.questions:
        result_call = await pick(fake, handle, answers[question.id])
    assert result_call is not None

    expected = score(quiz, answers)
    text = embed_text(result_call)
    assert f"{expected.score}/100" in text and expected.band.name in text
    for item in expected.breakdown:
        assert item.factor in text
        for citation in item.citations:
            assert citation.url in text
    assert f"Data as of {quiz.data_as_of}" in text
    assert [c["custom_id"] for c in components_of(result_call.data)] == [rid(result_call, "share")]

    rows = await bot.services.db.fetchall(
        "SELECT user_id, guild_id, answers, score FROM quiz_results")
    assert len(rows) == 1
    assert rows[0]["user_id"] == fake.user("alice").id
    assert rows[0]["guild_id"] == fake.guild.id
    assert json.loads(rows[0]["answers"]) == answers and rows[0]["score"] == expected.score


async def finish_quiz(fake: FakeDiscord, handle: InteractionHandle, quiz: Quiz) -> RecordedCall:
    call = None
    for question in quiz.questions:
        call = await pick(fake, handle, question.options[0].id)
    assert call is not None
    return call


async def test_share_posts_a_short_public_summary_once(
    fake: FakeDiscord, bot: LabwireBot, quiz: Quiz
) -> None:
    handle, _ = await start(fake)
    result = await finish_quiz(fake, handle, quiz)
    expected = score(quiz, {q.id: q.options[0].id for q in quiz.questions})

    share = await fake.click(handle.original_message, rid(result, "share"))
    greyed = await share.response()
    assert greyed.callback_type == 7, "the private quiz message is updated in place"
    assert component(greyed, rid(result, "share"))["disabled"] is True
    public = await share.followup()
    assert not public.ephemeral
    assert f"{expected.score}/100" in embed_text(public)
    assert "Alice" in embed_text(public)
    assert "/risk" in embed_text(public)
    assert public.data["allowed_mentions"] == {"parse": []}
    assert len(embed_text(public)) < 600, "a short summary, not the whole breakdown"


async def test_only_the_quiz_taker_may_click(
    fake: FakeDiscord, bot: LabwireBot, quiz: Quiz
) -> None:
    handle, first = await start(fake, user="alice")
    intruder = await fake.click(handle.original_message, rid(first, "answer"),
                                values=[quiz.questions[0].options[0].id], user="bob")
    refusal = await intruder.response()

    assert refusal.ephemeral and refusal.callback_type == 4
    assert "start your own with /risk" in embed_text(refusal).lower()
    assert f"1/{len(quiz.questions)}" in embed_text(handle.original_message), "quiz unchanged"


async def test_cancel_saves_nothing(fake: FakeDiscord, bot: LabwireBot, quiz: Quiz) -> None:
    handle, _ = await start(fake)
    step2 = await pick(fake, handle, quiz.questions[0].options[0].id)
    cancel = await (await fake.click(handle.original_message, rid(step2, "cancel"))).response()

    assert "cancelled" in embed_text(cancel).lower()
    assert cancel.components == []
    assert await bot.services.db.fetchall("SELECT * FROM quiz_results") == []
    assert await bot.services.db.fetchall("SELECT * FROM quiz_sessions") == []


async def test_idle_quiz_times_out_and_disables_its_components(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    bot = await start_bot(view_timeout=0.2)
    if not isinstance(bot.services.knowledge.kb.quizzes.get("risk"), Quiz):
        pytest.skip("the shipped quiz file is not in the knowledge base")
    handle, _ = await start(fake)

    expired = await handle.edit()
    assert "timed out" in expired.content
    assert components_of(expired.data) and all(c.get("disabled")
                                                for c in components_of(expired.data))


async def test_show_last_and_stats(fake: FakeDiscord, bot: LabwireBot, quiz: Quiz) -> None:
    none_yet = await (await fake.invoke_slash("risk", {"show": "last"})).response()
    assert none_yet.ephemeral and "haven't taken" in embed_text(none_yet)

    results = QuizResults(bot.services.db)
    low = score(quiz, {q.id: min(q.options, key=lambda o: o.points).id for q in quiz.questions})
    high = score(quiz, {q.id: max(q.options, key=lambda o: o.points).id for q in quiz.questions})
    await results.save(low, user_id=fake.user("alice").id, guild_id=fake.guild.id)
    await results.save(high, user_id=fake.user("bob").id, guild_id=fake.guild.id)
    await results.save(high, user_id=fake.user("carol").id, guild_id="999999999999999999")

    last = await (await fake.invoke_slash("risk", {"show": "last"})).response()
    assert last.ephemeral
    assert f"{low.score}/100" in embed_text(last) and low.band.name in embed_text(last)

    stats = await (await fake.invoke_slash("risk", {"show": "stats"})).response()
    text = embed_text(stats)
    assert stats.ephemeral
    assert "**2** people" in text, "only this server's results count"
    assert f"median score **{(low.score + high.score) / 2:g}**" in text
    for band in quiz.bands:
        assert band.name in text


async def test_a_quiz_carries_on_after_the_bot_restarts(fake: FakeDiscord, bots: Bots) -> None:
    first_bot = await bots.start(restartable=True)
    quiz = first_bot.services.knowledge.kb.quizzes["risk"]
    assert isinstance(quiz, Quiz)
    answers = {q.id: q.options[-1].id for q in quiz.questions}
    handle, _ = await start(fake)
    for question in quiz.questions[:2]:
        await pick(fake, handle, answers[question.id])

    await bots.stop(first_bot)  # the restart: the old message keeps its components
    second_bot = await bots.start()

    step3 = await pick(fake, handle, answers[quiz.questions[2].id])
    assert step3.callback_type == 7 and f"4/{len(quiz.questions)}" in embed_text(step3)
    result = await pick(fake, handle, answers[quiz.questions[3].id])
    expected = score(quiz, answers)
    assert f"{expected.score}/100" in embed_text(result)
    rows = await second_bot.services.db.fetchall("SELECT answers, score FROM quiz_results")
    assert [(json.loads(r["answers"]), r["score"]) for r in rows] == [(answers, expected.score)]


async def test_a_quiz_idle_past_its_timeout_is_refused_after_a_restart(
    fake: FakeDiscord, bots: Bots, clock: SettableClock
) -> None:
    first_bot = await bots.start(clock=clock, restartable=True)
    quiz = first_bot.services.knowledge.kb.quizzes["risk"]
    assert isinstance(quiz, Quiz)
    handle, _ = await start(fake)
    step2 = await pick(fake, handle, quiz.questions[0].options[0].id)
    await bots.stop(first_bot)
    clock.advance(seconds=first_bot.settings.view_timeout + 1)
    second_bot = await bots.start(clock=clock)

    late = await (await fake.click(handle.original_message, rid(step2, "answer"),
                                   values=[quiz.questions[1].options[0].id])).response()
    assert late.callback_type == 7
    assert "timed out after 10 idle minutes" in late.content and "/risk" in late.content
    assert all(c.get("disabled") for c in components_of(late.data))
    assert await second_bot.services.db.fetchall("SELECT * FROM quiz_sessions") == []
    assert await second_bot.services.db.fetchall("SELECT * FROM quiz_results") == []
