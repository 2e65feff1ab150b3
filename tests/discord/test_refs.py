"""Compact entry references in custom ids and choices: they fit, and old ones still resolve."""

from __future__ import annotations

from pathlib import Path

from bot.discord import refs
from bot.discord.refs import CardRef
from bot.knowledge import EntryKey, KnowledgeBase, load_knowledge_or_raise
from tests.fake_discord.sample_kb import LECUN_ARTICLE, write_sample_knowledge


def renamed(tmp_path: Path, new_id: str, old_id: str) -> KnowledgeBase:
    """The sample knowledge base with the LeCun story renamed from ``old_id`` to ``new_id``."""
    root = write_sample_knowledge(tmp_path / "kb", with_quiz=False)
    source = root / "articles" / f"{LECUN_ARTICLE}.yaml"
    text = source.read_text().replace(f"id: {LECUN_ARTICLE}", f"id: {new_id}")
    (root / "articles" / f"{new_id}.yaml").write_text(text + f"previous_ids: [{old_id}]\n")
    source.unlink()
    return load_knowledge_or_raise(root)


def test_every_entry_round_trips_within_a_custom_id(tmp_path: Path) -> None:
    kb = load_knowledge_or_raise(write_sample_knowledge(tmp_path / "kb", with_quiz=False))
    for key in kb.entry_keys():
        ref = refs.encode(key)
        assert len(ref) <= refs.DEFAULT_ROOM
        assert refs.decode(kb, ref) == CardRef(key)
    assert refs.decode(kb, "x:nonsense") is None
    assert refs.decode(kb, "p:nobody-at-all") is None
    assert refs.decode(kb, "a~" + "0" * 20) is None


def test_a_button_made_before_a_rename_finds_the_entry(tmp_path: Path) -> None:
    old_long = "meta-ai-chief-yann-lecun-to-leave-company-" + "y" * 90  # hashed when encoded
    kb = renamed(tmp_path, "2025-11-11-lecun-leaves-meta", old_long)
    current = EntryKey("article", "2025-11-11-lecun-leaves-meta")
    # Plain and hashed references made with the old id, as on an old message:
    plain = refs.encode(EntryKey("article", old_long), room=200)
    hashed = refs.encode(EntryKey("article", old_long))
    assert "~" in hashed and "~" not in plain
    assert refs.decode(kb, plain) == CardRef(current)
    assert refs.decode(kb, hashed) == CardRef(current)
    takeaway = refs.encode(CardRef(EntryKey("article", old_long), "world-models"))
    assert "~" in takeaway
    assert refs.decode(kb, takeaway) == CardRef(current, "world-models")


def test_a_takeaway_reference_names_its_article_and_takeaway(tmp_path: Path) -> None:
    kb = load_knowledge_or_raise(write_sample_knowledge(tmp_path / "kb", with_quiz=False))
    card = CardRef.of("takeaway", f"{LECUN_ARTICLE}#world-models")
    assert card.answer_kind == "takeaway" and card.answer_id == f"{LECUN_ARTICLE}#world-models"
    assert refs.decode(kb, refs.encode(card)) == card
