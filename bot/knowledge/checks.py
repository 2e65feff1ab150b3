"""Rules that span fields or entries: id convention, renames, dates and links.

The schema checks each value on its own; these checks need several values at
once (an article's dates against each other and against ``knowledge_as_of``,
an old id against every current id), and report at the exact place to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge.ids import id_problem
from bot.knowledge.model import Entry, EntryKey, EntryKind
from bot.knowledge.schema import Article, Person
from bot.yamldocs.fields import date_start
from bot.yamldocs.yamlsource import Located, Path


@dataclass(frozen=True)
class Place:
    """Where an entry sits: its file, parsed positions and the path to the entry."""

    display: str
    located: Located
    base: Path = ()

    def where(self, path: Path) -> tuple[int, int]:
        return self.located.where((*self.base, *path))


Report = Callable[[Place, Path, str], None]


@dataclass(frozen=True)
class Placed:
    kind: EntryKind
    entry: Entry
    place: Place


def check_ids(items: Sequence[Placed], report: Report) -> None:
    """Every id follows the convention; an old id names one entry and no current one."""
    current = {EntryKey(i.kind, i.entry.id) for i in items}
    claimed: dict[EntryKey, str] = {}
    for item in items:
        problem = id_problem(item.kind, item.entry.id)
        if problem is not None:
            report(item.place, ("id",), problem + "; to rename, keep the old id in previous_ids")
        for index, old in enumerate(item.entry.previous_ids):
            key = EntryKey(item.kind, old)
            path: Path = ("previous_ids", index)
            if old == item.entry.id:
                report(item.place, path, f"previous id '{old}' is this entry's own id")
            elif key in current:
                report(item.place, path, f"previous id '{old}' is the current id of another "
                                         f"{item.kind}; an id is never reused")
            elif key in claimed:
                report(item.place, path, f"previous id '{old}' is already a previous id of "
                                         f"{item.kind} '{claimed[key]}'")
            else:
                claimed[key] = item.entry.id


def check_dates(items: Iterable[Placed], today: dt.date, report: Report) -> None:
    """Articles are dated (or say why not), dates run forward and none is in the future.

    A story newer than ``knowledge_as_of`` is fine: moderators add news after the
    shipped knowledge was last checked, and answers take the newer date as their age.
    """
    for item in items:
        entry = item.entry
        if isinstance(entry, Article):
            _check_article_dates(entry, item.place, report)
        elif isinstance(entry, Person):
            _check_roles(entry, item.place, report)
        for path, value in _dates_of(entry):
            if date_start(value) > today:
                report(item.place, path, f"date {value} is in the future (today is {today})")


def _check_article_dates(article: Article, place: Place, report: Report) -> None:
    if article.undated is not None and article.story_date is not None:
        report(place, ("undated",), "an article with a published or event_date is not "
                                    "undated; remove one of them")
    elif article.undated is None and article.story_date is None:
        report(place, ("id",), "article has no date: give published (the page's date), "
                               "event_date (when the page shows none) or undated: <why>")
    date, as_of = article.story_date, article.as_of
    if as_of is not None and date is not None and date_start(as_of) < date_start(date):
        report(place, ("as_of",), f"as_of {as_of} is before the story's date {date}")
    previous: str | None = None
    for index, item in enumerate(article.timeline):
        if previous is not None and date_start(item.date) < date_start(previous):
            report(place, ("timeline", index, "date"),
                   f"timeline date {item.date} comes before the step above it ({previous}); "
                   "list steps oldest first")
        previous = item.date


def _check_roles(person: Person, place: Place, report: Report) -> None:
    for index, role in enumerate(person.roles):
        if role.from_ and role.to and date_start(role.to) < date_start(role.from_):
            report(place, ("roles", index, "to"),
                   f"role ends ({role.to}) before it starts ({role.from_})")
        if role.ended and role.to:
            report(place, ("roles", index, "ended"),
                   "a role with an end date ('to') needs no 'ended: true'")


def _dates_of(entry: Entry) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    if isinstance(entry, Article):
        found += [((name,), value) for name in ("published", "event_date", "as_of")
                  if (value := getattr(entry, name)) is not None]
        found += [(("timeline", i, "date"), t.date) for i, t in enumerate(entry.timeline)]
        return found
    if entry.as_of is not None:
        found.append((("as_of",), entry.as_of))
    if isinstance(entry, Person):
        for i, role in enumerate(entry.roles):
            found += [(("roles", i, key), value) for key, value in
                      (("from", role.from_), ("to", role.to)) if value is not None]
        if entry.departure is not None and entry.departure.date is not None:
            found.append((("departure", "date"), entry.departure.date))
    return found


def check_links(items: Iterable[Placed], report: Report) -> None:
    """The primary url is listed once: not again among the further links."""
    for item in items:
        entry = item.entry
        url: str | None = entry.url
        more, name = ((entry.sources, "sources") if isinstance(entry, Article)
                      else (entry.links, "links"))
        for index, link in enumerate(more):
            if link == url:
                report(item.place, (name, index), f"{link} is already the entry's url")

