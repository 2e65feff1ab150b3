"""Extraction with trafilatura from realistic news pages: the story, not the page around it."""

from __future__ import annotations

import pytest

from bot.drafts.extract import ExtractionError, extract_page
from tests.drafts.site import ABHS, PAGES, TECHPORTAL, TECHPORTAL_URL, THENEWS


def page(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def test_metadata_comes_from_meta_tags_and_the_canonical_link() -> None:
    found = extract_page(page(TECHPORTAL), "http://127.0.0.1:1/pages/x.html")
    assert found.title == "OpenAI Robotics Chief Departs Over Pentagon Partnership"
    assert found.date == "2026-03-09"
    assert found.site_name == "TheTechPortal"
    assert found.url == TECHPORTAL_URL


def test_navigation_ads_sidebars_and_footers_are_left_out() -> None:
    found = extract_page(page(TECHPORTAL), "http://127.0.0.1:1/pages/x.html")
    text = found.text
    assert text.startswith("Caitlin Kalinowski, who led hardware in OpenAI's robotics effort")
    assert "planned lab in Richmond, California" in text
    for chrome in ("Advertisement", "Cloud GPUs", "Trending now", "Subscribe", "cookies",
                   "All rights reserved", "Anthropic Sues Pentagon", "Learn Python"):
        assert chrome not in text
    assert found.headings == ("OpenAI restates its red lines",)


def test_a_date_only_in_json_ld_is_found() -> None:
    found = extract_page(page(THENEWS), "http://127.0.0.1:1/pages/x.html")
    assert found.date == "2026-02-11"
    assert found.title.startswith("'World is in peril'")
    assert "ADVERTISEMENT" not in found.text


def test_a_page_without_a_date_has_none_and_its_byline_is_the_author() -> None:
    found = extract_page(page(ABHS), "http://127.0.0.1:1/pages/x.html")
    assert found.date is None  # the seed page shows no date; none is guessed from the text
    assert found.author == "Abhishek Gautam"
    assert "Free Weekly Briefing" not in found.text
    assert "Check Your AI Risk Score" not in found.text


def test_the_lead_skips_link_lines_and_takes_real_paragraphs() -> None:
    found = extract_page(page(ABHS), "http://127.0.0.1:1/pages/x.html")
    assert found.paragraphs[0] == "← All posts"  # in the text, but not a lead paragraph
    lead = found.lead(2)
    assert lead[0].startswith("Caitlin Kalinowski, OpenAI's head of robotics, has resigned")
    assert lead[1].startswith("OpenAI's head of robotics, Caitlin Kalinowski, has resigned.")


def test_table_rows_are_kept_with_their_cells() -> None:
    found = extract_page(page(ABHS), "http://127.0.0.1:1/pages/x.html")
    assert "Paul Christiano | Alignment researcher | Founded independent safety org" \
        in found.paragraphs


@pytest.mark.parametrize("html", [
    b"<html><head></head><body><p>" + b"Words without any headline at all. " * 10
    + b"</p></body></html>",
    b"",
    b"\x00\x01\x02 not html",
])
def test_a_page_without_a_title_or_text_is_one_clear_error(html: bytes) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_page(html, "http://127.0.0.1:1/x.html")
    assert str(caught.value) in ("the page has no title",
                                 "no article text could be found on the page")


def test_control_characters_never_reach_the_draft() -> None:
    html = ("<html><head><title>Bell\x07 and \x1b escape in a title</title></head><body>"
            "<article><p>" + "A paragraph with a bell\x07 and more words to count. " * 6
            + "</p></article></body></html>")
    found = extract_page(html, "http://127.0.0.1:1/x.html")
    assert found.title == "Bell and escape in a title"
    assert "\x07" not in found.text
