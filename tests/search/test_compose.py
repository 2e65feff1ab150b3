"""The answer composer: what answers the question, dates, age, links, related, latest.

Built on the small knowledge base in ``tests/fake_discord/answers_kb.py``, so each
test states exactly what the entry says; the clock is fixed at 1 Dec 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.search.answers import build_answer, latest_stories
from bot.search.compose import LEAD_MAX, read_question, wants_latest
from bot.search.sentences import split_sentences
from bot.search.types import Answer, AnswerKind
from tests.fake_discord.answers_kb import (
    COURT,
    DESIGNATION,
    FUNDING,
    KALINOWSKI_REASON,
    KALINOWSKI_STORY,
    KALINOWSKI_URL,
    SUTSKEVER_STORY,
    TIMELINE,
    TODAY,
    UNDATED,
    write_answers_knowledge,
)

DAY = TODAY.date()


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_knowledge_or_raise(write_answers_knowledge(tmp_path_factory.mktemp("kb")))


def answer(kb: KnowledgeBase, kind: AnswerKind, entry_id: str, question: str | None = None,
           today: dt.date = DAY) -> Answer:
    found = build_answer(kb, kind, entry_id, question=question, today=today)
    assert found is not None
    return found


def test_why_did_she_quit_leads_with_the_reason_naming_her(kb: KnowledgeBase) -> None:
    found = answer(kb, "person", "caitlin-kalinowski", "why did kalinowski quit?")
    assert found.focus == "reason"
    assert split_sentences(found.lead)[0] == KALINOWSKI_REASON.replace(
        "She", "Caitlin Kalinowski", 1)
    assert found.quote == "This was about principle, not people"


def test_who_is_leads_with_the_opening_definition(kb: KnowledgeBase) -> None:
    found = answer(kb, "person", "caitlin-kalinowski", "who is caitlin kalinowski")
    assert found.lead.startswith("Caitlin Kalinowski is the hardware engineer")
    assert found.role == "Head of robotics, OpenAI · Nov 2024 to Mar 2026, ended"


def test_who_runs_an_org_leads_with_the_current_role_that_matches(kb: KnowledgeBase) -> None:
    found = answer(kb, "person", "ilya-sutskever", "who runs ssi")
    assert found.focus == "role"
    assert found.lead.startswith("Ilya Sutskever: CEO at Safe Superintelligence Inc., since "
                                 "3 Jul 2025.")
    assert found.role is None, "the lead already says the role"


def test_when_did_he_leave_leads_with_the_event_and_its_date(kb: KnowledgeBase) -> None:
    found = answer(kb, "person", "ilya-sutskever", "when did sutskever leave openai")
    assert found.focus == "when"
    assert found.lead.startswith("Ilya Sutskever left OpenAI on 14 May 2024.")


def test_why_does_it_matter_answers_with_the_takeaway(kb: KnowledgeBase) -> None:
    found = answer(kb, "article", DESIGNATION, "why does this matter")
    assert found.focus == "takeaway"
    assert found.lead.startswith("Refusing the terms cost Anthropic its government work.")


def test_a_story_question_gets_the_relevant_sentences_in_reading_order(
    kb: KnowledgeBase
) -> None:
    found = answer(kb, "article", COURT, "did the appeals court pause the second one")
    assert found.lead.startswith("On 8 April an appeals court refused"), found.lead


def test_an_entry_without_a_question_opens_with_its_first_sentences(kb: KnowledgeBase) -> None:
    found = answer(kb, "person", "ilya-sutskever")
    assert found.lead == kb.people["ilya-sutskever"].summary
    assert found.freshness is not None and not found.freshness.caveat


@pytest.mark.parametrize("question", [
    None, "who is it", "why did they leave", "when was that", "what happened",
    "why does it matter", "is it still true", "who runs it",
])
def test_every_lead_is_whole_sentences_within_the_limit(kb: KnowledgeBase,
                                                        question: str | None) -> None:
    for key in kb.entry_keys():
        found = answer(kb, key.kind, key.id, question)
        sentences = split_sentences(found.lead)
        if found.focus == "timeline":
            assert found.timeline_shown and not found.lead
            continue
        assert sentences, (key, question)
        assert all(s.rstrip("”\")").endswith((".", "!", "?")) for s in sentences), found.lead
        assert len(found.lead) <= LEAD_MAX or len(sentences) == 1, (key, question, found.lead)


def test_a_timeline_question_lists_where_the_story_started_and_where_it_stands(
    kb: KnowledgeBase
) -> None:
    found = answer(kb, "article", TIMELINE, "timeline of the anthropic pentagon dispute")
    assert found.focus == "timeline"
    dates = [s.date for s in found.timeline_shown]
    assert dates[0] == "2026-02-24" and dates[-1] == "2026-04-08"
    assert dates == sorted(dates) and len(found.timeline) == 5


def test_a_narrow_question_about_a_timeline_lists_the_steps_it_asks_about(
    kb: KnowledgeBase
) -> None:
    found = answer(kb, "article", TIMELINE, "when did anthropic sue")
    assert "2026-03-09" in [s.date for s in found.timeline_shown]


def test_dates_are_labelled_by_what_they_date(kb: KnowledgeBase) -> None:
    assert [(d.label, d.date) for d in answer(kb, "person", "caitlin-kalinowski").dates] == [
        ("Resigned from OpenAI", "2026-03-07")]
    assert [(d.label, d.date) for d in answer(kb, "person", "ilya-sutskever").dates] == [
        ("Left OpenAI", "2024-05-14")]
    assert [(d.label, d.date) for d in answer(kb, "article", KALINOWSKI_STORY).dates] == [
        ("Event", "2026-03-07")]
    assert [(d.label, d.date) for d in answer(kb, "article", COURT).dates] == [
        ("Published", "2026-03-26")]
    assert answer(kb, "article", UNDATED).dates == ()
    assert [(d.label, d.date) for d in answer(kb, "org", "openai").dates] == [
        ("Latest story", "2026-03-31")]


def test_age_comes_from_as_of_and_is_counted_to_the_clock(kb: KnowledgeBase) -> None:
    court = answer(kb, "article", COURT)
    assert court.freshness is not None
    assert (court.freshness.as_of, court.freshness.days) == ("2026-04-08", 237)
    story = answer(kb, "article", SUTSKEVER_STORY)
    assert story.freshness is not None and story.freshness.as_of == "2024-05-14"
    ssi = answer(kb, "org", "ssi")
    assert ssi.freshness is not None
    assert ssi.freshness.as_of == "2024-05-14", "an org without as_of: its newest story"


@pytest.mark.parametrize("question", ["is hegseth still secretary", "who is secretary now",
                                      "is hegseth currently in office",
                                      "latest on hegseth"])
def test_asking_about_now_gets_a_caveat_when_the_facts_are_old(kb: KnowledgeBase,
                                                               question: str) -> None:
    old = answer(kb, "person", "pete-hegseth", question)
    assert old.freshness is not None and old.freshness.caveat
    fresh = answer(kb, "person", "pete-hegseth", question, today=dt.date(2026, 3, 20))
    assert fresh.freshness is not None and not fresh.freshness.caveat, "21 days is not old"
    plain = answer(kb, "person", "pete-hegseth", "who is hegseth")
    assert plain.freshness is not None and not plain.freshness.caveat


def test_ended_roles_say_so(kb: KnowledgeBase) -> None:
    assert answer(kb, "person", "ilya-sutskever").roles == (
        "CEO, Safe Superintelligence Inc. · since 3 Jul 2025",
        "Co-founder and chief scientist, OpenAI · 2015 to May 2024, ended",
    )


def test_links_lead_with_the_curated_url(kb: KnowledgeBase) -> None:
    person = answer(kb, "person", "caitlin-kalinowski")
    assert person.url == KALINOWSKI_URL and person.sources[0].url == KALINOWSKI_URL
    org = answer(kb, "org", "openai")
    assert org.url == "https://openai.example/"
    assert [s.url for s in org.sources][1:] == ["https://mirror-site.example/openai-restructure"]


def test_related_stories_rank_by_shared_people_orgs_and_tags_then_date(
    kb: KnowledgeBase
) -> None:
    person = answer(kb, "person", "caitlin-kalinowski")
    assert person.related[0].id == KALINOWSKI_STORY, "the story about her comes first"
    designation = answer(kb, "article", DESIGNATION)
    ids = [r.id for r in designation.related]
    assert ids[:2] == [TIMELINE, COURT]
    assert FUNDING not in ids and DESIGNATION not in ids


def test_latest_leaves_undated_stories_out_and_states_the_span(kb: KnowledgeBase) -> None:
    latest = latest_stories(kb, 10)
    assert [i.date for i in latest.items] == sorted((i.date for i in latest.items), reverse=True)
    assert UNDATED not in {i.url.rsplit("/", 1)[-1] for i in latest.items}
    assert (latest.first, latest.last, latest.undated) == ("2024-05-14", "2026-04-08", 1)
    assert len(latest_stories(kb, 2).items) == 2


@pytest.mark.parametrize(("question", "latest"), [
    ("latest news", True), ("what's new?", True), ("any recent stories", True),
    ("latest on anthropic", False), ("new ceo of openai", False), ("news", True),
])
def test_a_request_for_the_newest_stories_is_recognised(question: str, latest: bool) -> None:
    assert wants_latest(question) is latest


def test_question_reading_joins_words_that_mean_the_same() -> None:
    assert read_question("why did she resign").leave
    assert read_question("why did she quit").leave
    assert not read_question("why did she join").leave
    assert read_question("is he still ceo").now and not read_question("is he ceo").now
