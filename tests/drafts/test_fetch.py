"""Fetching links: the limits of issue 14, and redirects re-checked hop by hop."""

from __future__ import annotations

import pytest

from bot.drafts.errors import LinkError
from bot.drafts.fetch import MAX_REDIRECTS, USER_AGENT, Fetcher, FetchError, FetchLimits
from bot.drafts.guard import AddressGuard
from bot.drafts.service import check_html
from tests.drafts.conftest import site_fetcher
from tests.drafts.site import TECHPORTAL, Site


async def test_a_page_is_fetched_with_a_user_agent_that_says_who_we_are(site: Site) -> None:
    async with site_fetcher() as fetcher:
        page = await fetcher.fetch(site.page(TECHPORTAL))
    assert page.status == 200
    assert page.content_type == "text/html"
    assert b"OpenAI Robotics Chief Departs" in page.body
    agent = site.requests_to(f"/pages/{TECHPORTAL}.html")[0]["User-Agent"]
    assert agent == USER_AGENT
    assert "Labwire" in agent and "aiohttp" not in agent


@pytest.mark.parametrize("url", ["ftp://example.com/story", "file:///etc/passwd",
                                 "javascript:alert(1)", "gopher://example.com/", "example.com/a",
                                 "http://user:pw@example.com/a", "http:///nohost"])
async def test_only_http_and_https_links_are_fetched(url: str) -> None:
    async with Fetcher(AddressGuard()) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    assert "\n" not in str(caught.value)


async def test_a_link_to_the_loopback_address_is_refused_without_the_setting(site: Site) -> None:
    async with Fetcher(AddressGuard()) as fetcher:
        with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address"):
            await fetcher.fetch(site.page(TECHPORTAL))
    assert site.requests == []  # refused before connecting


async def test_a_name_resolving_to_loopback_is_refused_after_resolution(site: Site) -> None:
    port = site.base.rsplit(":", 1)[1]
    async with Fetcher(AddressGuard()) as fetcher:
        with pytest.raises(FetchError, match=r"localhost \(.*\) is a loopback address"):
            await fetcher.fetch(f"http://localhost:{port}/pages/{TECHPORTAL}.html")
    assert site.requests == []


async def test_the_setting_lets_links_reach_private_addresses(site: Site) -> None:
    async with Fetcher(AddressGuard(allow_private=True)) as fetcher:
        page = await fetcher.fetch(site.page(TECHPORTAL))
    assert page.status == 200


@pytest.mark.parametrize("target", [
    "http://127.0.0.2:{port}/pages/x.html",  # another loopback address
    "http://2130706434:{port}/pages/x.html",  # the same, as a decimal number
    "http://0x7f000002:{port}/pages/x.html",  # and as hex
    "http://[::1]:{port}/pages/x.html",
    "http://[::ffff:127.0.0.2]:{port}/pages/x.html",
])
async def test_a_redirect_to_a_private_address_is_refused(site: Site, target: str) -> None:
    port = site.base.rsplit(":", 1)[1]
    link = site.url(f"redirect?to={target.format(port=port)}")
    async with site_fetcher() as fetcher:
        with pytest.raises(FetchError, match="refused"):
            await fetcher.fetch(link)
    assert [p for p, _ in site.requests] == ["/redirect"]  # the second hop never connected


async def test_redirects_are_followed_up_to_the_limit(site: Site) -> None:
    async with site_fetcher() as fetcher:
        page = await fetcher.fetch(site.url(f"chain/{MAX_REDIRECTS}"))
        assert page.url == site.page(TECHPORTAL)
        assert page.requested_url == site.url(f"chain/{MAX_REDIRECTS}")
        with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects"):
            await fetcher.fetch(site.url(f"chain/{MAX_REDIRECTS + 1}"))


async def test_a_page_over_the_size_cap_is_refused(site: Site) -> None:
    async with site_fetcher() as fetcher:
        with pytest.raises(FetchError, match=r"larger than 5\.0 MB"):
            await fetcher.fetch(site.url("huge.html"))  # no Content-Length: counted
        with pytest.raises(FetchError, match=r"the page is 6\.0 MB; the limit is 5\.0 MB"):
            await fetcher.fetch(site.url("huge-declared.html"))  # refused from the header


async def test_a_page_that_does_not_answer_in_time_is_given_up(site: Site) -> None:
    async with site_fetcher(FetchLimits(timeout=0.3)) as fetcher:
        with pytest.raises(FetchError, match=r"127\.0\.0\.1 did not answer within 0.3 s"):
            await fetcher.fetch(site.url("slow.html"))


async def test_http_errors_are_one_clear_line(site: Site) -> None:
    async with site_fetcher() as fetcher:
        with pytest.raises(FetchError, match="answered HTTP 404"):
            await fetcher.fetch(site.url("missing.html"))


async def test_a_link_that_is_not_a_web_page_is_refused(site: Site) -> None:
    async with site_fetcher() as fetcher:
        page = await fetcher.fetch(site.url("report.pdf"))
    with pytest.raises(LinkError, match=r"not a web page \(application/pdf\)"):
        check_html(page)


async def test_a_refused_port_is_a_clear_line() -> None:
    guard = AddressGuard(allow_private=True)
    async with Fetcher(guard) as fetcher:
        with pytest.raises(FetchError, match=r"could not connect to 127\.0\.0\.1"):
            await fetcher.fetch("http://127.0.0.1:9/")  # the discard port: nothing listens
