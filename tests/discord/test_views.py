"""Long lists of problems are paginated with Previous/Next, for the moderator only."""

from __future__ import annotations

from bot.discord.bot import LabwireBot
from tests.discord.helpers import (
    ZURICH_ARTICLE,
    Cdn,
    embed_text,
    run_command,
)
from tests.fake_discord import FakeDiscord, find_component


async def test_eighty_problems_span_pages(fake: FakeDiscord, bot: LabwireBot, cdn: Cdn) -> None:
    junk = "".join(f"unexpected-field-{i:02d}: some value\n" for i in range(80))
    value, resolved = cdn.attachment("many.yaml", (ZURICH_ARTICLE + junk).encode())
    handle = await run_command(fake, "kb upload", {"file": value}, resolved=resolved)
    await handle.response()
    first = await handle.followup()
    message = handle.followups[-1]

    text = embed_text(first)
    assert "Upload refused: 80 problems, nothing was changed" in text
    assert "unknown key 'unexpected-field-00'" in text
    assert "unexpected-field-79" not in text
    footer = first.embeds[0]["footer"]["text"]
    assert footer.startswith("Page 1/")
    pages = int(footer.split("/")[1])
    assert pages >= 2
    assert all(len(e.get("description") or "") <= 4096 for e in first.embeds)
    assert find_component(message, "pages:previous")["disabled"]  # type: ignore[index]

    seen = text
    for page in range(2, pages + 1):
        click = await fake.click(message, "pages:next")
        turned = await click.response()
        assert turned.callback_type == 7
        assert f"Page {page}/{pages}" in turned.embeds[0]["footer"]["text"]
        seen += embed_text(turned)
    assert all(f"unexpected-field-{i:02d}'" in seen for i in range(80))
    assert find_component(fake.messages[message["id"]], "pages:next")["disabled"]  # type: ignore[index]

    other = await fake.click(message, "pages:previous", user="bob")
    assert (await other.response()).ephemeral
