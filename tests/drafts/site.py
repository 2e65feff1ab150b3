"""A local news site for the drafting and feed tests: saved pages, feeds, and bad cases.

Started on 127.0.0.1 by the ``site`` fixture; nothing leaves the machine.  The
article pages in ``pages/`` were written from the project's seed article and
source notes, with the markup real news sites have around the text (meta tags,
JSON-LD, navigation, ads, sidebars, footers).  Feeds are made by the tests with
:func:`rss` and :func:`atom`, and served with ETag/Last-Modified validators.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

PAGES = Path(__file__).parent / "pages"
TECHPORTAL = "thetechportal-robotics-chief"  # dated, Kalinowski, TheTechPortal (C-07)
ABHS = "abhs-kalinowski-exit"  # the seed article: no date shown, author byline
THENEWS = "thenews-safety-researcher"  # dated in JSON-LD only, Mrinank Sharma (C-22)
TECHPORTAL_URL = ("https://thetechportal.com/2026/03/09/"
                  "openai-robotics-chief-departs-over-pentagon-partnership/")
HUGE_BYTES = 6 * 1024 * 1024


@dataclass(frozen=True)
class Item:
    link: str
    title: str
    published: str  # RFC 822 for RSS, ISO 8601 for Atom
    summary: str = ""


@dataclass
class ServedFeed:
    body: str
    content_type: str
    last_modified: str = "Mon, 09 Mar 2026 10:00:00 GMT"

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body.encode()).hexdigest()[:16] + '"'


@dataclass
class Site:
    """The running site: its base URL, the feeds it serves, and what it was asked."""

    base: str = ""
    feeds: dict[str, ServedFeed] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # feed names that answer 500
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def page(self, name: str) -> str:
        return self.url(f"pages/{name}.html")

    def feed(self, name: str) -> str:
        return self.url(f"feeds/{name}.xml")

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


def rss(title: str, items: Sequence[Item]) -> str:
    entries = "\n".join(
        f"""    <item>
      <title>{html.escape(i.title)}</title>
      <link>{html.escape(i.link)}</link>
      <guid isPermaLink="true">{html.escape(i.link)}</guid>
      <pubDate>{i.published}</pubDate>
      <description>{html.escape(i.summary)}</description>
    </item>""" for i in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{html.escape(title)}</title>
    <link>https://thetechportal.com/</link>
    <description>Technology news</description>
    <language>en-US</language>
{entries}
  </channel>
</rss>
"""


def atom(title: str, items: Sequence[Item]) -> str:
    entries = "\n".join(
        f"""  <entry>
    <title>{html.escape(i.title)}</title>
    <link rel="alternate" type="text/html" href="{html.escape(i.link)}"/>
    <id>{html.escape(i.link)}</id>
    <updated>{i.published}</updated>
    <published>{i.published}</published>
    <summary>{html.escape(i.summary)}</summary>
  </entry>""" for i in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{html.escape(title)}</title>
  <id>urn:labwire:test:{html.escape(title)}</id>
  <updated>2026-03-09T10:00:00Z</updated>
{entries}
</feed>
"""


def _app(site: Site) -> web.Application:
    routes = web.RouteTableDef()

    @web.middleware
    async def record(request: web.Request, handler: web.RequestHandler) -> web.StreamResponse:
        site.requests.append((request.path, dict(request.headers)))
        return await handler(request)

    @routes.get("/pages/{name}.html")
    async def page(request: web.Request) -> web.Response:
        path = PAGES / f"{request.match_info['name']}.html"
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.Response(body=path.read_bytes(), content_type="text/html", charset="utf-8")

    @routes.get("/redirect")
    async def redirect(request: web.Request) -> web.Response:
        status = int(request.query.get("status", "302"))
        return web.Response(status=status, headers={"Location": request.query["to"]})

    @routes.get("/chain/{hops}")
    async def chain(request: web.Request) -> web.Response:
        hops = int(request.match_info["hops"])
        target = f"/chain/{hops - 1}" if hops > 1 else f"/pages/{TECHPORTAL}.html"
        return web.Response(status=301, headers={"Location": target})

    @routes.get("/report.pdf")
    async def pdf(request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                            content_type="application/pdf")

    @routes.get("/huge.html")
    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
        sent = 0
        while sent < HUGE_BYTES:
            await response.write(chunk)
            sent += len(chunk)
        await response.write_eof()
        return response

    @routes.get("/huge-declared.html")
    async def huge_declared(request: web.Request) -> web.Response:
        return web.Response(body=b" " * HUGE_BYTES, content_type="text/html")

    @routes.get("/untitled.html")
    async def untitled(request: web.Request) -> web.Response:
        text = "<p>" + "A paragraph of text with no headline anywhere on the page. " * 8 + "</p>"
        return web.Response(text=f"<html><head></head><body>{text}</body></html>",
                            content_type="text/html")

    @routes.get("/slow.html")
    async def slow(request: web.Request) -> web.Response:
        await site._release.wait()  # released at teardown
        return web.Response(text="<html><title>late</title></html>", content_type="text/html")

    @routes.get("/missing.html")
    async def missing(request: web.Request) -> web.Response:
        raise web.HTTPNotFound()

    @routes.get("/feeds/{name}.xml")
    async def feed(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name in site.broken:
            raise web.HTTPInternalServerError()
        served = site.feeds.get(name)
        if served is None:
            raise web.HTTPNotFound()
        headers = {"ETag": served.etag, "Last-Modified": served.last_modified}
        if request.headers.get("If-None-Match") == served.etag:
            return web.Response(status=304, headers=headers)
        return web.Response(text=served.body, headers=headers,
                            content_type=served.content_type)

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


@contextlib.asynccontextmanager
async def running_site() -> AsyncIterator[Site]:
    """Serve the site on 127.0.0.1 (a free port) until the block ends."""
    served = Site()
    runner = web.AppRunner(_app(served), shutdown_timeout=1.0)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    served.base = f"http://127.0.0.1:{port}"
    try:
        yield served
    finally:
        served._release.set()
        await runner.cleanup()


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with running_site() as served:
        yield served
