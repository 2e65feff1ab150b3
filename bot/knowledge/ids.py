"""The id convention: short, typeable, stable ids that never come from a URL.

Moderators type these ids (``/kb show``, ``previous_ids``, ``related``) and
Discord carries them in 100-character option values and custom ids, so they
are short and lowercase.  Once published an id never changes; a rename keeps
the old id in ``previous_ids`` so old buttons and logged questions still resolve.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

# The same literal as model.EntryKind; repeated so schema.py can use these patterns
# without importing the model (which imports the schema).
EntryKind = Literal["article", "person", "org"]

ID_MAX_LENGTH: Final = 48
ORG_ID_MAX_LENGTH: Final = 24

# YYYY-MM-DD-topic, YYYY-MM-topic (day unknown) or undated-topic. The topic
# starts with a letter, so '2026-02-12-x' can never be read as a month id.
_TOPIC = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
ARTICLE_ID_PATTERN: Final = rf"^(?:\d{{4}}-\d{{2}}(?:-\d{{2}})?|undated)-{_TOPIC}$"
PERSON_ID_PATTERN: Final = r"^[a-z]+(?:-[a-z]+)+$"
ORG_ID_PATTERN: Final = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"

_PATTERNS: Final[dict[EntryKind, re.Pattern[str]]] = {
    "article": re.compile(ARTICLE_ID_PATTERN),
    "person": re.compile(PERSON_ID_PATTERN),
    "org": re.compile(ORG_ID_PATTERN),
}
_MAX: Final[dict[EntryKind, int]] = {
    "article": ID_MAX_LENGTH, "person": ID_MAX_LENGTH, "org": ORG_ID_MAX_LENGTH,
}
CONVENTION: Final[dict[EntryKind, str]] = {
    "article": "YYYY-MM-DD-short-topic: the story's date (YYYY-MM when the day is not "
               "known, 'undated' when no date is), then a few lowercase words, e.g. "
               "'2026-03-07-kalinowski-quits-openai'",
    "person": "first-last in lowercase letters, e.g. 'zoe-hitzig'",
    "org": "a short lowercase name, e.g. 'openai' or 'us-dod'",
}
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?-")


def id_problem(kind: EntryKind, entry_id: str) -> str | None:
    """Why ``entry_id`` breaks the convention for ``kind``, or None when it follows it."""
    limit = _MAX[kind]
    if len(entry_id) > limit:
        return (f"{kind} id '{entry_id}' is {len(entry_id)} characters; ids have at most "
                f"{limit} ({CONVENTION[kind]})")
    if not _PATTERNS[kind].match(entry_id):
        return f"{kind} id '{entry_id}' does not follow the convention {CONVENTION[kind]}"
    if kind == "article":
        return _date_prefix_problem(entry_id)
    return None


def _date_prefix_problem(entry_id: str) -> str | None:
    match = _DATE_PREFIX.match(entry_id)
    if match is None:
        return None  # 'undated-…'
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        date = match.group(0)[:-1]
        return f"article id '{entry_id}' starts with '{date}', which is not a real date"
    return None
