"""Follow-ups (issue 13 item 5): a question that follows an answer is asked with its entry.

"so did they win in court?" means nothing on its own.  After an answer, a reply to
it, a question in a thread started from it, or the same member asking again in
the same channel within two minutes goes to the engine with that answer's entry
as ``context``; when the engine reads the question through it, the card says
"about: <title>" so a wrong guess is easy to spot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clock import Clock
from bot.discord.ask.followups import FOLLOW_UP_SECONDS, Conversations
from bot.discord.bot import LabwireBot
from bot.knowledge import EntryKey
from bot.search.types import EntryRef, Result
from tests.discord.conftest import Bots, ScriptedEngine
from tests.discord.helpers import embed_text, reply_to
from tests.fake_discord import FakeDiscord
from tests.fake_discord.answers_kb import (
    ARTICLES,
    COURT,
    DESIGNATION,
    TODAY,
    write_answers_knowledge,
)

FOLLOW_UP = "so did they win in court?"
DESIGNATION_KEY = EntryKey("article", DESIGNATION)
DESIGNATION_TITLE = next(a["title"] for a in ARTICLES if a["id"] == DESIGNATION)
COURT_TITLE = next(a["title"] for a in ARTICLES if a["id"] == COURT)


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return write_answers_knowledge(tmp_path / "knowledge")


@pytest.fixture
def engine_clock() -> Clock:
    return lambda: TODAY


def read_as_follow_up(engine: ScriptedEngine) -> None:
    """The engine answers the follow-up from the court story, through the designation
    story: what it does when a context helps (scripted, so this tests the adapter)."""
    court = engine.answer_for("article", COURT, FOLLOW_UP)
    assert court is not None
    engine.scripts[FOLLOW_UP] = Result(
        FOLLOW_UP, "answered", court, 0.9,
        context_used=EntryRef("article", DESIGNATION, DESIGNATION_TITLE))


async def mention_answer(fake: FakeDiscord, bot: LabwireBot, question: str) -> dict[str, object]:
    """Ask by mention; return the bot's answer message once the bot is done (and logged it)."""
    message = await fake.post_user_message(question, mention_bot=True)
    reply = await reply_to(fake, message)
    assert await fake.wait(bot.tracker.finished(int(message["id"])), 5, "mention") == "answered"
    answer: dict[str, object] = reply.response
    return answer


async def test_a_reply_to_an_answer_is_asked_about_that_answer(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    read_as_follow_up(engine)
    answer = await mention_answer(fake, bot, "anthropic supply chain risk designation")

    follow_up = await fake.post_user_message(FOLLOW_UP, mention_bot=True, user="bob",
                                             reply_to=answer)
    reply = await reply_to(fake, follow_up)
    assert engine.contexts[FOLLOW_UP] == DESIGNATION_KEY
    assert reply.embeds[0]["title"] == COURT_TITLE
    assert reply.embeds[0]["description"].startswith(f"*about: {DESIGNATION_TITLE}*\n")


async def test_a_question_in_a_thread_on_an_answer_is_asked_about_it(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    read_as_follow_up(engine)
    answer = await mention_answer(fake, bot, "anthropic supply chain risk designation")
    await fake.start_thread("designation-chat", from_message=answer, user="carol")

    question = await fake.post_user_message(FOLLOW_UP, mention_bot=True, user="carol",
                                            channel="designation-chat")
    reply = await reply_to(fake, question)
    assert engine.contexts[FOLLOW_UP] == DESIGNATION_KEY
    assert f"about: {DESIGNATION_TITLE}" in embed_text(reply)


async def test_the_same_member_asking_again_soon_follows_up_others_do_not(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    now = [0.0]
    bot.services.delivery.conversations = Conversations(clock=lambda: now[0])

    async def ask(question: str, user: str = "alice") -> EntryKey | None:
        handle = await fake.invoke_slash("ask", {"question": question}, user=user)
        await fake.wait(bot.tracker.finished(int(handle.id)), 5, question)
        return engine.contexts[question]

    assert await ask("anthropic supply chain risk designation") is None
    now[0] += FOLLOW_UP_SECONDS - 1
    assert await ask("who is the secretary of war", user="bob") is None, "bob asked nothing"
    assert await ask("did anthropic win in court") == DESIGNATION_KEY
    now[0] += FOLLOW_UP_SECONDS + 1
    assert await ask("who runs ssi") is None, "two minutes later it is a new question"


async def test_a_reply_to_an_answer_from_before_a_restart_finds_it_in_the_question_log(
    fake: FakeDiscord, bots: Bots, engine: ScriptedEngine
) -> None:
    first = await bots.start(restartable=True)
    answer = await mention_answer(fake, first, "anthropic supply chain risk designation")
    await bots.stop(first)

    await bots.start()
    follow_up = await fake.post_user_message(FOLLOW_UP, mention_bot=True, reply_to=answer)
    await reply_to(fake, follow_up)
    assert engine.contexts[FOLLOW_UP] == DESIGNATION_KEY


async def test_a_question_without_an_earlier_answer_has_no_context(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    reply = await (await fake.invoke_slash("ask", {"question": "did anthropic win in court"})
                   ).response()
    assert engine.contexts["did anthropic win in court"] is None
    assert "about:" not in reply.embeds[0]["description"]
