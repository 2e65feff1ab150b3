"""/kb upload, /kb revert, /kb download and the add-then-undo flow, end to end."""

from __future__ import annotations

from pathlib import Path

from bot.discord.bot import LabwireBot
from tests.discord.helpers import (
    ZURICH_ARTICLE,
    ZURICH_ID,
    ZURICH_QUESTION,
    Cdn,
    embed_text,
    run_command,
)
from tests.fake_discord import FakeDiscord, RecordedCall

NEW_ID, NEW_ARTICLE, QUESTION = ZURICH_ID, ZURICH_ARTICLE, ZURICH_QUESTION


async def ask(fake: FakeDiscord, question: str, user: str = "bob") -> tuple[str, str]:
    """(title of the answer card or suggestion reply, 'public' or 'ephemeral')."""
    handle = await fake.invoke_slash("ask", {"question": question}, user=user)
    reply = await handle.response()
    return reply.embeds[0].get("title") or "", "ephemeral" if reply.ephemeral else "public"


async def upload(fake: FakeDiscord, cdn: Cdn, filename: str, text: str) -> RecordedCall:
    value, resolved = cdn.attachment(filename, text.encode())
    handle = await run_command(fake, "kb upload", {"file": value}, resolved=resolved)
    deferred = await handle.response()
    assert deferred.callback_type == 5 and deferred.ephemeral
    return await handle.followup()


async def test_moderator_adds_an_article_ask_finds_it_and_undo_removes_it(
    fake: FakeDiscord, bot: LabwireBot, cdn: Cdn, knowledge_dir: Path
) -> None:
    before = (await ask(fake, QUESTION, user="bob"))[0]
    assert before != "OpenAI Opens a Robotics Lab in Zurich"

    added = await upload(fake, cdn, f"{NEW_ID}.yaml", NEW_ARTICLE)

    text = embed_text(added)
    assert "Added: OpenAI Opens a Robotics Lab in Zurich" in text
    assert f"+id: {NEW_ID}" in text
    assert "undo with `/kb revert revision:" in text
    assert (knowledge_dir / "articles" / f"{NEW_ID}.yaml").read_text() == NEW_ARTICLE
    revision = int(text.split("revert revision:")[1].split("`")[0])

    answer = await ask(fake, QUESTION, user="carol")
    assert answer == ("OpenAI Opens a Robotics Lab in Zurich", "public")

    undo = await run_command(fake, "kb revert", {"revision": revision})
    await undo.response()
    undone = embed_text(await undo.followup())
    assert "Removed: OpenAI Opens a Robotics Lab in Zurich" in undone and f"-id: {NEW_ID}" in undone
    assert not (knowledge_dir / "articles" / f"{NEW_ID}.yaml").exists()
    assert NEW_ID not in bot.services.knowledge.kb.articles

    after = await ask(fake, QUESTION, user="dave")
    assert after[0] != "OpenAI Opens a Robotics Lab in Zurich"

    history = await run_command(fake, "kb history", {"entry": NEW_ID})  # gone, history kept
    listed = embed_text(await history.response())
    assert f"**#{revision + 1}**" in listed and f"(reverts #{revision})" in listed
    assert f"**#{revision}**" in listed and "upload" in listed


async def test_upload_with_three_errors_lists_each_and_writes_nothing(
    fake: FakeDiscord, bot: LabwireBot, cdn: Cdn, knowledge_dir: Path
) -> None:
    files_before = sorted(p.name for p in (knowledge_dir / "articles").iterdir())
    broken = (NEW_ARTICLE.replace("url: https://", "url: http://")
              .replace("published: 2026-04-02", "published: 2026-02-30")
              .replace("outlet:", "outlett:"))

    reply = await upload(fake, cdn, "broken.yaml", broken)

    text = embed_text(reply)
    assert "Upload refused: 3 problems, nothing was changed" in text
    assert "`broken.yaml:3:6` url: URL must start with https://" in text
    assert "`broken.yaml:4:1` unknown key 'outlett' (did you mean 'outlet'?)" in text
    assert "`broken.yaml:5:" in text and "not a real date" in text
    assert sorted(p.name for p in (knowledge_dir / "articles").iterdir()) == files_before


async def test_upload_that_breaks_a_reference_elsewhere_is_refused(
    fake: FakeDiscord, bot: LabwireBot, cdn: Cdn, knowledge_dir: Path
) -> None:
    orgs_before = (knowledge_dir / "orgs.yaml").read_bytes()
    without_meta = orgs_before.decode().split("- id: meta")[0]

    reply = await upload(fake, cdn, "orgs.yaml", without_meta)

    text = embed_text(reply)
    assert "Upload refused" in text
    assert "articles/2025-11-11-yann-lecun-to-leave-meta.yaml" in text
    assert "unknown org id 'meta'" in text
    assert (knowledge_dir / "orgs.yaml").read_bytes() == orgs_before
    assert "meta" in bot.services.knowledge.kb.orgs


async def test_update_then_revert_restores_file_and_model(
    fake: FakeDiscord, bot: LabwireBot, cdn: Cdn, knowledge_dir: Path,
    sent_files: dict[str, bytes],
) -> None:
    path = knowledge_dir / "articles" / "2024-05-17-jan-leike-leaves-openai.yaml"
    original = path.read_bytes()
    get = await run_command(fake, "kb download",
                            {"entry": "a:2024-05-17-jan-leike-leaves-openai"})
    got = await get.response()
    assert got.ephemeral and "`articles/2024-05-17-jan-leike-leaves-openai.yaml`" in \
        embed_text(got)
    assert sent_files["2024-05-17-jan-leike-leaves-openai.yaml"] == original

    edited = original.decode().replace("Example News", "Example Weekly")
    reply = await upload(fake, cdn, "leike.yaml", edited)
    text = embed_text(reply)
    assert "Updated: Jan Leike Leaves OpenAI" in text
    assert "-outlet: Example News" in text and "+outlet: Example Weekly" in text
    assert bot.services.knowledge.kb.articles["2024-05-17-jan-leike-leaves-openai"].outlet == \
        "Example Weekly"
    revision = int(text.split("revert revision:")[1].split("`")[0])

    undo = await run_command(fake, "kb revert", {"revision": revision})
    await undo.response()
    assert "Updated:" in embed_text(await undo.followup())
    assert path.read_bytes() == original
    assert bot.services.knowledge.kb.articles["2024-05-17-jan-leike-leaves-openai"].outlet == \
        "Example News"


async def test_reload_with_a_broken_file_keeps_answering(
    fake: FakeDiscord, bot: LabwireBot, knowledge_dir: Path
) -> None:
    path = knowledge_dir / "people" / "caitlin-kalinowski.yaml"
    path.write_text(path.read_text().replace("from: openai", "from: open-ai"))

    handle = await run_command(fake, "kb reload")
    await handle.response()
    text = embed_text(await handle.followup())

    assert "Reload refused: 1 problem; still answering from the previous version" in text
    assert "people/caitlin-kalinowski.yaml" in text and "unknown org id 'open-ai'" in text
    assert await ask(fake, "why did Kalinowski quit?") == (
        "OpenAI's Robotics Lead Quits Over Pentagon Deal", "public")

    path.write_text(path.read_text().replace("from: open-ai", "from: openai"))
    again = await run_command(fake, "kb reload")
    await again.response()
    fixed = embed_text(await again.followup())
    assert "Knowledge reloaded" in fixed and "3 articles" in fixed
    assert "people/caitlin-kalinowski.yaml" not in fixed  # the same bytes as before: no change


async def test_commands_are_hidden_from_members_by_default(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    synced = {c["name"]: c for c in fake.commands[None]}
    assert int(synced["kb"]["default_member_permissions"]) == 32  # Manage Server
    assert int(synced["briefing"]["default_member_permissions"]) == 32
    assert synced["privacy"].get("default_member_permissions") is None
    subcommands = {o["name"] for o in synced["kb"]["options"]}
    assert {"reload", "upload", "download", "history", "revert", "unanswered", "stats",
            "teach", "config"} <= subcommands
