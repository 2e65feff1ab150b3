"""Drafts on disk in knowledge/drafts/: kept across restarts, invisible to the engine."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.drafts.document import DraftFormatError
from bot.drafts.store import DraftNotFound, DraftStore
from bot.knowledge import load_knowledge_or_raise
from tests.drafts.test_document import TRICKY


def test_a_saved_draft_is_listed_read_and_discarded(kb_root: Path) -> None:
    store = DraftStore(kb_root)
    path = store.save_new(TRICKY)
    assert path == kb_root / "drafts" / f"{TRICKY.id}.yaml"
    again = DraftStore(kb_root)  # a restart: a new store over the same directory
    assert [d.id for d in again.list()] == [TRICKY.id]
    assert again.list()[0].title == TRICKY.title
    assert again.read(TRICKY.id) == TRICKY
    assert again.discard(TRICKY.id) is True
    assert again.list() == []
    assert again.discard(TRICKY.id) is False


def test_drafts_are_not_part_of_the_knowledge_base(kb_root: Path) -> None:
    before = load_knowledge_or_raise(kb_root)
    DraftStore(kb_root).save_new(TRICKY)
    after = load_knowledge_or_raise(kb_root)
    assert set(after.articles) == set(before.articles)


def test_newest_drafts_are_listed_first(kb_root: Path) -> None:
    store = DraftStore(kb_root)
    notes = dataclasses.replace(TRICKY.notes, made_at="2026-03-01T00:00:00Z")
    older = dataclasses.replace(TRICKY, id="2026-03-01-older", notes=notes)
    store.save_new(older)
    store.save_new(TRICKY)
    assert [d.id for d in store.list()] == [TRICKY.id, "2026-03-01-older"]
    assert store.count() == 2


def test_an_existing_draft_is_never_overwritten(kb_root: Path) -> None:
    store = DraftStore(kb_root)
    store.save_new(TRICKY)
    with pytest.raises(FileExistsError):
        store.save_new(TRICKY)


def test_edited_yaml_must_still_be_a_draft(kb_root: Path) -> None:
    store = DraftStore(kb_root)
    store.save_new(TRICKY)
    with pytest.raises(DraftFormatError):
        store.write_text(TRICKY.id, "- not: a draft\n")
    edited = store.read_text(TRICKY.id).replace("outlet: TheTechPortal",
                                                "outlet: The Tech Portal  # renamed in 2026")
    store.write_text(TRICKY.id, edited)
    assert store.read(TRICKY.id).outlet == "The Tech Portal"
    assert store.read_text(TRICKY.id) == edited  # kept as written, comments included


def test_a_damaged_draft_is_listed_with_its_problem(kb_root: Path) -> None:
    store = DraftStore(kb_root)
    (kb_root / "drafts").mkdir()
    (kb_root / "drafts" / "broken.yaml").write_text("id: [oops\n", encoding="utf-8")
    (info,) = store.list()
    assert info.id == "broken" and info.problem is not None


@pytest.mark.parametrize("bad", ["../articles/x", "a/b", "", ".hidden", "X" * 200])
def test_draft_ids_cannot_leave_the_drafts_directory(kb_root: Path, bad: str) -> None:
    store = DraftStore(kb_root)
    with pytest.raises(DraftNotFound):
        store.read_text(bad)
    with pytest.raises(DraftNotFound):
        store.discard(bad)
