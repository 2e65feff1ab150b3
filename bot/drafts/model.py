"""A draft article: what the bot proposes from a page, before a moderator finishes it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DraftNotes:
    """For the moderator only: never published (the ``draft:`` block of the file)."""

    made_from: str  # the link as fetched, after redirects
    made_at: str  # ISO-8601 UTC
    lead: tuple[str, ...] = ()  # the page's first paragraphs, to write the summary from
    possibly_new: tuple[str, ...] = ()  # capitalised names no entry knows
    warnings: tuple[str, ...] = ()  # what the moderator must check or fix
    feed_item: str | None = None  # the feed item it was drafted from (its canonical key)


@dataclass(frozen=True)
class DraftTakeaway:
    id: str
    text: str


@dataclass(frozen=True)
class Draft:
    """An article entry in the knowledge schema's shape, plus the moderator's notes."""

    id: str
    title: str
    url: str
    outlet: str
    notes: DraftNotes
    author: str | None = None
    published: str | None = None
    summary: str = ""  # the moderator's own words; never the page's
    takeaways: tuple[DraftTakeaway, ...] = ()
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default=())
