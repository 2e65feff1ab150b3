"""Each kind of mistake a moderator can make is reported at its exact place."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from tests.knowledge.conftest import ARTICLE, ORGS, PERSON, valid_files, write_kb

ART = "articles/2026-03-08-robotics-lead-quits.yaml"
PER = "people/jane-doe.yaml"


def at(text: str, needle: str) -> str:
    """'line:col' (1-based) of the first occurrence of ``needle`` in ``text``."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


def _problems(tmp_path: Path, changes: dict[str, str]) -> list[str]:
    files = valid_files() | changes
    root = write_kb(tmp_path / "knowledge", files)
    kb, problems = load_knowledge(root)
    assert kb is None, "a broken knowledge base must not load"
    prefix = str(root) + "/"
    return [str(p).replace(prefix, "") for p in problems]


def test_valid_base_loads(kb_dir: Path) -> None:
    kb, problems = load_knowledge(kb_dir)
    assert problems == []
    assert kb is not None
    assert kb.counts() == {"articles": 2, "people": 1, "orgs": 2, "takeaways": 4, "quizzes": 0}


def case(file: str, text: str, needle: str, message: str, case_id: str) -> object:
    """A broken file, and the problem expected where ``needle`` starts in it."""
    return pytest.param({file: text}, f"{file}:{at(text, needle)}: {message}", id=case_id)


def _article(old: str, new: str) -> str:
    assert old in ARTICLE
    return ARTICLE.replace(old, new)


LONG_TITLE = "x" * 300
BROKEN = [
    case(ART, _article("outlet: Example News", "outlet: Example News\n  bad: indent"),
         ": indent", "YAML syntax error", "bad-indentation"),
    case(ART, _article("summary:", "sumary:"), "sumary",
         "unknown key 'sumary' (did you mean 'summary'?)", "misspelt-key"),
    case(ART, _article("title:", "# title:"), "id:", "missing required key 'title'",
         "missing-field"),
    case(ART, _article("tags: [departures]", "tags: departures"), "departures",
         "tags: input should be a valid tuple", "wrong-type"),
    case(ART, _article("published: 2026-03-08", "published: 2026-02-30"), "2026-02-30",
         "published: '2026-02-30' is not a real date", "bad-date"),
    case(ART, _article("url: https://", "url: http://"), "http://",
         "url: URL must start with https://", "http-url"),
    case(ART, _article("https://example.org/news/2026-03-08-robotics-lead-quits", "https://localhost"),
         "https://localhost", "url: 'https://localhost' is not a well-formed URL",
         "malformed-url"),
    case(ART, _article("people: [jane-doe]", "people: [jane-do]"), "jane-do]",
         "unknown person id 'jane-do' (did you mean 'jane-doe'?)", "dangling-person"),
    case(ART, _article("orgs: [acme-ai]", "orgs: [acme-lab]"), "acme-lab",
         "unknown org id 'acme-lab'", "dangling-org"),
    case(ART, _article("related: [2026-02-acme-signs-deal]", "related: [nope]"), "nope",
         "unknown article id 'nope'", "dangling-related"),
    case(PER, PERSON.replace("from: acme-ai", "from: acme-lab"), "acme-lab",
         "unknown org id 'acme-lab'", "dangling-departure"),
    case("orgs.yaml", ORGS.replace("[Acme]", "[Doe]"), "Doe",
         "alias 'Doe' is already used by person jane-doe", "duplicate-alias-across-files"),
    case("orgs.yaml", ORGS.replace("id: other-lab", "id: acme-ai"), "acme-ai\n    name: Other",
         "duplicate org id 'acme-ai'", "duplicate-id"),
    case(ART, _article("id: 2026-03-08-robotics-lead-quits", "id: robotics-lead"), "robotics-lead",
         "id 'robotics-lead' does not match the file name", "file-name-mismatch"),
    case(ART, _article('title: "Robotics', f'title: "{LONG_TITLE} Robotics'), '"xxx',
         "title: is 338 characters; Discord shows at most 256", "title-too-long"),
    case(ART, _article("outlet: Example News", "outlet: Example News\noutlet: B"), "outlet: B",
         "duplicate key 'outlet'", "duplicate-key"),
    case(ART, _article("related: [2026-02-acme-signs-deal]",
                       "related: [2026-03-08-robotics-lead-quits]"),
         "2026-03-08-robotics-lead-quits]", "an article cannot be related to itself",
         "self-related"),
]


@pytest.mark.parametrize(("changes", "expected"), BROKEN)
def test_each_error_names_file_line_and_column(
    tmp_path: Path, changes: dict[str, str], expected: str
) -> None:
    problems = _problems(tmp_path, changes)
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    broken_article = (ARTICLE.replace("summary:", "sumary:")
                      .replace("url: https://", "url: http://"))
    broken_person = PERSON.replace("from: acme-ai", "from: acme-lab")
    broken_orgs = ORGS.replace("aliases: [Acme]", "aliases: [Doe]")
    problems = _problems(tmp_path, {ART: broken_article, PER: broken_person,
                                    "orgs.yaml": broken_orgs})
    joined = "\n".join(problems)
    for fragment in ("unknown key 'sumary'", "must start with https://",
                     "unknown org id 'acme-lab'", "alias 'Doe' is already used"):
        assert fragment in joined
    assert len({p.split(":")[0] for p in problems}) == 3


def test_empty_file_and_non_mapping_are_reported(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {ART: "", PER: "- just\n- a list\n"})
    assert f"{ART}:1:1: file is empty" in problems
    assert f"{PER}:1:1: expected a mapping of keys to values" in problems


def test_missing_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    kb, problems = load_knowledge(tmp_path / "absent")
    assert kb is None
    assert "knowledge directory does not exist" in str(problems[0])


def test_override_validates_an_upload_against_the_rest(kb_dir: Path) -> None:
    upload = ARTICLE.replace("people: [jane-doe]", "people: [ghost]")
    kb, problems = load_knowledge(kb_dir, overrides={ART: upload})
    assert kb is None
    assert "unknown person id 'ghost'" in str(problems[0])
    assert (kb_dir / ART).read_text() == ARTICLE, "validation must not write anything"


def test_an_unparsable_person_comes_first_and_what_follows_is_marked(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {PER: "id: jane-doe\nname: [unclosed\n"})
    assert problems[0].startswith(f"{PER}:") and "YAML syntax error" in problems[0]
    knock_on = problems[1:]
    assert knock_on, "the article that cites her is still checked"
    assert all("follows from the problem in people/jane-doe.yaml" in p for p in knock_on)


def test_a_broken_orgs_file_comes_first_and_explains_the_unknown_orgs(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"orgs.yaml": ORGS.replace("    name: Acme AI\n", "")})
    assert problems[0].startswith("orgs.yaml:") and "missing required key 'name'" in problems[0]
    assert [p for p in problems[1:] if "unknown org id 'acme-ai'" in p]
    assert all("follows from the problem in orgs.yaml" in p for p in problems[1:])


def test_an_unrelated_dangling_reference_is_not_blamed_on_the_broken_file(
    tmp_path: Path
) -> None:
    problems = _problems(tmp_path, {
        PER: "id: jane-doe\nname: [unclosed\n",
        ART: _article("related: [2026-02-acme-signs-deal]", "related: [nope]")})
    own = [p for p in problems if "unknown article id 'nope'" in p]
    assert own and "follows from" not in own[0]
    assert problems.index(own[0]) < min(i for i, p in enumerate(problems) if "follows" in p)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  - id: principle\n    text: She framed", "  - id: principle\n  - text: She framed",
     "missing required key 'text' in takeaways item 1"),
    ("takeaways:\n  - id: principle", "takeaways: []\nx:\n  - id: principle",
     "takeaways: list at least 1 item, each with id and text (found 0)"),
], ids=["takeaway-without-text", "no-takeaways"])
def test_takeaway_problems_are_in_a_moderators_words(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    problems = _problems(tmp_path, {ART: _article(old, new)})
    assert any(p.endswith(expected) for p in problems), problems
    assert not any("tuple" in p for p in problems)
