"""The unanswered queue groups rewordings, keeps different questions apart, and counts votes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.knowledge import EntryKey, load_knowledge_or_raise
from bot.moderation.editor import KnowledgeEditor
from bot.moderation.insights import (
    AskedQuestion,
    group_questions,
    teach_candidates,
    unanswered_groups,
    usage_stats,
)
from bot.search import Engine
from bot.storage.database import Database
from bot.storage.moderation import InsightStore
from tests.moderation.asklog import log_question, vote

T0 = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)


def _asked(question: str, minutes: int = 0, **kw: object) -> AskedQuestion:
    return AskedQuestion(question, T0 + dt.timedelta(minutes=minutes), "no_answer", False, 0.1,
                         **kw)  # type: ignore[arg-type]


def test_rewordings_group_and_different_subjects_stay_apart() -> None:
    groups = group_questions([
        _asked("why did kalinowski quit?", 1),
        _asked("Why did Kalinowski quit OpenAI", 2),
        _asked("why did kalinowski quit", 3),
        _asked("who left openai", 4),
        _asked("who left anthropic", 5),
    ])
    assert [(g.count, g.question) for g in groups] == [
        (3, "why did kalinowski quit"), (1, "who left anthropic"), (1, "who left openai")]
    assert set(groups[0].variants) == {"Why did Kalinowski quit OpenAI"}
    assert groups[0].last_asked == T0 + dt.timedelta(minutes=3)


def test_group_sums_downvotes_and_lists_offered_entries() -> None:
    groups = group_questions([
        _asked("is the pentagon deal real", downvotes=2, entry=EntryKey("article", "a")),
        _asked("is the pentagon deal real?", downvotes=1, entry=EntryKey("article", "a")),
        _asked("Is the Pentagon deal real", entry=EntryKey("org", "pentagon")),
    ])
    assert len(groups) == 1
    assert groups[0].downvotes == 3
    assert groups[0].entries == (EntryKey("article", "a"), EntryKey("org", "pentagon"))


def test_blank_questions_are_ignored() -> None:
    assert group_questions([_asked("   "), _asked("?!")]) == []


async def test_queue_reads_the_question_log_with_votes(db: Database) -> None:
    store = InsightStore(db)
    await log_question(db, "who funds zebra robotics", T0)
    await log_question(db, "Who funds Zebra Robotics?", T0 + dt.timedelta(hours=1))
    await log_question(db, "why did kalinowski quit", T0, status="answered", answered=True,
                       entry="article:2026-03-07-kalinowski-quits", confidence=0.9)
    wrong = await log_question(db, "what did kalinowski build", T0, status="answered",
                               answered=True, entry="article:2026-03-07-kalinowski-quits",
                               confidence=0.8)
    await vote(db, wrong, user_id=7, value=-1, at=T0)
    await log_question(db, "who funds zebra robotics", T0 - dt.timedelta(days=30))  # too old
    await log_question(db, "who funds zebra robotics", T0, guild_id=555)  # another guild

    groups = await unanswered_groups(store, T0 - dt.timedelta(days=7), guild_id=999)

    assert [(g.question, g.count, g.downvotes) for g in groups] == [
        ("Who funds Zebra Robotics?", 2, 0), ("what did kalinowski build", 1, 1)]
    everywhere = await unanswered_groups(store, T0 - dt.timedelta(days=7), guild_id=None)
    assert everywhere[0].count == 3


async def test_stats_count_answers_per_day_top_entries_and_feedback(db: Database) -> None:
    store = InsightStore(db)
    for day in (0, 0, 1):
        message = await log_question(db, "why did kalinowski quit", T0 + dt.timedelta(days=day),
                                     status="answered", answered=True,
                                     entry="article:2026-03-07-kalinowski-quits", confidence=0.9)
        await vote(db, message, user_id=day + 20, value=1, at=T0)
    await log_question(db, "no idea", T0 + dt.timedelta(days=1))

    stats = await usage_stats(store, T0 - dt.timedelta(days=1), 999, {"articles": 1})

    assert (stats.asked, stats.answered, stats.answered_share) == (4, 3, 0.75)
    assert [(d.day.isoformat(), d.asked, d.answered) for d in stats.per_day] == [
        ("2026-04-01", 2, 2), ("2026-04-02", 2, 1)]
    assert stats.top_entries == (("article:2026-03-07-kalinowski-quits", 3),)
    assert (stats.upvotes, stats.downvotes, stats.feedback_ratio) == (3, 0, 1.0)


async def test_teach_choices_start_with_the_engines_guess(editor: KnowledgeEditor) -> None:
    group = group_questions([_asked("why did kalinowski quit",
                                    entry=EntryKey("org", "pentagon"))])[0]
    refs = teach_candidates(editor.service.engine, group)
    keys = [f"{r.kind}:{r.id}" for r in refs]
    assert "org:pentagon" in keys
    assert len(keys) == len(set(keys))
    assert keys[0] != "org:pentagon"  # the engine's answer comes before the logged match


def test_a_logged_id_from_before_a_rename_is_offered_as_the_entry_it_became(
    kb_root: Path,
) -> None:
    orgs = kb_root / "orgs.yaml"
    orgs.write_text(orgs.read_text().replace(
        "  - id: pentagon\n", "  - id: pentagon\n    previous_ids: [department-of-defense]\n"))
    engine = Engine(load_knowledge_or_raise(kb_root))
    question = "zzzz qqqq"  # the engine has no guess: a logged entry leads the list
    unlogged = teach_candidates(engine, group_questions([_asked(question)])[0])
    logged = teach_candidates(engine, group_questions(
        [_asked(question, entry=EntryKey("org", "department-of-defense"))])[0])
    assert (logged[0].kind, logged[0].id) == ("org", "pentagon")
    assert (unlogged[0].kind, unlogged[0].id) != ("org", "pentagon")
