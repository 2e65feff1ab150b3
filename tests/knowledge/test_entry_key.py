"""EntryKey: the one way an entry's identity is written and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import EntryKey, load_knowledge_or_raise


def test_key_round_trips_through_its_text_form() -> None:
    key = EntryKey("article", "2026-03-07-kalinowski-quits-openai")
    assert str(key) == "article:2026-03-07-kalinowski-quits-openai"
    assert EntryKey.parse(str(key)) == key


@pytest.mark.parametrize("text", ["", "article", "article:", "story:x", ":x", "takeaway:a#b"])
def test_malformed_keys_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="person:sam-altman"):
        EntryKey.parse(text)
    assert EntryKey.try_parse(text) is None


def test_lookup_by_key_finds_each_kind(kb_dir: Path) -> None:
    kb = load_knowledge_or_raise(kb_dir)
    assert {key.kind for key in kb.entry_keys()} == {"article", "person", "org"}
    for key in kb.entry_keys():
        entry = kb.get(key)
        assert entry is not None and entry.id == key.id
    assert kb.get(EntryKey("person", "no-such-person")) is None


def test_a_renamed_entry_is_found_by_its_previous_id(kb_dir: Path) -> None:
    article = kb_dir / "articles" / "2026-03-08-robotics-lead-quits.yaml"
    article.write_text(article.read_text() + "previous_ids: [old-robotics-story-slug]\n")
    kb = load_knowledge_or_raise(kb_dir)
    current = EntryKey("article", "2026-03-08-robotics-lead-quits")
    assert kb.resolve(EntryKey("article", "old-robotics-story-slug")) == current
    assert kb.resolve(current) == current
    assert kb.resolve(EntryKey("person", "old-robotics-story-slug")) is None
