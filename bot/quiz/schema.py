"""The schema of a quiz file such as ``knowledge/quiz/risk.yaml``.

Single-field limits (lengths, counts, id shapes) live here so pydantic reports
them with exact positions; rules that relate several fields (citations exist,
the scale matches the points, bands tile 0-100) live in ``loader.py``.

The limits come from Discord: an option ``label`` and its ``why`` are shown as
a select-menu option's label and description (at most 100 characters each, at
most 25 options per menu, at most 5 menus per message).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from bot.yamldocs.fields import (
    DISCORD_CHOICE_NAME_MAX,
    DISCORD_SELECT_DESCRIPTION_MAX,
    DISCORD_SELECT_MENUS_MAX,
    DISCORD_SELECT_OPTIONS_MAX,
    DISCORD_SELECT_PLACEHOLDER_MAX,
    EMBED_FIELD_MAX,
    HttpsUrl,
    PartialDate,
    Slug,
    Strict,
    Title,
)

MIN_OPTIONS = 2
MAX_ADVICE = 5
SHORT_MAX = 40
ADVICE_MAX = 300
SCORE_MIN = 0
SCORE_MAX = 100

SOURCE_ID_RE = r"[A-Z][A-Z0-9]*[0-9]+"
_PARENS_RE = re.compile(r"\(([^()]*)\)")
_INLINE_ID_RE = re.compile(rf"\b{SOURCE_ID_RE}\b")



def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


SourceId = Annotated[str, StringConstraints(pattern=rf"^{SOURCE_ID_RE}$", max_length=12)]
# The length is checked on the string itself (not after another validator), so
# pydantic reports 'string_too_long' and the message names the Discord limit.
_Stripped = StringConstraints(strip_whitespace=True)
_NonBlank = AfterValidator(_nonblank)
Short = Annotated[str, _Stripped, StringConstraints(max_length=SHORT_MAX), _NonBlank]
Label = Annotated[str, _Stripped, StringConstraints(max_length=DISCORD_CHOICE_NAME_MAX), _NonBlank]
OptionDescription = Annotated[
    str, _Stripped, StringConstraints(max_length=DISCORD_SELECT_DESCRIPTION_MAX), _NonBlank
]
Advice = Annotated[str, _Stripped, StringConstraints(max_length=ADVICE_MAX), _NonBlank]
Prompt = Annotated[
    str, _Stripped, StringConstraints(max_length=DISCORD_SELECT_PLACEHOLDER_MAX), _NonBlank
]
LongText = Annotated[str, _Stripped, StringConstraints(max_length=EMBED_FIELD_MAX), _NonBlank]
Score = Annotated[int, Field(ge=SCORE_MIN, le=SCORE_MAX)]


def inline_citations(*texts: str) -> tuple[str, ...]:
    """Source ids mentioned in parentheses, e.g. '(E1, E6)' or '(..., E29)', first mention first."""
    found: dict[str, None] = {}
    for text in texts:
        for group in _PARENS_RE.findall(text):
            for source_id in _INLINE_ID_RE.findall(group):
                found.setdefault(source_id, None)
    return tuple(found)


class Source(Strict):
    """One piece of evidence, cited by its id (e.g. ``E17``) from options and advice."""

    title: Title = Field(description="What the source is, e.g. 'Anthropic Economic Index: ...'.")
    url: HttpsUrl = Field(description="The page the number was read on.")
    also: tuple[HttpsUrl, ...] = Field(default=(), description="Further pages for the same claim.")
    year: int = Field(ge=1990, le=2100, description="Year of the study or data release.")
    secondary: bool = Field(
        default=False, description="True when the page reports a primary study it does not host."
    )


class Option(Strict):
    """One answer to a question, with the points it adds and why."""

    id: Slug = Field(description="Stable id used in saved results and `--answer q=id`.")
    label: Label = Field(description="Shown as the select-menu label (at most 100 characters).")
    short: Short | None = Field(
        default=None, description="Short name for the result breakdown; defaults to the label."
    )
    points: int = Field(ge=0, le=1000, description="Points this answer adds to the raw score.")
    why: OptionDescription = Field(
        description="One-line rationale in our own words (at most 100 characters)."
    )
    cites: tuple[SourceId, ...] = Field(
        description="Ids of the sources that back the points (at least one)."
    )

    @property
    def display_short(self) -> str:
        return self.short or self.label


class Question(Strict):
    """One question; the user picks exactly one option."""

    id: Slug = Field(description="Stable id, e.g. 'stack'.")
    prompt: Prompt = Field(
        description="The question as asked (also a select menu's placeholder, at most 150)."
    )
    short: Short = Field(description="Factor name in the breakdown, e.g. 'Stack'.")
    # Counts are checked in loader.py: a min_length here would also fire, confusingly,
    # when one option is invalid and pydantic drops it.
    options: tuple[Option, ...] = Field(
        description=f"{MIN_OPTIONS} to {DISCORD_SELECT_OPTIONS_MAX} answers (a Discord select)."
    )

    @property
    def min_points(self) -> int:
        return min(o.points for o in self.options)

    @property
    def max_points(self) -> int:
        return max(o.points for o in self.options)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Band(Strict):
    """A score range with a headline and practical suggestions."""

    id: Slug = Field(description="Stable id stored with results, e.g. 'high'.")
    name: Label = Field(description="Shown to users, e.g. 'High'.")
    min: Score = Field(description="Lowest score in the band (inclusive).")
    max: Score = Field(description="Highest score in the band (inclusive).")
    headline: Label
    advice: tuple[Advice, ...] = Field(
        description="1 to 5 practical suggestions; cite sources inline like '(E24)' or '(E1, E6)'.",
    )

    @property
    def cites(self) -> tuple[str, ...]:
        """Source ids cited inline in the advice, in order of first mention."""
        return inline_citations(*self.advice)


class Scale(Strict):
    """How the raw sum maps to 0-100: ``round(100*(raw-raw_min)/(raw_max-raw_min))``."""

    raw_min: int = Field(ge=0, description="Sum of every question's lowest points.")
    raw_max: int = Field(ge=1, description="Sum of every question's highest points.")


class Quiz(Strict):
    """A whole quiz file."""

    version: int = Field(
        ge=1, description="Bump when points or options change; stored with results."
    )
    data_as_of: PartialDate = Field(description="When the evidence was last checked, e.g. 2026-06.")
    title: Label
    intro: LongText | None = None
    disclaimer: LongText = Field(description="Shown under every result (what the score is not).")
    scale: Scale
    questions: tuple[Question, ...] = Field(
        description=f"1 to {DISCORD_SELECT_MENUS_MAX} questions (one select menu each)."
    )
    bands: tuple[Band, ...] = Field(description="In order, covering 0-100 without gaps.")
    sources: dict[SourceId, Source] = Field(description="Evidence by id, e.g. E17.")

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def band_for(self, score: int) -> Band:
        """The band containing ``score``; the loader guarantees exactly one exists."""
        for band in self.bands:
            if band.min <= score <= band.max:
                return band
        raise ValueError(f"no band contains score {score}")

