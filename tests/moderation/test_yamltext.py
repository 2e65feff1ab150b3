"""Text-level YAML edits keep every byte outside the edit and parse to the intended data."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.moderation import yamltext
from tests.moderation.kbfiles import ARTICLE, ORGS, PERSON


def _questions(text: str) -> list[str]:
    return list(yaml.safe_load(text).get("questions") or [])


def _kept_outside_insertion(old: str, new: str) -> bool:
    """``new`` is ``old`` with one contiguous piece of text inserted."""
    start = 0
    while start < len(old) and old[start] == new[start]:
        start += 1
    return new.endswith(old[start:])


def test_append_to_block_list_keeps_comment_and_rest() -> None:
    new = yamltext.append_question(ARTICLE, "article", "2026-03-07-kalinowski-quits",
                                   "who left openai?")
    assert _questions(new) == ["why did the openai hardware lead quit", "who left openai?"]
    assert "# asked in #general" in new
    assert _kept_outside_insertion(ARTICLE, new)


def test_append_when_questions_missing_adds_the_key() -> None:
    text = ARTICLE.split("questions:")[0]
    new = yamltext.append_question(text, "article", "2026-03-07-kalinowski-quits", "q one")
    assert _questions(new) == ["q one"]
    assert new.startswith(text)


def test_append_to_flow_list_and_empty_flow_list() -> None:
    flow = PERSON.replace("questions:\n  - why did kalinowski quit\n",
                          "questions: [why did kalinowski quit]\n")
    assert _questions(yamltext.append_question(flow, "person", "x", "b")) == [
        "why did kalinowski quit", "b"]
    empty = flow.replace("[why did kalinowski quit]", "[]")
    assert _questions(yamltext.append_question(empty, "person", "x", "b")) == ["b"]


def test_append_to_an_org_in_orgs_file_touches_only_that_org() -> None:
    new = yamltext.append_question(ORGS, "org", "openai", "who makes chatgpt")
    data = yaml.safe_load(new)
    assert data["orgs"][0]["questions"] == ["who makes chatgpt"]
    assert "questions" not in data["orgs"][1]
    assert "# A defence-contractor entry" in new
    assert _kept_outside_insertion(ORGS, new)


def test_crlf_files_stay_crlf() -> None:
    crlf = ARTICLE.replace("\n", "\r\n")
    new = yamltext.append_question(crlf, "article", "2026-03-07-kalinowski-quits", "q")
    assert "\n" not in new.replace("\r\n", "")
    assert _questions(new)[-1] == "q"


@settings(deadline=None)  # checks the text, not speed: a busy machine must not fail it
@given(st.text(min_size=1, max_size=80).filter(lambda s: s.strip()))
def test_any_question_text_round_trips(question: str) -> None:
    new = yamltext.append_question(ARTICLE, "article", "2026-03-07-kalinowski-quits", question)
    assert _questions(new)[-1] == question
    assert _kept_outside_insertion(ARTICLE, new)


def test_merge_org_replaces_one_entry_and_keeps_comments() -> None:
    body = "id: pentagon\nname: Pentagon\nsummary: US defence ministry.\n"
    merged = yamltext.merge_org(ORGS, "pentagon", body)
    data = yaml.safe_load(merged)
    assert [o["id"] for o in data["orgs"]] == ["openai", "pentagon"]
    assert data["orgs"][1]["summary"] == "US defence ministry."
    assert data["orgs"][0] == yaml.safe_load(ORGS)["orgs"][0]
    assert "# A defence-contractor entry" in merged


def test_merge_org_appends_new_entry() -> None:
    body = "# new\nid: anthropic\nname: Anthropic\nsummary: Maker of Claude.\n"
    data = yaml.safe_load(yamltext.merge_org(ORGS, "anthropic", body))
    assert [o["id"] for o in data["orgs"]] == ["openai", "pentagon", "anthropic"]


def test_merge_into_missing_orgs_file_creates_it() -> None:
    data = yaml.safe_load(yamltext.merge_org("", "a", "id: a\nname: A\nsummary: s\n"))
    assert data == {"orgs": [{"id": "a", "name": "A", "summary": "s"}]}


def test_extract_then_merge_is_identity() -> None:
    for org_id in ("openai", "pentagon"):
        body = yamltext.extract_org(ORGS, org_id)
        assert body is not None
        assert yaml.safe_load(body)["id"] == org_id
        assert yamltext.merge_org(ORGS, org_id, body) == ORGS
