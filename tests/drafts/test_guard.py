"""The address guard: a moderator's link can never reach the bot host's own network."""

from __future__ import annotations

import socket
from ipaddress import ip_address

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.drafts.fetch import GuardedResolver
from bot.drafts.guard import AddressGuard, AddressRefused, address_kind, parse_ip_host

GUARD = AddressGuard()


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local (cloud metadata)"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("255.255.255.255", "private"),
    ("100.64.0.1", "non-public"),  # carrier-grade NAT (Alibaba's metadata lives here)
])
def test_ipv4_addresses_that_are_not_public_are_refused(address: str, kind: str) -> None:
    assert address_kind(ip_address(address)) == kind
    with pytest.raises(AddressRefused, match="LABWIRE_FETCH_ALLOW_PRIVATE=1"):
        GUARD.check_address("news.example", address)


@pytest.mark.parametrize(("address", "kind"), [
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local (cloud metadata)"),
    ("fd00:ec2::254", "private"),  # AWS's IPv6 metadata endpoint
    ("fc00::5", "private"),
    ("ff02::1", "multicast"),
])
def test_ipv6_addresses_that_are_not_public_are_refused(address: str, kind: str) -> None:
    assert address_kind(ip_address(address)) == kind
    with pytest.raises(AddressRefused):
        GUARD.check_address("news.example", address)


@pytest.mark.parametrize(("address", "inner"), [
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:10.0.0.7", "private"),
    ("::ffff:169.254.169.254", "link-local (cloud metadata)"),
    ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
    ("64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"),  # NAT64 around 169.254.169.254
])
def test_ipv4_hidden_inside_ipv6_is_checked_as_ipv4(address: str, inner: str) -> None:
    assert address_kind(ip_address(address)) == f"{inner} (inside IPv6)"
    with pytest.raises(AddressRefused):
        GUARD.check_address("news.example", address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert address_kind(ip_address(address)) is None
    GUARD.check_address("news.example", address)  # does not raise


@pytest.mark.parametrize(("host", "expected"), [
    ("2130706433", "127.0.0.1"),  # decimal
    ("0x7f000001", "127.0.0.1"),  # hex
    ("0x7f.0.0.1", "127.0.0.1"),  # dotted hex
    ("0177.0.0.1", "127.0.0.1"),  # octal
    ("127.1", "127.0.0.1"),  # short form
    ("0xA9FEA9FE", "169.254.169.254"),
    ("[::1]", "::1"),
    ("[::ffff:7f00:1]", "::ffff:127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"),  # trailing dot
])
def test_numeric_host_forms_are_read_as_the_address_they_name(host: str, expected: str) -> None:
    assert parse_ip_host(host) == ip_address(expected)
    with pytest.raises(AddressRefused, match="refused"):
        GUARD.check_literal_host(host)


@pytest.mark.parametrize("host", ["news.example", "deadbeef.com", "0x7f.example", "1e100.net",
                                  "abc"])
def test_names_are_not_mistaken_for_addresses(host: str) -> None:
    assert parse_ip_host(host) is None
    GUARD.check_literal_host(host)  # resolved (and checked) later, by the resolver


def test_the_setting_allows_private_addresses_for_tests_and_self_hosters() -> None:
    AddressGuard(allow_private=True).check_address("localhost", "127.0.0.1")
    AddressGuard(allow_private=True).check_literal_host("2130706433")


def test_a_trusted_address_allows_exactly_that_address() -> None:
    guard = AddressGuard(trusted=frozenset({ip_address("127.0.0.1")}))
    guard.check_address("site", "127.0.0.1")
    for other in ("127.0.0.2", "::1", "10.0.0.1"):
        with pytest.raises(AddressRefused):
            guard.check_address("site", other)


def test_the_refusal_names_the_host_the_address_and_why() -> None:
    with pytest.raises(AddressRefused) as caught:
        GUARD.check_address("intranet.corp", "10.0.0.5")
    message = str(caught.value)
    assert "intranet.corp (10.0.0.5) is a private address" in message
    assert "\n" not in message


class FakeDNS(AbstractResolver):
    """Answers from a table, so tests never query a real DNS server."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        return [ResolveResult(hostname=host, host=a, port=port,
                              family=socket.AF_INET6 if ":" in a else socket.AF_INET,
                              proto=0, flags=0) for a in self.table[host]]

    async def close(self) -> None:
        pass


async def test_names_are_checked_after_dns_resolution() -> None:
    dns = FakeDNS({"looks-public.example": ["169.254.169.254"],
                   "mixed.example": ["93.184.215.14", "10.0.0.1"],
                   "public.example": ["93.184.215.14", "2606:4700:4700::1111"]})
    resolver = GuardedResolver(AddressGuard(), dns)
    with pytest.raises(AddressRefused, match=r"looks-public\.example"):
        await resolver.resolve("looks-public.example", 80)
    with pytest.raises(AddressRefused, match=r"10\.0\.0\.1"):  # one bad address is enough
        await resolver.resolve("mixed.example", 80)
    resolved = await resolver.resolve("public.example", 443)
    assert [r["host"] for r in resolved] == ["93.184.215.14", "2606:4700:4700::1111"]
