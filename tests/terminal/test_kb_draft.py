"""``labwire kb draft URL``: issue 14's done-when items, through the real command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests.drafts.site import ABHS, TECHPORTAL, TECHPORTAL_URL, Site
from tests.terminal.conftest import Labwire

ALLOW = {"LABWIRE_FETCH_ALLOW_PRIVATE": "1"}


async def test_a_local_page_becomes_a_draft_with_title_date_url_and_people(
        site: Site, labwire: Labwire) -> None:
    ran = await labwire("kb", "draft", site.page(TECHPORTAL), env=ALLOW)
    assert ran.code == 0, ran.stderr
    draft = yaml.safe_load(ran.stdout)
    assert draft["id"] == "2026-03-09-openai-robotics-chief-departs"
    assert draft["title"] == "OpenAI Robotics Chief Departs Over Pentagon Partnership"
    assert draft["published"] == dt.date(2026, 3, 9)
    assert draft["url"] == TECHPORTAL_URL
    assert draft["outlet"] == "TheTechPortal"
    assert draft["people"] == ["caitlin-kalinowski"]
    assert draft["orgs"] == ["openai", "meta"]
    assert draft["summary"] == "" and draft["takeaways"] == []
    assert 3 <= len(draft["questions"]) <= 5
    assert draft["draft"]["made_from"] == site.page(TECHPORTAL)
    assert "TechCrunch" in draft["draft"]["possibly_new"]
    assert draft["draft"]["lead"][0].startswith("Caitlin Kalinowski, who led hardware")


async def test_without_the_setting_a_local_link_is_refused_in_one_line(
        site: Site, labwire: Labwire) -> None:
    ran = await labwire("kb", "draft", site.page(TECHPORTAL))
    assert ran.code == 1
    assert ran.stdout == ""
    (line,) = ran.error_lines
    assert "refused: 127.0.0.1 is a loopback address" in line
    assert "LABWIRE_FETCH_ALLOW_PRIVATE=1" in line
    assert site.requests == []


@pytest.mark.parametrize(("path", "says"), [
    ("report.pdf", "is not a web page (application/pdf)"),
    ("untitled.html", "the page has no title"),
    ("missing.html", "answered HTTP 404"),
    ("huge.html", "larger than 5.0 MB"),
])
async def test_a_link_that_cannot_be_drafted_is_one_clear_line(
        site: Site, labwire: Labwire, path: str, says: str) -> None:
    ran = await labwire("kb", "draft", site.url(path), env=ALLOW)
    assert ran.code == 1
    (line,) = ran.error_lines
    assert says in line and "Traceback" not in ran.stderr


async def test_bad_links_and_settings_are_one_clear_line(labwire: Labwire) -> None:
    ran = await labwire("kb", "draft", "file:///etc/passwd")
    assert ran.code == 1
    assert ran.error_lines == ["labwire: cannot draft from file:///etc/passwd: only http:// "
                               "and https:// links can be fetched (got 'file:')"]
    ran = await labwire("kb", "draft", "https://example.com/a",
                        env={"LABWIRE_FETCH_ALLOW_PRIVATE": "maybe"})
    assert ran.code == 2
    assert ran.error_lines == ["labwire kb draft: LABWIRE_FETCH_ALLOW_PRIVATE: 'maybe' is not on "
                               "or off (use 1 or 0)."]


async def test_a_draft_can_be_written_to_a_file_or_kept_for_moderators(
        site: Site, labwire: Labwire, workdir: Path) -> None:
    out = workdir / "story.yaml"
    ran = await labwire("kb", "draft", site.page(ABHS), "--out", str(out), env=ALLOW)
    assert ran.code == 0 and ran.stdout == f"wrote the draft to {out}\n"
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["author"] == "Abhishek Gautam"

    ran = await labwire("kb", "draft", site.page(TECHPORTAL), "--save", env=ALLOW)
    assert ran.code == 0
    saved = workdir / "knowledge" / "drafts" / "2026-03-09-openai-robotics-chief-departs.yaml"
    assert ran.stdout == f"saved draft 2026-03-09-openai-robotics-chief-departs to {saved}\n"
    again = await labwire("kb", "draft", site.page(TECHPORTAL), "--save", env=ALLOW)
    assert "2026-03-09-openai-robotics-chief-departs-2" in again.stdout  # never overwritten

    stats = await labwire("kb", "stats")
    assert "Drafts waiting: 2" in stats.stdout.splitlines()
