"""Gateway and REST payload factories for the fake Discord.

Every payload the fake sends is built here, from one place, because a missing
key in a gateway payload raises inside discord.py's parser and kills
``bot.start()`` (see shared/discord-testing-notes.md, pitfall 1).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from typing import Any

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count()
_lock = threading.Lock()

JSON = dict[str, Any]


def snowflake() -> str:
    """A real-looking, increasing snowflake (discord.py derives ``created_at`` from it)."""
    with _lock:
        increment = next(_counter) & 0xFFF
    millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return str((millis << 22) | (1 << 17) | increment)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def user(user_id: str, username: str, *, bot: bool = False, global_name: str | None = None) -> JSON:
    return {
        "id": user_id,
        "username": username,
        "discriminator": "0",
        "global_name": global_name,
        "avatar": None,
        "bot": bot,
    }


def member(user_payload: JSON, *, with_user: bool = True) -> JSON:
    payload: JSON = {
        "roles": [],
        "flags": 0,
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "nick": None,
        "permissions": "2199023255551",
    }
    if with_user:
        payload["user"] = user_payload
    return payload


def text_channel(channel_id: str, guild_id: str, name: str, position: int = 0) -> JSON:
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
    }


def thread_channel(thread_id: str, guild_id: str, parent_id: str, name: str,
                   owner_id: str) -> JSON:
    """A public thread; one started from a message has that message's id."""
    return {
        "id": thread_id,
        "type": 11,
        "guild_id": guild_id,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "name": name,
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": now_iso(),
            "locked": False,
        },
    }


def guild_create(guild_id: str, name: str, channels: list[JSON], members: list[JSON]) -> JSON:
    return {
        "id": guild_id,
        "name": name,
        "unavailable": False,
        "icon": None,
        "owner_id": members[0]["user"]["id"] if members else guild_id,
        "features": [],
        "roles": [
            {
                "id": guild_id,
                "name": "@everyone",
                "permissions": "2199023255551",
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
            }
        ],
        "channels": channels,
        "members": members,
        "member_count": len(members),
        "threads": [],
        "emojis": [],
        "stickers": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "large": False,
        "preferred_locale": "en-US",
        "joined_at": "2024-01-01T00:00:00+00:00",
    }


def application(app_id: str, owner: JSON) -> JSON:
    return {
        "id": app_id,
        "name": "Labwire",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": owner,
        "verify_key": "0" * 64,
        "flags": 0,
        "interactions_endpoint_url": None,
    }


def message(
    *,
    message_id: str,
    channel_id: str,
    guild_id: str | None,
    author: JSON,
    content: str = "",
    embeds: list[JSON] | None = None,
    components: list[JSON] | None = None,
    flags: int = 0,
    message_type: int = 0,
    mentions: list[JSON] | None = None,
    mention_everyone: bool = False,
    reference: JSON | None = None,
    app_id: str | None = None,
    interaction_metadata: JSON | None = None,
) -> JSON:
    payload: JSON = {
        "id": message_id,
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "embeds": embeds or [],
        "components": components or [],
        "attachments": [],
        "mentions": mentions or [],
        "mention_roles": [],
        "mention_everyone": mention_everyone,
        "pinned": False,
        "tts": False,
        "type": message_type,
        "flags": flags,
        "timestamp": now_iso(),
        "edited_timestamp": None,
    }
    if guild_id is not None:
        payload["guild_id"] = guild_id
    if reference is not None:
        payload["message_reference"] = reference
    if app_id is not None:
        payload["webhook_id"] = app_id
        payload["application_id"] = app_id
    if interaction_metadata is not None:
        payload["interaction_metadata"] = interaction_metadata
    return payload


def interaction(
    *,
    interaction_id: str,
    app_id: str,
    interaction_type: int,
    token: str,
    data: JSON,
    user_payload: JSON,
    guild_id: str | None,
    channel: JSON,
    message_payload: JSON | None = None,
) -> JSON:
    payload: JSON = {
        "id": interaction_id,
        "application_id": app_id,
        "type": interaction_type,
        "token": token,
        "version": 1,
        "attachment_size_limit": 8388608,
        "locale": "en-US",
        "app_permissions": "9007199254740991",
        "entitlements": [],
        "channel_id": channel["id"],
        "channel": channel,
        "data": data,
    }
    if guild_id is not None:
        payload.update(
            guild_id=guild_id,
            guild_locale="en-US",
            guild={"id": guild_id, "locale": "en-US", "features": []},
            member=member(user_payload),
            authorizing_integration_owners={"0": guild_id},
            context=0,
        )
    else:
        payload.update(user=user_payload, authorizing_integration_owners={"1": user_payload["id"]},
                       context=1)
    if message_payload is not None:
        payload["message"] = message_payload
    return payload


def option_type(value: object) -> int:
    """The application-command option type Discord would send for ``value``."""
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def command_options(options: dict[str, object], focused: str | None = None) -> list[JSON]:
    built = []
    for name, value in options.items():
        option: JSON = {"name": name, "type": option_type(value), "value": value}
        if name == focused:
            option["focused"] = True
        built.append(option)
    return built
