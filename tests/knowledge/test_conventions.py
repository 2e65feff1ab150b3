"""Ids, renames, dates, links and the ledger: each broken rule is reported where it is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import EntryKey, load_knowledge
from tests.knowledge.conftest import ARTICLE, ORGS, PERSON, RELATED, valid_files, write_kb
from tests.knowledge.test_validation import ART, PER, at

REL = "articles/2026-02-acme-signs-deal.yaml"


def _problems(tmp_path: Path, changes: dict[str, str]) -> list[str]:
    root = write_kb(tmp_path / "knowledge", valid_files() | changes)
    kb, problems = load_knowledge(root)
    assert kb is None, "a broken knowledge base must not load"
    prefix = str(root) + "/"
    return [str(p).replace(prefix, "") for p in problems]


def _article_as(new_id: str) -> tuple[str, str]:
    """A second copy of the sample article under ``new_id`` (file name and id agree)."""
    return f"articles/{new_id}.yaml", ARTICLE.replace("id: 2026-03-08-robotics-lead-quits",
                                                      f"id: {new_id}")


def _at_last(text: str, needle: str) -> str:
    """'line:col' of the last occurrence of ``needle`` (``at`` finds the first)."""
    offset = text.rindex(needle)
    return f"{text.count(chr(10), 0, offset) + 1}:{offset - text.rfind(chr(10), 0, offset)}"


def problem_at(file: str, text: str, needle: str, message: str, case_id: str,
               *, last: bool = False) -> object:
    """A broken file, and the problem expected where ``needle`` starts in it."""
    where = _at_last(text, needle) if last else at(text, needle)
    return pytest.param({file: text}, f"{file}:{where}: {message}", id=case_id)


def _edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


LONG_ID = "2026-03-08-" + "x" * 40
BROKEN = [
    problem_at(*_article_as("robotics-lead"), "robotics-lead",
               "article id 'robotics-lead' does not follow the convention YYYY-MM-DD-short-topic",
               "article-id-without-date"),
    problem_at(*_article_as(LONG_ID), LONG_ID,
               f"article id '{LONG_ID}' is 51 characters; ids have at most 48", "article-id-long"),
    problem_at(*_article_as("2026-02-30-robotics"), "2026-02-30-robotics",
               "article id '2026-02-30-robotics' starts with '2026-02-30', which is not a real "
               "date",
               "article-id-impossible-date"),
    problem_at("people/jane.yaml", _edit(PERSON, "id: jane-doe", "id: jane")
               .replace("aliases: [Doe, \"Acme robotics chief\"]", "aliases: [J.]"), "jane\n",
               "person id 'jane' does not follow the convention first-last", "person-id"),
    problem_at("orgs.yaml", _edit(ORGS, "id: other-lab", "id: other_lab"), "other_lab",
               "org id 'other_lab' does not follow the convention", "org-id"),
    problem_at(ART, ARTICLE + "previous_ids: [2026-02-acme-signs-deal]\n",
               "2026-02-acme-signs-deal]\n",
               "previous id '2026-02-acme-signs-deal' is the current id of another article",
               "previous-id-taken", last=True),
    problem_at(ART, ARTICLE + "previous_ids: [2026-03-08-robotics-lead-quits]\n",
               "2026-03-08-robotics-lead-quits]\n", last=True, message=
               "previous id '2026-03-08-robotics-lead-quits' is this entry's own id",
               case_id="previous-id-own"),
    problem_at(ART, _edit(ARTICLE, "published: 2026-03-08\n", ""), "2026-03-08-robotics",
               "article has no date: give published", "no-date"),
    problem_at(ART, _edit(ARTICLE, "published: 2026-03-08\n",
                          "published: 2026-03-08\nundated: nobody knows\n"), "nobody knows",
               "an article with a published or event_date is not undated", "dated-and-undated"),
    problem_at(ART, _edit(ARTICLE, "published: 2026-03-08\n",
                          "published: 2026-03-08\nas_of: 2026-03-01\n"), "2026-03-01",
               "as_of 2026-03-01 is before the story's date 2026-03-08", "as-of-too-early"),
    problem_at(ART, ARTICLE + "timeline:\n  - {date: 2026-03-05, text: Second.}\n"
                              "  - {date: 2026-03-01, text: First.}\n", "2026-03-01, text",
               "timeline date 2026-03-01 comes before the step above it (2026-03-05)",
               "timeline-order"),
    problem_at(PER, _edit(PERSON, "links:", "url: https://example.org/people/jane-doe\nlinks:"),
               "https://example.org/people/jane-doe]",
               "https://example.org/people/jane-doe is already the entry's url", "url-twice"),
    problem_at(PER, _edit(PERSON, "to: 2026-03}", "to: 2023-01}"), "2023-01}",
               "role ends (2023-01) before it starts (2024-11)", "role-backwards"),
    problem_at(PER, _edit(PERSON, "to: 2026-03}", "to: 2026-03, ended: true}"), "true}",
               "a role with an end date ('to') needs no 'ended: true'", "ended-and-to"),
    problem_at("knowledge.yaml", "knowledge_as_of: 2026-03\n", "2026-03",
               "knowledge_as_of: '2026-03' must be a full date like 2026-04-28", "as-of-partial"),
    problem_at("sources.yaml", "sources:\n  - url: https://example.org/a\n", "url:",
               "sources[0]: give exactly one of 'from' (a notes section) or 'verified'",
               "ledger-origin"),
    problem_at("sources.yaml", "sources:\n  - {url: https://example.org/a, from: notes › A}\n"
                               "  - {url: https://example.org/a, from: notes › B}\n",
               "https://example.org/a, from: notes › B", "https://example.org/a is listed twice",
               "ledger-duplicate"),
]


@pytest.mark.parametrize(("changes", "expected"), BROKEN)
def test_each_broken_rule_names_file_line_and_column(
    tmp_path: Path, changes: dict[str, str], expected: str
) -> None:
    problems = _problems(tmp_path, changes)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_date_in_the_future_is_reported_where_it_is_written(tmp_path: Path) -> None:
    art = _edit(ARTICLE, "published: 2026-03-08", "published: 2999-03-08")
    problems = _problems(tmp_path, {ART: art})
    assert any(p.startswith(f"{ART}:{at(art, '2999-03-08')}: date 2999-03-08 is in the future")
               for p in problems), problems


def test_a_story_newer_than_knowledge_as_of_is_accepted(tmp_path: Path) -> None:
    changes = {"knowledge.yaml": "knowledge_as_of: 2026-03-01\n"}
    kb, problems = load_knowledge(write_kb(tmp_path / "knowledge", valid_files() | changes))
    assert problems == [] and kb is not None
    assert max(a.story_date or "" for a in kb.articles.values()) > "2026-03-01"


def test_an_old_id_names_one_entry_only(tmp_path: Path) -> None:
    art = ARTICLE + "previous_ids: [old-story]\n"
    rel = RELATED + "previous_ids: [old-story]\n"
    problems = _problems(tmp_path, {ART: art, REL: rel})
    assert any("previous id 'old-story' is already a previous id of article" in p
               for p in problems), problems


def test_a_reference_to_a_renamed_id_says_which_id_to_use(tmp_path: Path) -> None:
    art = _edit(ARTICLE, "related: [2026-02-acme-signs-deal]", "related: [acme-signs-deal]")
    rel = RELATED + "previous_ids: [acme-signs-deal]\n"
    problems = _problems(tmp_path, {ART: art, REL: rel})
    assert f"{ART}:{at(art, 'acme-signs-deal]')}: unknown article id 'acme-signs-deal' " \
           "(renamed: use '2026-02-acme-signs-deal')" in problems


def test_settings_and_ledger_load_with_the_entries(kb_dir: Path) -> None:
    (kb_dir / "knowledge.yaml").write_text("knowledge_as_of: 2026-04-28\n")
    (kb_dir / "sources.yaml").write_text(
        "sources:\n  - url: https://example.org/news/2026-03-08-robotics-lead-quits\n"
        "    verified: checked by hand for this test\n")
    kb, problems = load_knowledge(kb_dir)
    assert problems == [] and kb is not None
    assert kb.knowledge_as_of == "2026-04-28"
    assert list(kb.ledger) == ["https://example.org/news/2026-03-08-robotics-lead-quits"]
    article = kb.articles["2026-03-08-robotics-lead-quits"]
    assert (article.story_date, article.date_kind) == ("2026-03-08", "published")


def test_an_event_date_stands_in_for_a_missing_publication_date(tmp_path: Path) -> None:
    art = _edit(ARTICLE, "published: 2026-03-08", "event_date: 2026-03-07")
    root = write_kb(tmp_path / "knowledge", valid_files() | {ART: art})
    kb, problems = load_knowledge(root)
    assert problems == [] and kb is not None
    article = kb.articles["2026-03-08-robotics-lead-quits"]
    assert (article.story_date, article.date_kind) == ("2026-03-07", "event")
    assert kb.resolve(EntryKey("article", "2026-03-08-robotics-lead-quits")) is not None
