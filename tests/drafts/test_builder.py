"""The draft: our id convention, known entries, questions, and no copied prose."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from bot.drafts.builder import MAX_ID_CHARS, build_draft, draft_id, unique_id
from bot.drafts.document import publishable_text, render_draft
from bot.drafts.extract import ExtractedPage, extract_page
from bot.knowledge import KnowledgeBase
from bot.knowledge.ids import id_problem
from tests.drafts.conftest import NOW
from tests.drafts.site import ABHS, PAGES, TECHPORTAL, TECHPORTAL_URL, THENEWS

FETCHED = "http://127.0.0.1:8000/pages/story.html"


def extracted(name: str) -> ExtractedPage:
    return extract_page((PAGES / f"{name}.html").read_bytes(), FETCHED)


def test_a_dated_page_becomes_a_draft_with_its_title_date_url_and_people(
        kb: KnowledgeBase) -> None:
    draft = build_draft(extracted(TECHPORTAL), kb, FETCHED, now=NOW)
    assert draft.id == "2026-03-09-openai-robotics-chief-departs"
    assert draft.title == "OpenAI Robotics Chief Departs Over Pentagon Partnership"
    assert draft.published == "2026-03-09"
    assert draft.url == TECHPORTAL_URL  # the canonical https link, not the fetched one
    assert draft.outlet == "TheTechPortal"
    assert draft.people == ("caitlin-kalinowski",)
    assert draft.orgs == ("openai", "meta")
    assert draft.notes.made_from == FETCHED
    assert draft.notes.warnings == ()


def test_summary_and_takeaways_are_left_for_the_moderator(kb: KnowledgeBase) -> None:
    draft = build_draft(extracted(TECHPORTAL), kb, FETCHED, now=NOW)
    assert draft.summary == ""
    assert draft.takeaways == ()
    assert draft.notes.lead[0].startswith("Caitlin Kalinowski, who led hardware")


@pytest.mark.parametrize("name", [TECHPORTAL, ABHS, THENEWS])
def test_no_sentence_of_the_page_reaches_the_published_text(
        kb: KnowledgeBase, name: str) -> None:
    page = extracted(name)
    published = publishable_text(render_draft(build_draft(page, kb, FETCHED, now=NOW))).text
    for paragraph in page.paragraphs:
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            if len(sentence) > 40:
                assert sentence not in published


def test_questions_come_from_the_headline_and_the_people(kb: KnowledgeBase) -> None:
    draft = build_draft(extracted(TECHPORTAL), kb, FETCHED, now=NOW)
    assert 3 <= len(draft.questions) <= 5
    assert draft.questions[0] == "openai robotics chief departs over pentagon partnership"
    assert "why did kalinowski leave openai" in draft.questions
    assert "when did kalinowski leave openai" in draft.questions
    seed = build_draft(extracted(ABHS), kb, FETCHED, now=NOW)
    assert "why did kalinowski quit openai" in seed.questions  # the headline says "Quits"
    news = build_draft(extracted(THENEWS), kb, FETCHED, now=NOW)
    assert 3 <= len(news.questions) <= 5


def test_a_page_without_a_date_gets_an_undated_id_and_a_warning(kb: KnowledgeBase) -> None:
    draft = build_draft(extracted(ABHS), kb, FETCHED, now=NOW)
    assert draft.published is None
    assert draft.id == "undated-openai-robotics-lead-quits-pentagon-deal"
    assert draft.author == "Abhishek Gautam"
    assert any("no publication date" in w and "event_date" in w for w in draft.notes.warnings)


def test_a_story_newer_than_the_checked_knowledge_is_not_held_back(kb: KnowledgeBase) -> None:
    checked_until = dataclasses.replace(kb, knowledge_as_of="2026-03-01")
    draft = build_draft(extracted(TECHPORTAL), checked_until, FETCHED, now=NOW)
    assert draft.notes.warnings == ()


def test_a_quoted_headline_prefix_is_not_the_topic(kb: KnowledgeBase) -> None:
    draft = build_draft(extracted(THENEWS), kb, FETCHED, now=NOW)
    assert draft.id == "2026-02-11-anthropic-ai-safety-researcher"


def test_a_page_without_an_https_address_is_flagged(kb: KnowledgeBase) -> None:
    page = ExtractedPage("Some Title Of A Story", None, "2026-03-01", None, None, "127.0.0.1",
                         ("Text " * 30,), ())
    draft = build_draft(page, kb, FETCHED, now=NOW)
    assert draft.url == FETCHED
    assert draft.outlet == "127.0.0.1"
    assert any("not https://" in w for w in draft.notes.warnings)


@pytest.mark.parametrize(("title", "expected"), [
    ("OpenAI Raises $122B at an $852B Valuation", "2026-03-31-openai-raises-122b-852b-valuation"),
    ("Zoë Hitzig Resigns: Ads in ChatGPT", "2026-03-31-zoe-hitzig-resigns"),
    ("Why?", "2026-03-31-story"),
    ("$122B Round Closes for OpenAI", "2026-03-31-round-closes-openai"),
    ("A " + "verylongword" * 10, "2026-03-31-story"),
])
def test_ids_follow_the_convention(title: str, expected: str) -> None:
    made = draft_id("2026-03-31", title)
    assert made == expected
    assert id_problem("article", made) is None  # the knowledge base's own convention check
    assert len(made) <= MAX_ID_CHARS


def test_the_id_never_comes_from_the_url(kb: KnowledgeBase) -> None:
    draft = build_draft(extracted(THENEWS), kb, FETCHED, now=NOW)
    assert "1391897" not in draft.id and "peril" not in draft.id


def test_ids_already_taken_get_a_number() -> None:
    taken = {"2026-03-09-openai-robotics-chief-departs",
             "2026-03-09-openai-robotics-chief-departs-2"}
    assert unique_id("2026-03-09-openai-robotics-chief-departs", taken) \
        == "2026-03-09-openai-robotics-chief-departs-3"
    long = "2026-03-09-" + "x" * 37
    assert len(unique_id(long, {long})) <= MAX_ID_CHARS


def test_ids_of_existing_articles_and_drafts_are_avoided(kb: KnowledgeBase) -> None:
    first = build_draft(extracted(TECHPORTAL), kb, FETCHED, now=NOW)
    second = build_draft(extracted(TECHPORTAL), kb, FETCHED, now=NOW, taken_ids={first.id})
    assert second.id == f"{first.id}-2"


def test_drafting_is_deterministic(kb: KnowledgeBase) -> None:
    a = build_draft(extracted(ABHS), kb, FETCHED, now=NOW)
    b = build_draft(extracted(ABHS), kb, FETCHED, now=NOW + dt.timedelta(seconds=0))
    assert a == b


def test_a_story_already_in_the_knowledge_base_is_flagged(kb: KnowledgeBase) -> None:
    known = next(iter(kb.articles.values()))
    page = ExtractedPage("A Story Told Again", known.url + "?utm_source=x", "2026-03-01", None,
                         "Example News", None, ("Text " * 30,), ())
    draft = build_draft(page, kb, FETCHED, now=NOW)
    assert any(f"already in the knowledge base as `{known.id}`" in w
               for w in draft.notes.warnings)
