"""Small readers for what the bot sent (callback data, messages)."""

from __future__ import annotations

from typing import Any

from tests.fake_discord import RecordedCall, components_of

JSON = dict[str, Any]


def embed_text(source: RecordedCall | JSON) -> str:
    """All visible text of the embeds in a call or a message, joined by newlines."""
    data = source.data if isinstance(source, RecordedCall) else source
    parts: list[str] = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
        parts.append((embed.get("author") or {}).get("name") or "")
    return "\n".join(p for p in parts if p)


def custom_ids(source: RecordedCall | JSON) -> list[str]:
    data = source.data if isinstance(source, RecordedCall) else source
    return [c["custom_id"] for c in components_of(data) if "custom_id" in c]


def component(source: RecordedCall | JSON, custom_id: str) -> JSON:
    data = source.data if isinstance(source, RecordedCall) else source
    for c in components_of(data):
        if c.get("custom_id") == custom_id:
            return c
    raise AssertionError(f"no component {custom_id!r} in {custom_ids(source)}")


def button_with(source: RecordedCall | JSON, text: str) -> str:
    """The custom id of the button whose label or emoji is ``text``."""
    data = source.data if isinstance(source, RecordedCall) else source
    for c in components_of(data):
        if c.get("label") == text or (c.get("emoji") or {}).get("name") == text:
            return str(c["custom_id"])
    raise AssertionError(f"no button {text!r}")
