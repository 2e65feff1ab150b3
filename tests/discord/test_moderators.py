"""Who may use /kb: Manage Server or a moderator role; edits only from curator guilds."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.discord.bot import LabwireBot
from tests.discord.conftest import Bots
from tests.discord.helpers import (
    MEMBER_PERMISSIONS,
    Cdn,
    create_role,
    embed_text,
    make_role,
    run_command,
)
from tests.fake_discord import FakeDiscord

ARTICLE = "2024-05-17-jan-leike-leaves-openai"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


async def test_a_members_upload_is_refused_logged_and_changes_nothing(
    fake: FakeDiscord, bot: LabwireBot, cdn: Cdn, knowledge_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = _files(knowledge_dir)
    text = (knowledge_dir / "articles" / f"{ARTICLE}.yaml").read_text()
    value, resolved = cdn.attachment("x.yaml", text.replace("Example News", "Hacked").encode())
    caplog.set_level(logging.WARNING, logger="bot.discord.cogs._moderation")

    handle = await run_command(fake, "kb upload", {"file": value}, resolved=resolved,
                               user="mallory", permissions=MEMBER_PERMISSIONS)
    reply = await handle.response()

    assert reply.ephemeral
    assert "This command is for moderators" in embed_text(reply)
    assert _files(knowledge_dir) == before
    assert bot.services.knowledge.kb.articles[ARTICLE].outlet == "Example News"
    refused = [r for r in caplog.records if r.getMessage() == "moderator command refused"]
    assert len(refused) == 1 and refused[0].__dict__["command"] == "kb upload"
    assert refused[0].__dict__["user_id"] == int(fake.user("mallory").id)
    history = await run_command(fake, "kb history")
    assert "No changes recorded yet." in embed_text(await history.response())


async def test_every_kb_command_checks_at_run_time(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    """Server admins can show /kb to anyone in Discord's settings; the bot still checks."""
    for path, options in (("kb reload", {}), ("kb history", {}), ("kb stats", {}),
                          ("kb unanswered", {}), ("kb revert", {"revision": 1}),
                          ("kb download", {"entry": f"a:{ARTICLE}"}),
                          ("briefing preview", {}), ("briefing off", {})):
        handle = await run_command(fake, path, options, user="mallory",
                                   permissions=MEMBER_PERMISSIONS)
        reply = await handle.response()
        assert reply.ephemeral and "for moderators" in embed_text(reply), path


async def test_a_moderator_role_from_the_environment_is_enough(
    fake: FakeDiscord, bots: Bots
) -> None:
    role = make_role("Curators")
    await bots.start(mod_role_ids=frozenset({int(role["id"])}))
    await create_role(fake, role)
    handle = await run_command(fake, "kb history", user="carol",
                               permissions=MEMBER_PERMISSIONS, roles=(role["id"],))
    assert "No changes recorded yet." in embed_text(await handle.response())
    other = await run_command(fake, "kb history", user="dave", permissions=MEMBER_PERMISSIONS)
    assert "for moderators" in embed_text(await other.response())


async def test_mod_role_set_in_discord_lets_its_members_in_but_not_change_roles(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    role = await create_role(fake, "Helpers")
    added = await run_command(fake, "kb config mod-role", {"role": ("role", role["id"])},
                              resolved={"roles": {role["id"]: role}})
    added_text = embed_text(await added.response())
    assert f"<@&{role['id']}> added" in added_text
    assert "Server Settings → Integrations → Labwire" in added_text, \
        "a role-only moderator cannot see /kb until the admin shows it to the role"
    assert "/kb" in added_text and "/briefing" in added_text

    as_helper = {"user": "carol", "permissions": MEMBER_PERMISSIONS, "roles": (role["id"],)}
    history = await run_command(fake, "kb history", **as_helper)
    assert "No changes recorded yet." in embed_text(await history.response())
    grab = await run_command(fake, "kb config mod-role", {"role": ("role", role["id"]),
                                                          "remove": True},
                             resolved={"roles": {role["id"]: role}}, **as_helper)
    assert "Only members with Manage Server" in embed_text(await grab.response())

    removed = await run_command(fake, "kb config mod-role", {"role": ("role", role["id"]),
                                                             "remove": True},
                                resolved={"roles": {role["id"]: role}})
    assert "removed" in embed_text(await removed.response())
    again = await run_command(fake, "kb history", **as_helper)
    assert "for moderators" in embed_text(await again.response())


async def test_guilds_outside_the_curator_list_are_read_only(
    fake: FakeDiscord, bots: Bots, cdn: Cdn, knowledge_dir: Path
) -> None:
    await bots.start(curator_guild_ids=frozenset({123456789012345678}))
    before = _files(knowledge_dir)
    value, resolved = cdn.attachment("x.yaml", b"id: x\n")

    upload = await run_command(fake, "kb upload", {"file": value}, resolved=resolved)
    teach = await run_command(fake, "kb teach", {"entry": f"a:{ARTICLE}", "question": "q?"})
    revert = await run_command(fake, "kb revert", {"revision": 1})
    history = await run_command(fake, "kb history")

    for handle in (upload, teach, revert):
        text = embed_text(await handle.response())
        assert "edited from the curators' server only" in text
    assert "No changes recorded yet." in embed_text(await history.response())
    assert _files(knowledge_dir) == before
