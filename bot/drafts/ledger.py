"""A published draft's links go into the URL ledger, ``knowledge/sources.yaml``.

Every URL the knowledge base cites must be listed there with where it came from
(a test checks the shipped knowledge against it). A draft's page was fetched by
the bot itself, so that fetch is the verification: the new lines say when, from
which draft, and for whom. The file is appended to as text, so its comments and
order stay as moderators wrote them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.atomic import write_atomic
from bot.knowledge.loader import LEDGER_FILE

log = logging.getLogger(__name__)


def ledger_lines(urls: Iterable[str], *, draft_id: str, actor: str, day: dt.date) -> str:
    """The YAML list items recording ``urls`` as checked by the bot's own fetch."""
    note = (f"fetched by Labwire's draft tool on {day.isoformat()} (draft {draft_id}, "
            f"published by {actor})")
    return "".join(f"  - url: {json.dumps(url)}\n    verified: {json.dumps(note)}\n"
                   for url in urls)


def record_in_ledger(root: Path, urls: Iterable[str], listed: Iterable[str], *,
                     draft_id: str, actor: str, day: dt.date) -> list[str]:
    """Append the URLs not yet listed; return them. No ledger file: nothing to keep."""
    path = root / LEDGER_FILE
    known = set(listed)
    new = [url for url in dict.fromkeys(urls) if url not in known]
    if not new or not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _not_updated(path, new, f"cannot read it: {exc}")
    if text and not text.endswith("\n"):
        text += "\n"
    updated = text + ledger_lines(new, draft_id=draft_id, actor=actor, day=day)
    if not _lists(updated, new):
        # A hand-edited ledger whose last key is not `sources:`: appending would put the
        # lines in the wrong place.
        return _not_updated(path, new, "appending would not list them under `sources:`")
    try:
        write_atomic(path, updated)
    except OSError as exc:
        return _not_updated(path, new, f"cannot write it: {exc}")
    return new


def _not_updated(path: Path, urls: list[str], why: str) -> list[str]:
    """The story is published either way: the ledger is left as it was, and the log says
    which links a moderator should add by hand."""
    log.warning("ledger not updated", extra={"file": str(path), "urls": urls, "why": why})
    return []


def _lists(text: str, urls: list[str]) -> bool:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    sources = data.get("sources") if isinstance(data, dict) else None
    listed = {item.get("url") for item in sources or () if isinstance(item, dict)}
    return set(urls) <= listed
