"""/risk end to end: the ephemeral per-user quiz flow, its result, Share, last and stats.

The quiz file is the shipped ``knowledge/quiz/risk.yaml`` (copied by the sample
knowledge fixture); expectations are read from it, and the score is checked
against ``bot.quiz.scoring.score`` because the Discord flow must show exactly
what the quiz module computes.
"""

from __future__ import annotations

import json

import pytest

from bot.discord.bot import LabwireBot
from bot.quiz.schema import Quiz
from bot.quiz.scoring import score
from bot.storage.quiz_results import QuizResults
from tests.discord.conftest import StartBot
from tests.discord.helpers import component, embed_text
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


async def pick(fake: FakeDiscord, handle: InteractionHandle, option_id: str,
               user: str = "alice") -> RecordedCall:
    click = await fake.click(handle.original_message, "risk:answer", values=[option_id], user=user)
    return await click.response()


async def test_full_quiz_with_back_shows_a_cited_result_and_saves_it(
    fake: FakeDiscord, bot: LabwireBot, quiz: Quiz
) -> None:
    total = len(quiz.questions)
    handle, first = await start(fake)
    assert first.ephemeral
    assert f"1/{total}" in embed_text(first)
    select = component(first, "risk:answer")
    options = quiz.questions[0].options
    assert [o["label"] for o in select["options"]] == [o.label for o in options]
    assert [o["description"] for o in select["options"]] == [o.why for o in options]
    assert component(first, "risk:back")["disabled"] is True
    assert component(first, "risk:cancel")

    first_choice = quiz.questions[0].options[0].id
    step2 = await pick(fake, handle, first_choice)
    assert step2.callback_type == 7
    assert f"2/{total}" in embed_text(step2)
    assert quiz.questions[1].prompt in embed_text(step2)

    back = await fake.click(handle.original_message, "risk:back")
    again = await back.response()
    assert f"1/{total}" in embed_text(again)
    defaults = [o["value"] for o in component(again, "risk:answer")["options"] if o.get("default")]
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
    assert [c["custom_id"] for c in components_of(result_call.data)] == ["risk:share"]

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
    await finish_quiz(fake, handle, quiz)
    expected = score(quiz, {q.id: q.options[0].id for q in quiz.questions})

    share = await fake.click(handle.original_message, "risk:share")
    public = await share.response()
    assert public.callback_type == 4 and not public.ephemeral
    assert f"{expected.score}/100" in embed_text(public)
    assert "Alice" in embed_text(public)
    assert "/risk" in embed_text(public)
    assert public.data["allowed_mentions"] == {"parse": []}
    assert len(embed_text(public)) < 600, "a short summary, not the whole breakdown"

    greyed = await handle.wait_for(lambda c: c.method == "PATCH" and any(
        x.get("disabled") for x in components_of(c.data)), what="Share disabled")
    assert component(greyed, "risk:share")["disabled"] is True


async def test_only_the_quiz_taker_may_click(
    fake: FakeDiscord, bot: LabwireBot, quiz: Quiz
) -> None:
    handle, _ = await start(fake, user="alice")
    intruder = await fake.click(handle.original_message, "risk:answer",
                                values=[quiz.questions[0].options[0].id], user="bob")
    refusal = await intruder.response()

    assert refusal.ephemeral and refusal.callback_type == 4
    assert "start your own with /risk" in embed_text(refusal).lower()
    assert f"1/{len(quiz.questions)}" in embed_text(handle.original_message), "quiz unchanged"


async def test_cancel_saves_nothing(fake: FakeDiscord, bot: LabwireBot, quiz: Quiz) -> None:
    handle, _ = await start(fake)
    await pick(fake, handle, quiz.questions[0].options[0].id)
    cancel = await (await fake.click(handle.original_message, "risk:cancel")).response()

    assert "cancelled" in embed_text(cancel).lower()
    assert cancel.components == []
    assert await bot.services.db.fetchall("SELECT * FROM quiz_results") == []


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
