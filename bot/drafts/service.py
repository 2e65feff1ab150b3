"""From a link to a draft, and from a draft to a published article.

These are the functions both adapters (the terminal and Discord) call:

- :func:`draft_from_url` fetches a page through the guarded fetcher, extracts it
  in a thread and builds the draft (nothing is written);
- :func:`publish_draft` validates the draft as an article against the whole
  knowledge base, writes it atomically, reloads, records a revision (through
  :class:`~bot.moderation.editor.KnowledgeEditor`, exactly like ``/kb upload``)
  and removes the draft.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Collection

import yaml

from bot.drafts.builder import build_draft
from bot.drafts.document import publishable_text
from bot.drafts.errors import LinkError
from bot.drafts.extract import extract_page
from bot.drafts.fetch import FetchedPage, Fetcher
from bot.drafts.ledger import record_in_ledger
from bot.drafts.model import Draft
from bot.drafts.store import DraftNotFound, DraftStore
from bot.knowledge import KnowledgeBase, Problem
from bot.knowledge.loader import ARTICLES_DIR
from bot.moderation.editor import Actor, EditOutcome, KnowledgeEditor

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


async def draft_from_url(
    url: str,
    kb: KnowledgeBase,
    fetcher: Fetcher,
    *,
    now: dt.datetime,
    taken_ids: Collection[str] = (),
    feed_item: str | None = None,
) -> Draft:
    """Fetch ``url`` and propose an article entry; raises :class:`LinkError` with one line."""
    page = await fetcher.fetch(url)
    check_html(page)
    extracted = await asyncio.to_thread(extract_page, page.body, page.url)
    draft = build_draft(extracted, kb, page.url, now=now, taken_ids=taken_ids,
                        feed_item=feed_item)
    log.info("draft made", extra={"draft": draft.id, "host": _host(page.url),
                                  "people": len(draft.people), "orgs": len(draft.orgs)})
    return draft


def check_html(page: FetchedPage) -> None:
    """Refuse anything but an HTML page (a PDF, an image, a feed)."""
    kind = page.content_type
    if kind in HTML_TYPES:
        return
    if not kind and page.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return
    raise LinkError(f"the link is not a web page ({kind or 'no content type'}); "
                    "drafts are made from HTML articles")


async def publish_draft(
    editor: KnowledgeEditor, drafts: DraftStore, draft_id: str, actor: Actor
) -> EditOutcome:
    """Validate, write, reload and record the draft as a new article; then remove the draft.

    Problems are reported against the draft file ('drafts/<id>.yaml') at the line
    the moderator sees there.  Nothing is written when anything is wrong.
    """
    try:
        text = await asyncio.to_thread(drafts.read_text, draft_id)
    except DraftNotFound as exc:
        return EditOutcome(False, message=f"{str(exc).capitalize()}.")
    article = publishable_text(text)
    filename = f"{draft_id}.yaml"
    outcome = await editor.upload(filename, article.text.encode("utf-8"), actor,
                                  kind="article", create_only=True)
    if not outcome.ok:
        names = {filename, f"{ARTICLES_DIR}/{_article_id(article.text) or draft_id}.yaml"}
        problems = tuple(
            Problem(drafts.display(draft_id), article.draft_line(p.line), p.col, p.message)
            if p.file in names else p for p in outcome.problems)
        return dataclasses.replace(outcome, problems=problems)
    await asyncio.to_thread(drafts.discard, draft_id)
    await _record_links(editor, article.text, draft_id, actor)
    log.info("draft published", extra={"draft": draft_id, "entry": outcome.entry,
                                       "actor_id": actor.user_id, "guild_id": actor.guild_id,
                                       "revision": outcome.revision.id if outcome.revision
                                       else None})
    return outcome


async def _record_links(editor: KnowledgeEditor, text: str, draft_id: str,
                        actor: Actor) -> None:
    """The article's links go into the URL ledger, verified by the bot's own fetch."""
    data = yaml.safe_load(text)
    urls = [data.get("url"), *(data.get("sources") or ())] if isinstance(data, dict) else []
    service = editor.service
    await asyncio.to_thread(
        record_in_ledger, service.root, [u for u in urls if isinstance(u, str)],
        service.kb.ledger, draft_id=draft_id, actor=actor.name, day=editor.clock().date())


def _article_id(text: str) -> str | None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""
