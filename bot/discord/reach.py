"""Whether Discord can be reached: one-line reasons, and failed gateway connections at start.

``labwire run`` uses :func:`connection_problem` to tell "Discord cannot be
reached" (worth a retry, then a clear exit) from every other failure.  discord.py
retries a gateway connection forever, 5 s apart; :class:`GatewayWatch` counts the
failures before the first connection succeeds, so a gateway that is never
reachable ends the start instead of looping.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import aiohttp
import discord
import discord.http


def connection_problem(error: BaseException) -> str | None:
    """Why Discord could not be reached, in a few words; None if ``error`` is not that."""
    if isinstance(error, discord.DiscordServerError):
        return f"Discord answered {error.status} {error.response.reason or ''}".rstrip()
    if isinstance(error, aiohttp.ClientConnectorError):
        return _os_reason(error.os_error)
    if isinstance(error, aiohttp.WSServerHandshakeError):
        return f"the server refused the websocket ({error.status})"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, OSError):
        return _os_reason(error)
    if isinstance(error, aiohttp.ClientError | discord.GatewayNotFound):
        return str(error) or type(error).__name__
    return None


def _os_reason(error: OSError) -> str:
    if error.errno:
        return os.strerror(error.errno).lower()
    return error.strerror or str(error) or type(error).__name__


def api_base() -> str:
    """The REST API base discord.py uses (``DISCORD_API_BASE`` or Discord's)."""
    return str(discord.http.Route.BASE)


class GatewayWatch:
    """Counts failed gateway connections until one succeeds; gives up after ``limit``.

    Wraps ``http.ws_connect``, through which discord.py opens every gateway
    connection.  ``gave_up`` is set (with ``url`` and ``reason``) when the first
    ``limit`` attempts have all failed; after one success it only passes calls on.
    """

    def __init__(self, http: discord.http.HTTPClient, limit: int) -> None:
        self.limit = limit
        self.failures = 0
        self.connected_once = False
        self.url = ""
        self.reason = ""
        self.gave_up = asyncio.Event()
        self._connect = http.ws_connect
        http.ws_connect = self._watched  # type: ignore[method-assign]

    async def _watched(self, url: str, **options: Any) -> Any:
        try:
            socket = await self._connect(url, **options)
        except Exception as exc:
            if not self.connected_once:
                self._failed(url, exc)
            raise
        self.connected_once = True
        return socket

    def _failed(self, url: str, error: Exception) -> None:
        self.failures += 1
        self.url = url.split("?", 1)[0]
        self.reason = connection_problem(error) or f"{type(error).__name__}: {error}"
        if self.failures >= self.limit:
            self.gave_up.set()
