"""The knowledge-base schema, declared once.

These pydantic models are both the validator (with exact error paths that
``validate.py`` turns into ``file:line:col``) and the source of the JSON Schema
moderators' editors use (``labwire kb schema``).  Every container is a tuple and
every model frozen, so a loaded knowledge base cannot be changed by accident.

Length limits come from Discord's embed limits, so anything that validates can
be shown without truncating a title or failing a send.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    StringConstraints,
    model_validator,
)

from bot.knowledge.ids import (
    ARTICLE_ID_PATTERN,
    ID_MAX_LENGTH,
    ORG_ID_MAX_LENGTH,
    ORG_ID_PATTERN,
    PERSON_ID_PATTERN,
)
from bot.yamldocs.fields import (
    Description,
    FieldText,
    FullDate,
    HttpsUrl,
    Name,
    PartialDate,
    Slug,
    Strict,
    Text,
    Title,
)

TIMELINE_TEXT_MAX = 300

ARTICLE_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9._~-]*$"

# The schema accepts any id shape so entries built in code (benchmarks) need no
# convention; the loader holds knowledge files to the convention (ids.py).
ArticleId = Annotated[str, StringConstraints(pattern=ARTICLE_ID_RE, max_length=200)]
# Old article ids were the last segment of a story's URL path, in its spelling.
LegacyArticleId = Annotated[str, StringConstraints(pattern=ARTICLE_ID_RE, max_length=200)]
TimelineText = Annotated[Text, StringConstraints(max_length=TIMELINE_TEXT_MAX)]


class Takeaway(Strict):
    """One short statement a reader should remember from an article."""

    id: Slug = Field(description="Stable id, unique within its article, e.g. 'values-exit'.")
    text: FieldText = Field(description="The takeaway in one or two sentences, own words.")


class TimelineItem(Strict):
    """One dated step in a story that unfolded over weeks (``timeline:``)."""

    date: PartialDate = Field(description="When it happened: '2026-03-09', or '2026-03'.")
    text: TimelineText = Field(description="What happened, in one sentence of our own.")


class Article(Strict):
    """A news story: one file ``knowledge/articles/<id>.yaml``."""

    id: ArticleId = Field(
        description="YYYY-MM-DD-short-topic (lowercase, at most 48 characters), e.g. "
                    "'2026-03-07-kalinowski-quits-openai'; must equal the file name; never "
                    "taken from the URL and never changed once published.",
        json_schema_extra={"pattern": ARTICLE_ID_PATTERN, "maxLength": ID_MAX_LENGTH})
    title: Title = Field(description="The headline as published (or our own title: title_kind).")
    title_kind: Literal["headline", "ours"] = Field(
        default="headline",
        description="'headline': the title as the page published it. 'ours': a descriptive "
                    "title we wrote because the published headline is not known.")
    url: HttpsUrl = Field(description="The story's main URL (listed in sources.yaml).")
    outlet: Name
    author: Name | None = None
    published: PartialDate | None = Field(
        default=None, description="Publication date; '2026-03' or '2026' when only that is "
                                  "known.")
    event_date: PartialDate | None = Field(
        default=None, description="When the story's event happened; needed when the page "
                                  "shows no publication date (for a timeline: its last step).")
    undated: FieldText | None = Field(
        default=None, description="Why the story has no date at all (neither published nor "
                                  "event_date is known).")
    as_of: PartialDate | None = Field(
        default=None, description="When the facts here were last known to be true, if later "
                                  "than the story's date (e.g. a later court ruling).")
    summary: Description = Field(description="2-4 sentences in our own words.")
    takeaways: tuple[Takeaway, ...] = Field(min_length=1, max_length=25)
    timeline: tuple[TimelineItem, ...] = Field(
        default=(), max_length=20,
        description="For a story told over weeks: dated steps, oldest first.")
    people: tuple[Slug, ...] = Field(default=(), description="Person ids.")
    orgs: tuple[Slug, ...] = Field(default=(), description="Organisation ids.")
    tags: tuple[Slug, ...] = ()
    questions: tuple[Text, ...] = Field(
        default=(), description="Ways people ask for this story; the matcher uses them."
    )
    sources: tuple[HttpsUrl, ...] = Field(default=(), description="Further URLs for the story.")
    related: tuple[ArticleId, ...] = Field(default=(), description="Ids of related articles.")
    notes: tuple[FieldText, ...] = Field(
        default=(), description="Plain-text notes for moderators (not shown to users)."
    )
    previous_ids: tuple[LegacyArticleId, ...] = Field(
        default=(), description="Ids this entry had before it was renamed: old buttons, "
                                "links and logged questions still find it by them.")

    @property
    def story_date(self) -> str | None:
        """The date to show and sort by: publication date, else the event date."""
        return self.published or self.event_date

    @property
    def date_kind(self) -> Literal["published", "event"] | None:
        """Which date :attr:`story_date` is, so it can be labelled."""
        if self.published:
            return "published"
        return "event" if self.event_date else None


class Role(Strict):
    """A position someone held."""

    title: Name
    org: Name = Field(
        description="Organisation name or id (free text: not every employer has an entry)."
    )
    from_: PartialDate | None = Field(
        default=None, alias="from", description="Only when a source gives it.")
    to: PartialDate | None = Field(
        default=None, description="When the role ended, if a source gives it.")
    ended: bool = Field(
        default=False, description="The role is over but no source dates its end "
                                   "(leave it out when 'to' is given).")

    @property
    def is_over(self) -> bool:
        """True for a role that ended, dated ('to') or not ('ended: true')."""
        return self.ended or self.to is not None


class Departure(Strict):
    """Why and when someone left an organisation."""

    from_: Slug = Field(alias="from", description="Id of the organisation they left.")
    date: PartialDate | None = None
    reason: FieldText
    quote: FieldText | None = None


class Person(Strict):
    """A person: one file ``knowledge/people/<id>.yaml``."""

    id: Slug = Field(
        description="first-last in lowercase letters, e.g. 'zoe-hitzig'; must equal the "
                    "file name; never changed once published.",
        json_schema_extra={"pattern": PERSON_ID_PATTERN, "maxLength": ID_MAX_LENGTH})
    name: Name = Field(description="The common name, e.g. 'Sam Altman'.")
    aliases: tuple[Name, ...] = Field(default=(), description="What people type to mean them.")
    summary: Description
    url: HttpsUrl | None = Field(
        default=None, description="The one best page about them, shown first: their Wikipedia "
                                  "page where the sources have one.")
    as_of: PartialDate | None = Field(
        default=None, description="When the facts here were last known to be true.")
    roles: tuple[Role, ...] = ()
    departure: Departure | None = None
    links: tuple[HttpsUrl, ...] = Field(default=(), description="Further source pages.")
    tags: tuple[Slug, ...] = ()
    questions: tuple[Text, ...] = ()
    previous_ids: tuple[Slug, ...] = Field(
        default=(), description="Ids this entry had before it was renamed: old buttons, "
                                "links and logged questions still find it by them.")

    @property
    def links_best_first(self) -> tuple[str, ...]:
        """The curated ``url`` first, then the further links: what to show, in order."""
        return (self.url, *self.links) if self.url else self.links


class Org(Strict):
    """An organisation, listed in ``knowledge/orgs.yaml``."""

    id: Slug = Field(
        description="A short lowercase name, e.g. 'openai' or 'us-dod' (at most 24 "
                    "characters); never changed once published.",
        json_schema_extra={"pattern": ORG_ID_PATTERN, "maxLength": ORG_ID_MAX_LENGTH})
    name: Name = Field(description="Common name, e.g. 'Google'.")
    aliases: tuple[Name, ...] = ()
    summary: Description
    url: HttpsUrl | None = Field(
        default=None, description="The one best page about it, shown first: its official "
                                  "site or Wikipedia page where the sources have one.")
    as_of: PartialDate | None = Field(
        default=None, description="When the facts here were last known to be true.")
    links: tuple[HttpsUrl, ...] = Field(default=(), description="Further source pages.")
    tags: tuple[Slug, ...] = ()
    questions: tuple[Text, ...] = ()
    previous_ids: tuple[Slug, ...] = Field(
        default=(), description="Ids this entry had before it was renamed: old buttons, "
                                "links and logged questions still find it by them.")

    @property
    def links_best_first(self) -> tuple[str, ...]:
        """The curated ``url`` first, then the further links: what to show, in order."""
        return (self.url, *self.links) if self.url else self.links


class OrgsFile(Strict):
    """The whole of ``knowledge/orgs.yaml``."""

    orgs: tuple[Org, ...] = Field(min_length=1)


class KnowledgeFile(Strict):
    """``knowledge/knowledge.yaml``: what holds for the knowledge base as a whole."""

    knowledge_as_of: FullDate = Field(
        description="The date the shipped knowledge as a whole was last checked against its "
                    "sources. Answers say how old they are from it, or from a newer entry's date.")


class LedgerEntry(Strict):
    """One URL the knowledge base may cite, and where it came from."""

    url: HttpsUrl
    from_: Text | None = Field(
        default=None, alias="from",
        description="The section of the project's research notes the URL was copied from.")
    verified: FieldText | None = Field(
        default=None,
        description="For a URL added after the notes: where it was verified (e.g. the stored "
                    "copy of the page found with the search tool, with its address).")
    do_not_cite: FieldText | None = Field(
        default=None, description="Why the notes flag this URL as unreliable: never cite it.")

    @model_validator(mode="after")
    def _one_origin(self) -> LedgerEntry:
        if (self.from_ is None) == (self.verified is None):
            raise ValueError("give exactly one of 'from' (a notes section) or 'verified' "
                             "(where the page was checked)")
        return self


class LedgerFile(Strict):
    """``knowledge/sources.yaml``: every URL the knowledge base may use."""

    sources: tuple[LedgerEntry, ...] = Field(min_length=1)
