"""Turn an extracted page into a draft article entry.

The draft proposes what can be taken from the page without copying its prose:
an id, the title, date, url, outlet and author, the known people and
organisations it names, a few questions people would ask, and, as notes for
the moderator, the lead paragraphs and any names we do not know yet.  The
summary and takeaways stay empty: they are the moderator's to write.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from urllib.parse import urlsplit

from bot.drafts.canonical import knowledge_url_index, url_key
from bot.drafts.extract import ExtractedPage
from bot.drafts.model import Draft, DraftNotes
from bot.drafts.names import find_names, fold
from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Org
from bot.search.text import STOPWORDS
from bot.yamldocs.fields import DISCORD_CHOICE_NAME_MAX, EMBED_FIELD_MAX, EMBED_TITLE_MAX

MAX_ID_CHARS = 48
LEAD_PARAGRAPHS = 3
MAX_QUESTIONS = 5
# Words that say nothing about the topic of a headline (on top of the search stopwords).
_ID_STOPWORDS = STOPWORDS | {"amid", "report", "reports", "exclusive", "update", "live", "via",
                             "new", "news", "s"}
_DEPARTURE = re.compile(r"\b(quits?|resign(?:s|ed)?|leav(?:es|ing)|left|departs?|exits?|"
                        r"steps? down|fired|ousted|out at)\b", re.IGNORECASE)
_DEAL = re.compile(r"\b(deal|partnership|contract|agreement|pact|stake|round|investment|"
                   r"funding|acquisition|merger)\b", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s+[—–|]\s+|:\s+")


def build_draft(
    page: ExtractedPage,
    kb: KnowledgeBase,
    fetched_url: str,
    *,
    now: dt.datetime,
    taken_ids: Collection[str] = (),
    feed_item: str | None = None,
) -> Draft:
    """Propose an article entry for ``page``.  Pure: no I/O, same input, same draft."""
    warnings: list[str] = []
    names = find_names(kb, page.title, page.paragraphs)
    published = _valid_date(page.date)
    if published is None:
        warnings.append("The page shows no publication date. Add `event_date` (when it "
                        "happened) and start the id with it, or `undated: <why>`.")
    day = published or "undated"
    url = _article_url(page, fetched_url, warnings)
    known = _known_as(kb, url, fetched_url)
    if known is not None:
        warnings.append(f"This story is already in the knowledge base as `{known}`; publish "
                        "only if this draft adds something, or discard it.")
    title = page.title
    if len(title) > EMBED_TITLE_MAX:
        title = title[: EMBED_TITLE_MAX - 1].rstrip() + "…"
        warnings.append(f"The title was cut to {EMBED_TITLE_MAX} characters.")
    return Draft(
        id=unique_id(draft_id(day, page.title), _article_ids(kb) | set(taken_ids)),
        title=title,
        url=url,
        outlet=_outlet(page, url),
        author=_author(page),
        published=published,
        people=names.people,
        orgs=names.orgs,
        questions=suggest_questions(page.title, names.people, names.orgs, kb),
        notes=DraftNotes(
            made_from=fetched_url,
            made_at=now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            lead=tuple(_cut(p, EMBED_FIELD_MAX) for p in page.lead(LEAD_PARAGRAPHS)),
            possibly_new=names.possibly_new,
            warnings=tuple(warnings),
            feed_item=feed_item,
        ),
    )


def _article_ids(kb: KnowledgeBase) -> set[str]:
    """Ids in use, including the old ids renamed articles still answer to."""
    return {*kb.articles, *(old for a in kb.articles.values() for old in a.previous_ids)}


def short_title(title: str) -> str:
    """The headline before a dash, bar or colon: 'X Quits — What It Means' -> 'X Quits'."""
    parts = _TITLE_SPLIT.split(title.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0][:1] in "'\"‘“":  # "'World is in peril': Researcher quits"
        return parts[1]
    return parts[0] if len(parts[0]) >= 12 else title.strip()


def topic_words(title: str) -> list[str]:
    """Lower-case ASCII words of the short title that say what it is about.

    The first starts with a letter, so '2026-03-31-122b-…' cannot be misread as a date.
    """
    text = fold(short_title(title)).lower().replace("'s ", " ").replace("’s ", " ")
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _ID_STOPWORDS]
    while words and not words[0][0].isalpha():
        words.pop(0)
    return words


def draft_id(day: str, title: str) -> str:
    """``YYYY-MM-DD-short-topic`` (or ``undated-…``): the date and the headline's telling
    words, at most 48 characters, never taken from the URL."""
    slug = ""
    for word in topic_words(title) or ["story"]:
        candidate = f"{slug}-{word}" if slug else word
        if len(day) + 1 + len(candidate) > MAX_ID_CHARS:
            break
        slug = candidate
    return f"{day}-{slug or 'story'}"


def unique_id(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3``…, shortened to fit, that nothing else uses."""
    if base not in taken:
        return base
    for n in range(2, 1000):
        suffix = f"-{n}"
        candidate = base[: MAX_ID_CHARS - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free id near '{base}'")


def suggest_questions(
    title: str, people: tuple[str, ...], orgs: tuple[str, ...], kb: KnowledgeBase
) -> tuple[str, ...]:
    """3-5 ways people would ask for this story, from the headline and who is in it."""
    head = short_title(title)
    lowered = fold(head).lower().rstrip(".?!")
    person = kb.people.get(people[0]) if people else None
    org = _org_in_title(head, orgs, kb) or (kb.orgs.get(orgs[0]) if orgs else None)
    found: list[str] = [lowered]
    departure = _DEPARTURE.search(head)
    if person is not None:
        surname = fold(person.name.split()[-1]).lower()
        where = f" {fold(org.name).lower()}" if org is not None else ""
        if departure:
            verb = "quit" if departure.group(1).lower().startswith("quit") else "leave"
            found += [f"why did {surname} {verb}{where}", f"when did {surname} leave{where}"]
        else:
            found.append(f"what happened with {fold(person.name).lower()}")
        found.append(f"{fold(person.name).lower()}{where}")
    deal = _DEAL.search(head)
    if deal and org is not None:
        phrase = [*_words_before(head, deal.start(), 2), deal.group(1).lower()]
        org_name = fold(org.name).lower()
        if org_name not in " ".join(phrase):
            phrase.insert(0, org_name)
        found.append("what is the " + " ".join(phrase))
    if len(found) < 3 and org is not None:
        found.append(f"{fold(org.name).lower()} {' '.join(topic_words(title)[:4])}")
    if len(found) < 3:
        found.append(" ".join(topic_words(title)[:5]))
    return tuple(dict.fromkeys(q.strip() for q in found if q.strip()))[:MAX_QUESTIONS]


def _words_before(text: str, index: int, count: int) -> list[str]:
    words = re.findall(r"[a-z0-9']+", fold(text[:index]).lower())
    return [w for w in words[-count:] if w not in _ID_STOPWORDS]


def _org_in_title(title: str, orgs: tuple[str, ...], kb: KnowledgeBase) -> Org | None:
    folded = fold(title)
    for org_id in orgs:
        org = kb.orgs.get(org_id)
        if org is not None and any(n in folded for n in (org.name, *org.aliases)):
            return org
    return None


def _valid_date(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _article_url(page: ExtractedPage, fetched_url: str, warnings: list[str]) -> str:
    """The page's canonical https URL if it has one, else the link as fetched."""
    for candidate in (page.url, fetched_url):
        if candidate and _is_https_url(candidate):
            return candidate
    warnings.append("The page's address is not https://, which the knowledge base requires: "
                    "put the story's https link in `url` before publishing.")
    return page.url or fetched_url


def _known_as(kb: KnowledgeBase, *urls: str) -> str | None:
    """The id of an article that already has one of ``urls``, if any."""
    index = knowledge_url_index(kb)
    return next((index[k] for k in map(url_key, urls) if k in index), None)


def _is_https_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and "." in parts.netloc and " " not in url


def _outlet(page: ExtractedPage, url: str) -> str:
    name = page.site_name or page.hostname or urlsplit(url).hostname or "unknown outlet"
    return _cut(name.removeprefix("www."), DISCORD_CHOICE_NAME_MAX)


def _author(page: ExtractedPage) -> str | None:
    if not page.author or page.author == page.site_name:
        return None
    return _cut(page.author.replace(";", ","), DISCORD_CHOICE_NAME_MAX)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
