"""Everything the bot sends fits Discord's limits, and user text can neither ping nor format."""

from __future__ import annotations

import discord
from hypothesis import given
from hypothesis import strategies as st

from bot.discord.limits import EMBED_TOTAL_MAX
from bot.discord.text import ELLIPSIS, escape_user_text, fit_embed, strip_mentions, truncate


@given(st.text(max_size=400), st.integers(min_value=1, max_value=300))
def test_truncate_fits_and_marks_cuts(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    assert len(cut) <= limit
    if len(text) <= limit:
        assert cut == text
    else:
        assert cut.endswith(ELLIPSIS)


@given(st.text(min_size=0, max_size=5000), st.lists(st.text(max_size=1500), max_size=30))
def test_any_embed_is_cut_to_discord_limits(description: str, fields: list[str]) -> None:
    embed = discord.Embed(title="t" * 300, description=description * 2)
    for value in fields:
        embed.add_field(name=value[:300] or "n", value=value or "v")
    embed.set_footer(text=description)
    fitted = fit_embed(embed)
    assert len(fitted) <= EMBED_TOTAL_MAX
    assert len(fitted.title or "") <= 256 and len(fitted.description or "") <= 4096
    assert len(fitted.fields) <= 25
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in fitted.fields)


def test_user_text_cannot_mention_or_format() -> None:
    user_mention, role_mention = "<@123456789012345678>", "<@&223456789012345678>"
    escaped = escape_user_text(f"@everyone **bold** {user_mention} {role_mention} @here")
    assert "@everyone" not in escaped and "@here" not in escaped and "**" not in escaped
    # Discord renders <@id> and <@&id> as pings; escaped, the '@' is no longer right after '<'.
    assert user_mention not in escaped and role_mention not in escaped
    assert "123456789012345678" in escaped, "the text itself is still shown"


def test_mentions_are_removed_from_a_question() -> None:
    asked = "<@123456789012345678> why did <@!42> quit? <#99> <@&7> @everyone @here"
    assert strip_mentions(asked) == "why did quit?"
