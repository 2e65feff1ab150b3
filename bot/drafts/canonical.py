"""One key per story URL, so a story is recognised however a feed or a page links to it.

``https://www.Example.com/a/?utm_source=rss#top`` and ``http://example.com/a`` are
the same story: the key drops the scheme, a leading ``www.``, default ports,
fragments, tracking parameters and a trailing slash, and sorts what is left of
the query.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit

from bot.knowledge import KnowledgeBase

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
_TRACKING = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ocid",
                       "cmpid", "ref", "ref_src", "spm", "_ga", "guccounter"})


def url_key(url: str) -> str:
    """The canonical key of ``url`` ('example.com/a?b=1'); '' when it has no host."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return ""
    host = host.removeprefix("www.")
    port = parts.port
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or ""
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(k)]
    key = host + path
    if query:
        key += "?" + urlencode(sorted(query))
    return key


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING or lowered.startswith(_TRACKING_PREFIXES)


def knowledge_url_keys(kb: KnowledgeBase) -> frozenset[str]:
    """Keys of every story URL the knowledge base already has (main URL and sources)."""
    return frozenset(knowledge_url_index(kb))


def knowledge_url_index(kb: KnowledgeBase) -> dict[str, str]:
    """Story URL key -> the id of the article that has it (as its URL or a source)."""
    index: dict[str, str] = {}
    for article in sorted(kb.articles.values(), key=lambda a: a.id):
        for key in _keys((article.url, *article.sources)):
            index.setdefault(key, article.id)
    return index


def _keys(urls: Iterable[str]) -> Iterable[str]:
    for url in urls:
        key = url_key(url)
        if key:
            yield key
