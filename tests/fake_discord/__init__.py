"""A local fake Discord (REST + gateway on 127.0.0.1) for end-to-end tests and benchmarks.

Usage (see tests/README.md for the full guide)::

    fake = await FakeDiscord().start()
    fake.patch_discord_py()                 # or point the bot at fake.api_base / fake.gateway_url
    ...start the bot, then...
    handle = await fake.invoke_slash("ask", {"question": "why did Kalinowski quit?"})
    reply = await handle.response()         # the callback JSON the bot sent
    click = await fake.click(handle.original_message, "some:custom_id")
"""

from tests.fake_discord.server import (
    EPHEMERAL,
    BotDiedError,
    FakeDiscord,
    FakeGuild,
    FakeUser,
    InteractionHandle,
    RecordedCall,
    components_of,
    find_component,
    shard_of,
)

__all__ = [
    "EPHEMERAL", "BotDiedError", "FakeDiscord", "FakeGuild", "FakeUser", "InteractionHandle",
    "RecordedCall", "components_of", "find_component", "shard_of",
]
