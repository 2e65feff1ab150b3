"""The knowledge-base schema, declared once.

These pydantic models are both the validator (with exact error paths that
``validate.py`` turns into ``file:line:col``) and the source of the JSON Schema
moderators' editors use (``labwire kb schema``).  Every container is a tuple and
every model frozen, so a loaded knowledge base cannot be changed by accident.

Length limits come from Discord's embed limits, so anything that validates can
be shown without truncating a title or failing a send.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

EMBED_TITLE_MAX = 256
EMBED_FIELD_MAX = 1024
EMBED_DESCRIPTION_MAX = 4096
DISCORD_CHOICE_NAME_MAX = 100

SLUG_RE = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date_to_text(value: Any) -> Any:
    """YAML reads ``2026-03-07`` as a date and ``2026`` as an int; keep both as text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE_RE.match(value)
    if not match:
        raise ValueError("a date must look like 2026-03-07, 2026-03 or 2026")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year or 1, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date ({exc})") from None
    return value


def _check_https_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise ValueError(f"URL must start with https:// (got '{value[:80]}')")
    if not parts.netloc or "." not in parts.netloc or " " in value:
        raise ValueError(f"'{value[:80]}' is not a well-formed URL")
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


ARTICLE_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9._~-]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_RE, max_length=DISCORD_CHOICE_NAME_MAX)]
# Article ids are the last segment of the story's URL path, so they keep its spelling.
ArticleId = Annotated[str, StringConstraints(pattern=ARTICLE_ID_RE, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_nonblank)]
Title = Annotated[Text, StringConstraints(max_length=EMBED_TITLE_MAX)]
Name = Annotated[Text, StringConstraints(max_length=DISCORD_CHOICE_NAME_MAX)]
FieldText = Annotated[Text, StringConstraints(max_length=EMBED_FIELD_MAX)]
Description = Annotated[Text, StringConstraints(max_length=EMBED_DESCRIPTION_MAX)]
HttpsUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_check_https_url)]
PartialDate = Annotated[
    str, BeforeValidator(_date_to_text), AfterValidator(_check_partial_date)
]


class Strict(BaseModel):
    """Base for every knowledge model: unknown keys are errors, instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Takeaway(Strict):
    """One short statement a reader should remember from an article."""

    id: Slug = Field(description="Stable id, unique within its article, e.g. 'values-exit'.")
    text: FieldText = Field(description="The takeaway in one or two sentences, own words.")


class Article(Strict):
    """A news story: one file ``knowledge/articles/<id>.yaml``."""

    id: ArticleId = Field(description="Last segment of the URL path; must equal the file name.")
    title: Title = Field(description="The headline as published.")
    url: HttpsUrl = Field(description="The story's first URL in the sources file.")
    outlet: Name
    author: Name | None = None
    published: PartialDate | None = Field(
        default=None, description="ISO date; '2026-03' or '2026' when only that is known."
    )
    summary: Description = Field(description="2-4 sentences in our own words.")
    takeaways: tuple[Takeaway, ...] = Field(min_length=1, max_length=25)
    people: tuple[Slug, ...] = Field(default=(), description="Person ids.")
    orgs: tuple[Slug, ...] = Field(default=(), description="Organisation ids.")
    tags: tuple[Slug, ...] = ()
    questions: tuple[Text, ...] = Field(
        default=(), description="Ways people ask for this story; the matcher uses them."
    )
    sources: tuple[HttpsUrl, ...] = Field(default=(), description="Further URLs for the story.")
    related: tuple[ArticleId, ...] = Field(default=(), description="Ids of related articles.")
    notes: tuple[FieldText, ...] = Field(
        default=(), description="Plain-text notes, e.g. related posts with no known copy."
    )
    previous_ids: tuple[ArticleId, ...] = Field(
        default=(), description="Ids this entry had before it was renamed: old buttons, "
                                "links and logged questions still find it by them.")


class Role(Strict):
    """A position someone held."""

    title: Name
    org: Name = Field(
        description="Organisation name or id (free text: not every employer has an entry)."
    )
    from_: PartialDate | None = Field(default=None, alias="from")
    to: PartialDate | None = None


class Departure(Strict):
    """Why and when someone left an organisation."""

    from_: Slug = Field(alias="from", description="Id of the organisation they left.")
    date: PartialDate | None = None
    reason: FieldText
    quote: FieldText | None = None


class Person(Strict):
    """A person: one file ``knowledge/people/<id>.yaml``."""

    id: Slug = Field(description="Kebab-case full name; must equal the file name.")
    name: Name = Field(description="The common name, e.g. 'Sam Altman'.")
    aliases: tuple[Name, ...] = Field(default=(), description="What people type to mean them.")
    summary: Description
    roles: tuple[Role, ...] = ()
    departure: Departure | None = None
    links: tuple[HttpsUrl, ...] = ()
    tags: tuple[Slug, ...] = ()
    questions: tuple[Text, ...] = ()
    previous_ids: tuple[Slug, ...] = Field(
        default=(), description="Ids this entry had before it was renamed: old buttons, "
                                "links and logged questions still find it by them.")


class Org(Strict):
    """An organisation, listed in ``knowledge/orgs.yaml``."""

    id: Slug
    name: Name = Field(description="Common name, e.g. 'Google'.")
    aliases: tuple[Name, ...] = ()
    summary: Description
    links: tuple[HttpsUrl, ...] = ()
    tags: tuple[Slug, ...] = ()
    questions: tuple[Text, ...] = ()
    previous_ids: tuple[Slug, ...] = Field(
        default=(), description="Ids this entry had before it was renamed: old buttons, "
                                "links and logged questions still find it by them.")


class OrgsFile(Strict):
    """The whole of ``knowledge/orgs.yaml``."""

    orgs: tuple[Org, ...] = Field(min_length=1)
