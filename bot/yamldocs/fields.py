"""Field types and limits shared by every YAML document the project loads.

The knowledge base and the risk quiz both build on these, so they live outside either
package (no import cycle between ``bot.knowledge`` and ``bot.quiz``). Length limits come
from Discord's embed limits, so anything that validates can be shown without truncating.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

# Discord's own limits that content must fit (bot/discord/limits.py lists them for the
# adapter, beside the caps that apply only to what it shows).
EMBED_TITLE_MAX = 256
EMBED_FIELD_MAX = 1024
EMBED_DESCRIPTION_MAX = 4096
DISCORD_CHOICE_NAME_MAX = 100
DISCORD_SELECT_OPTIONS_MAX = 25
DISCORD_SELECT_MENUS_MAX = 5
DISCORD_SELECT_DESCRIPTION_MAX = 100
DISCORD_SELECT_PLACEHOLDER_MAX = 150

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


def _check_full_date(value: str) -> str:
    if len(value) != len("2026-04-28"):
        raise ValueError(f"'{value}' must be a full date like 2026-04-28")
    return value


def date_start(value: str) -> dt.date:
    """The first day a partial date can mean: '2026-03' -> 2026-03-01."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


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


Slug = Annotated[str, StringConstraints(pattern=SLUG_RE, max_length=DISCORD_CHOICE_NAME_MAX)]
Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_nonblank)]
Title = Annotated[Text, StringConstraints(max_length=EMBED_TITLE_MAX)]
Name = Annotated[Text, StringConstraints(max_length=DISCORD_CHOICE_NAME_MAX)]
FieldText = Annotated[Text, StringConstraints(max_length=EMBED_FIELD_MAX)]
Description = Annotated[Text, StringConstraints(max_length=EMBED_DESCRIPTION_MAX)]
HttpsUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_check_https_url)]
PartialDate = Annotated[
    str, BeforeValidator(_date_to_text), AfterValidator(_check_partial_date)
]
FullDate = Annotated[PartialDate, AfterValidator(_check_full_date)]


class Strict(BaseModel):
    """Base for every document model: unknown keys are errors, instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
