"""Title, date, author, site name and main text of a news page, with trafilatura.

trafilatura (a maintained, widely used extractor) separates the article from
navigation, ads, sidebars and footers and reads the metadata from meta tags,
JSON-LD and the page itself; we only shape its result.  It is imported on first
use: it costs about 0.2 s to import, which commands that never draft should not pay.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.drafts.errors import LinkError

log = logging.getLogger(__name__)

# Paragraphs shorter than this are captions, bylines or "← All posts" links.
MIN_PARAGRAPH_CHARS = 60
# Only the date the page says it was published: never a date guessed from the text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


class ExtractionError(LinkError):
    """The page has no usable article; ``str(error)`` is one line for the moderator."""


@dataclass(frozen=True)
class ExtractedPage:
    """What the page says about itself, and its main text split into blocks."""

    title: str
    url: str | None  # the page's canonical URL (link rel=canonical or og:url), if any
    date: str | None  # YYYY-MM-DD
    author: str | None
    site_name: str | None
    hostname: str | None
    paragraphs: tuple[str, ...]  # body paragraphs, list items and table rows, in order
    headings: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def lead(self, count: int = 3) -> tuple[str, ...]:
        """The first ``count`` real paragraphs (not captions or link lines)."""
        return tuple(p for p in self.paragraphs if len(p) >= MIN_PARAGRAPH_CHARS)[:count]


def extract_page(html: bytes | str, url: str) -> ExtractedPage:
    """Extract the article from ``html`` fetched from ``url``.  CPU-bound: call in a thread."""
    import trafilatura  # deferred: see the module docstring

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True, date_extraction_params=_DATE_PARAMS)
    if document is None:
        raise ExtractionError("no article text could be found on the page")
    meta: dict[str, Any] = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    title = _clean(meta.get("title"))
    if not title:
        raise ExtractionError("the page has no title")
    paragraphs, headings = _blocks(meta.get("body"))
    return ExtractedPage(
        title=title,
        url=_clean(meta.get("url")) or None,
        date=_clean(meta.get("date")) or None,
        author=_clean(meta.get("author")) or None,
        site_name=_clean(meta.get("sitename")) or None,
        hostname=_clean(meta.get("hostname")) or None,
        paragraphs=paragraphs,
        headings=headings,
    )


def _blocks(body: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Paragraph-like blocks and headings from trafilatura's XML body, in page order."""
    if body is None:
        return (), ()
    paragraphs: list[str] = []
    headings: list[str] = []
    for element in body.iter("p", "item", "row", "head"):
        if element.tag == "row":
            text = " | ".join(_clean(" ".join(cell.itertext())) for cell in element)
        else:
            text = _clean(" ".join(element.itertext()))
        if text.strip(" |"):
            (headings if element.tag == "head" else paragraphs).append(text)
    return tuple(paragraphs), tuple(headings)


def _clean(value: Any) -> str:
    """One line of text without control characters (which YAML files cannot hold)."""
    if not value:
        return ""
    text = "".join(c if unicodedata.category(c) not in ("Cc", "Cs") or c.isspace() else " "
                   for c in str(value) if c not in "\ufffe\uffff")
    return " ".join(text.split())
