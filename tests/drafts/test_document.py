"""Draft files: readable YAML, read back as written, and cut down to the article on publish."""

from __future__ import annotations

import yaml

from bot.drafts.document import (
    NOTES_KEY,
    DraftFormatError,
    parse_draft,
    publishable_text,
    render_draft,
)
from bot.drafts.model import Draft, DraftNotes, DraftTakeaway

TRICKY = Draft(
    id="2026-03-09-openai-robotics-chief-departs",
    title="'World is in peril': \"quotes\", colons: and # hashes",
    url="https://thetechportal.com/2026/03/09/openai-robotics-chief-departs-over-pentagon/",
    outlet="TheTechPortal",
    author="Zoë Hitzig",
    published="2026-03-09",
    summary=("A summary long enough to be folded over several lines of the file. " * 3).strip(),
    takeaways=(DraftTakeaway("red-lines", "yes: no - [brackets] {braces} & *stars*"),),
    people=("caitlin-kalinowski",),
    orgs=("openai", "meta"),
    questions=("why did kalinowski leave openai", "true", "2026"),
    notes=DraftNotes(made_from="http://127.0.0.1:8000/a.html", made_at="2026-03-10T09:00:00Z",
                     lead=(("First paragraph: with a colon, and \"quotes\". " * 5).strip(),
                           "Second."),
                     possibly_new=("TechCrunch", "No"), warnings=("Check the date.",),
                     feed_item="thetechportal.com/2026/03/09/x"),
)


def test_a_draft_reads_back_exactly_as_written() -> None:
    assert parse_draft(render_draft(TRICKY), "d.yaml") == TRICKY


def test_values_yaml_would_misread_are_quoted() -> None:
    data = yaml.safe_load(render_draft(TRICKY))
    assert data["questions"] == ["why did kalinowski leave openai", "true", "2026"]
    assert data[NOTES_KEY]["possibly_new"] == ["TechCrunch", "No"]  # not False


def test_the_published_text_has_no_notes_and_no_header() -> None:
    published = publishable_text(render_draft(TRICKY))
    data = yaml.safe_load(published.text)
    assert NOTES_KEY not in data
    assert "First paragraph" not in published.text
    assert not published.text.startswith("#")
    assert data["title"] == TRICKY.title


def test_published_lines_map_back_to_the_draft_lines() -> None:
    text = render_draft(TRICKY)
    published = publishable_text(text)
    draft_lines = text.splitlines()
    for number, line in enumerate(published.text.splitlines(), start=1):
        assert draft_lines[published.draft_line(number) - 1] == line


def test_a_notes_block_in_the_middle_is_cut_too() -> None:
    text = ("id: a\n"
            "draft:\n"
            "  lead:\n"
            "    - copied text\n"
            "  # a comment in the notes\n"
            "title: T\n")
    published = publishable_text(text)
    assert published.text == "id: a\ntitle: T\n"
    assert published.draft_line(2) == 6


def test_text_that_is_not_a_draft_is_refused_with_a_location() -> None:
    for bad in ("- a list\n", "id: [unclosed\n", "title: no id\n"):
        try:
            parse_draft(bad, "drafts/x.yaml")
        except DraftFormatError as exc:
            assert exc.problems and exc.problems[0].file == "drafts/x.yaml"
        else:
            raise AssertionError(f"accepted {bad!r}")
