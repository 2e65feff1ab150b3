"""Which addresses a moderator's link may reach: the public internet only.

A link pasted into ``/kb draft`` or a feed URL is fetched by the bot, from the
bot's host.  Without a guard a moderator (or a page redirecting them) could make
the bot read its own internal services: the cloud metadata endpoint, a database
admin page on localhost, a router on the LAN.  So every address a request would
connect to is checked *after* DNS resolution (a name can point anywhere), and
again on every redirect hop.

Refused: loopback, private (RFC 1918, unique-local), link-local (which holds the
169.254.169.254 metadata endpoint), unspecified, multicast, shared carrier space
(100.64/10) and every other non-global range, also when an IPv4 address hides
inside IPv6 (IPv4-mapped ``::ffff:127.0.0.1``, 6to4, Teredo, NAT64) or is written
in a legacy numeric form (``2130706433``, ``0x7f.1``, ``127.1``).
``LABWIRE_FETCH_ALLOW_PRIVATE=1`` turns the guard off, for tests and self-hosters.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOW_PRIVATE_HINT = "set LABWIRE_FETCH_ALLOW_PRIVATE=1 to allow private addresses"


class AddressRefused(Exception):  # noqa: N818 - reads as a sentence: raise AddressRefused
    """A URL's host is, or resolves to, an address the bot must not connect to."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host = host
        self.address = address
        self.kind = kind
        shown = host if host == address else f"{host} ({address})"
        super().__init__(f"refused: {shown} is a {kind} address; links must point to the "
                         f"public internet ({ALLOW_PRIVATE_HINT})")


def parse_ip_host(host: str) -> IPAddress | None:
    """The address a URL host names literally, in any form a resolver accepts; else None.

    ``[::1]``, ``127.0.0.1``, and the legacy IPv4 forms ``2130706433``,
    ``0x7f000001``, ``0177.0.0.1`` and ``127.1`` all count as literals.
    """
    text = host.strip().strip("[]").rstrip(".")
    if not text:
        return None
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        pass
    if not all(c in "0123456789abcdefxABCDEFX." for c in text) or not text[0].isdigit():
        return None  # a name such as 'deadbeef.com', not a number
    try:  # inet_aton accepts exactly the legacy forms getaddrinfo would
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except OSError:
        return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_kind(address: IPAddress) -> str | None:
    """Why ``address`` is refused ('loopback', 'private', …), or None when it is public."""
    inner = embedded_ipv4(address)
    if inner is not None:
        kind = address_kind(inner)
        return f"{kind} (inside IPv6)" if kind else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local (cloud metadata)", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for kind, hit in checks:
        if hit:
            return kind
    return None if address.is_global else "non-public"


@dataclass(frozen=True)
class AddressGuard:
    """Checks hosts and resolved addresses; ``allow_private`` switches it off.

    ``trusted`` lists exact addresses allowed even though private: tests use it
    for the one local server they start, so everything else stays refused.
    """

    allow_private: bool = False
    trusted: Collection[IPAddress] = field(default_factory=frozenset)

    def check_address(self, host: str, address: str | IPAddress) -> None:
        """Raise :class:`AddressRefused` unless ``host`` may connect to ``address``."""
        if self.allow_private:
            return
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
        if ip in self.trusted:
            return
        kind = address_kind(ip)
        if kind is not None:
            raise AddressRefused(host, str(ip), kind)

    def check_literal_host(self, host: str) -> None:
        """Refuse a host that is itself an address (resolvers are not asked about those)."""
        ip = parse_ip_host(host)
        if ip is not None:
            self.check_address(host, ip)
