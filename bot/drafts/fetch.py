"""Fetching a moderator's link or a feed: public addresses only, within fixed limits.

Limits (issue 14): http and https only, 10 s for the whole fetch including
redirects, 5 MB of body, at most 5 redirects, and a User-Agent that says who we
are.  Redirects are followed here, one hop at a time, so each new host is
checked by the :class:`~bot.drafts.guard.AddressGuard` before anything connects
to it.  The guard sits inside aiohttp's resolver, so the addresses checked are
exactly the addresses connected to (a name cannot resolve to a public address
for the check and a private one for the connection).

Every failure is a :class:`FetchError` whose message is one line a moderator can
act on.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from multidict import CIMultiDictProxy
from yarl import URL

from bot import __version__
from bot.drafts.errors import LinkError
from bot.drafts.guard import AddressGuard, AddressRefused

log = logging.getLogger(__name__)

USER_AGENT = (f"Mozilla/5.0 (compatible; Labwire/{__version__}; AI-lab news knowledge bot; "
              "fetches pages a moderator links to)")
MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(LinkError):
    """The link could not be fetched; ``str(error)`` is one line for the moderator."""


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = TIMEOUT_SECONDS
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class FetchedPage:
    """A successful response after redirects (or a 304 Not Modified)."""

    requested_url: str
    url: str  # after redirects
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that refuses names resolving to any non-public address."""

    def __init__(self, guard: AddressGuard, inner: AbstractResolver | None = None) -> None:
        self.guard = guard
        self.inner = inner or ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        # Every address must pass: connecting may pick any of them.
        for result in results:
            self.guard.check_address(host, result["host"])
        return results

    async def close(self) -> None:
        await self.inner.close()


def check_url(url: str) -> URL:
    """Parse ``url``; refuse anything but an absolute http(s) URL with a host."""
    text = url.strip()
    try:
        parsed = URL(text)
    except (ValueError, TypeError):
        raise FetchError(f"'{text[:200]}' is not a valid URL") from None
    if parsed.scheme not in ("http", "https"):
        shown = f"'{parsed.scheme}:'" if parsed.scheme else "no scheme"
        raise FetchError(f"only http:// and https:// links can be fetched (got {shown})")
    if not parsed.host:
        raise FetchError(f"'{text[:200]}' has no host name")
    if parsed.user or parsed.password:
        raise FetchError("links with a user name or password in them are not fetched")
    return parsed


class Fetcher:
    """One aiohttp session with the guard in its resolver; use ``async with``."""

    def __init__(self, guard: AddressGuard, limits: FetchLimits | None = None) -> None:
        self.guard = guard
        self.limits = limits or FetchLimits()
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Fetcher:
        # No DNS cache: every connection goes through the guard again.
        connector = aiohttp.TCPConnector(resolver=GuardedResolver(self.guard),
                                         use_dns_cache=False, limit=10)
        self._session = aiohttp.ClientSession(
            connector=connector, trust_env=False, auto_decompress=True,
            headers={"User-Agent": self.limits.user_agent},
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.limits.timeout))
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self, url: str, *, accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        headers: Mapping[str, str] | None = None,
    ) -> FetchedPage:
        """GET ``url``, following redirects one hop at a time, within the limits."""
        start = check_url(url)
        try:
            async with asyncio.timeout(self.limits.timeout):
                return await self._follow(start, accept, dict(headers or {}))
        except TimeoutError:
            raise FetchError(f"{start.host} did not answer within "
                             f"{self.limits.timeout:g} s") from None

    async def _follow(self, url: URL, accept: str, extra: dict[str, str]) -> FetchedPage:
        requested = str(url)
        for _hop in range(self.limits.max_redirects + 1):
            status, headers, body = await self._one_hop(url, accept, extra)
            if status in REDIRECT_STATUSES:
                url = self._redirect_target(url, headers)
                extra = {}  # validators (ETag...) belong to the first URL only
                continue
            if status == 304 or 200 <= status < 300:
                return FetchedPage(requested, str(url), status, headers, body)
            raise FetchError(f"{url.host} answered HTTP {status} for {_short(url)}")
        raise FetchError(f"more than {self.limits.max_redirects} redirects starting at "
                         f"{_short(URL(requested))}")

    def _redirect_target(self, url: URL, headers: CIMultiDictProxy[str]) -> URL:
        location = headers.get("Location", "").strip()
        if not location:
            raise FetchError(f"{url.host} sent a redirect without a Location")
        try:
            target = url.join(URL(location))
        except ValueError:
            raise FetchError(f"{url.host} redirected to an invalid URL") from None
        log.debug("following redirect", extra={"from_host": url.host, "to_host": target.host})
        return check_url(str(target))

    async def _one_hop(
        self, url: URL, accept: str, extra: dict[str, str]
    ) -> tuple[int, CIMultiDictProxy[str], bytes]:
        if self._session is None:
            raise RuntimeError("use 'async with Fetcher(...)'")
        assert url.host is not None  # check_url made sure
        request_headers = {"Accept": accept, **extra}
        try:
            self.guard.check_literal_host(url.host)  # aiohttp does not resolve literals
            async with self._session.get(url, allow_redirects=False,
                                         headers=request_headers) as response:
                if not 200 <= response.status < 300:  # a redirect, 304 or error: no body needed
                    return response.status, response.headers, b""
                body = await self._read_capped(response, url)
                return response.status, response.headers, body
        except AddressRefused as refused:
            raise FetchError(str(refused)) from None
        except aiohttp.ClientConnectorDNSError:
            raise FetchError(f"the host name {url.host} could not be resolved") from None
        except aiohttp.InvalidURL as exc:
            raise FetchError(f"'{_short(url)}' is not a valid address ({exc})") from None
        except aiohttp.ClientConnectorError as exc:
            raise FetchError(f"could not connect to {url.host}: {exc.strerror or exc}") from None
        except aiohttp.ClientError as exc:
            raise FetchError(f"fetching {_short(url)} failed: "
                             f"{type(exc).__name__} {exc}".rstrip()) from None

    async def _read_capped(self, response: aiohttp.ClientResponse, url: URL) -> bytes:
        cap = self.limits.max_bytes
        declared = response.content_length
        if declared is not None and declared > cap:
            raise FetchError(f"the page is {_mb(declared)}; the limit is {_mb(cap)}")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise FetchError(f"the page is larger than {_mb(cap)} (the limit)")
            chunks.append(chunk)
        return b"".join(chunks)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _short(url: URL) -> str:
    text = str(url)
    return text if len(text) <= 120 else text[:119] + "…"
