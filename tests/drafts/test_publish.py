"""Publishing a draft: validated with locations in the draft, written, recorded, answered."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.drafts.freshness import last_article_added
from bot.drafts.model import Draft, DraftTakeaway
from bot.drafts.service import draft_from_url, publish_draft
from bot.drafts.store import DraftStore
from bot.moderation.editor import Actor, KnowledgeEditor
from bot.runtime import KnowledgeService
from bot.storage import open_database, sqlite_url
from bot.storage.moderation import RevisionStore
from tests.drafts.conftest import NOW, site_fetcher
from tests.drafts.site import THENEWS, Site

MODERATOR = Actor(user_id=111111111111111111, name="mod", guild_id=222222222222222222)


@pytest.fixture
async def editor(kb_root: Path, tmp_path: Path) -> AsyncIterator[KnowledgeEditor]:
    async with open_database(sqlite_url(tmp_path / "labwire.sqlite3")) as db:
        editor = KnowledgeEditor(KnowledgeService.load(kb_root), RevisionStore(db),
                                 clock=lambda: NOW)
        await editor.start()
        yield editor


async def drafted(site: Site, editor: KnowledgeEditor, store: DraftStore) -> Draft:
    async with site_fetcher() as fetcher:
        draft = await draft_from_url(site.page(THENEWS), editor.service.kb, fetcher, now=NOW,
                                     taken_ids=store.ids())
    store.save_new(draft)
    return draft


def finished(draft: Draft) -> Draft:
    """What a moderator adds in the review: a summary and takeaways in their own words."""
    return dataclasses.replace(
        draft,
        summary=("Mrinank Sharma, who led Anthropic's safeguards research, resigned in "
                 "February 2026 and said the company faces pressure to set aside what "
                 "matters most."),
        takeaways=(DraftTakeaway("pressure", "He said even Anthropic is pressed to drop what "
                                             "matters most."),),
        questions=(*draft.questions, "which anthropic safety researcher quit to study poetry"),
    )


async def test_an_unfinished_draft_is_refused_with_lines_in_the_draft(
        site: Site, editor: KnowledgeEditor, kb_root: Path) -> None:
    store = DraftStore(kb_root)
    draft = await drafted(site, editor, store)
    outcome = await publish_draft(editor, store, draft.id, MODERATOR)
    assert not outcome.ok
    lines = store.read_text(draft.id).splitlines()
    by_line = {p.line: p for p in outcome.problems}
    summary_line = next(n for n, line in enumerate(lines, 1) if line.startswith("summary:"))
    takeaways_line = next(n for n, line in enumerate(lines, 1) if line.startswith("takeaways:"))
    assert by_line[summary_line].file == f"drafts/{draft.id}.yaml"
    assert "blank" in by_line[summary_line].message
    assert takeaways_line in by_line
    assert not (kb_root / "articles" / f"{draft.id}.yaml").exists()
    assert store.ids() == [draft.id]  # kept to be finished


async def test_a_finished_draft_is_published_recorded_and_answered_at_once(
        site: Site, editor: KnowledgeEditor, kb_root: Path) -> None:
    store = DraftStore(kb_root)
    draft = finished(await drafted(site, editor, store))
    store.replace(draft)

    outcome = await publish_draft(editor, store, draft.id, MODERATOR)

    assert outcome.ok and outcome.change == "added"
    assert outcome.file == f"articles/{draft.id}.yaml"
    published = (kb_root / outcome.file).read_text(encoding="utf-8")
    assert "draft:" not in published and "made_from" not in published
    assert "posted his resignation letter" not in published  # the page's lead stays out
    assert outcome.revision is not None
    assert outcome.revision.kind == "upload" and outcome.revision.actor_id == MODERATOR.user_id
    assert store.ids() == []
    result = editor.service.engine.ask("which anthropic safety researcher quit to study poetry")
    assert result.answered and result.answer is not None and result.answer.id == draft.id
    assert await last_article_added(editor.revisions) == NOW  # what the 30-day note reads


async def test_without_additions_there_is_no_time_for_the_stale_note(
        editor: KnowledgeEditor) -> None:
    assert await last_article_added(editor.revisions) is None  # a new database records none


async def test_a_draft_never_replaces_an_existing_article(
        site: Site, editor: KnowledgeEditor, kb_root: Path) -> None:
    store = DraftStore(kb_root)
    draft = finished(await drafted(site, editor, store))
    existing = next(iter(editor.service.kb.articles))
    before = (kb_root / "articles" / f"{existing}.yaml").read_bytes()
    store.replace(dataclasses.replace(draft, id=existing), draft_id=draft.id)
    outcome = await publish_draft(editor, store, draft.id, MODERATOR)
    assert not outcome.ok
    assert "already exists" in outcome.message
    assert (kb_root / "articles" / f"{existing}.yaml").read_bytes() == before


async def test_an_unknown_person_in_a_draft_is_reported_at_its_line(
        site: Site, editor: KnowledgeEditor, kb_root: Path) -> None:
    store = DraftStore(kb_root)
    draft = finished(await drafted(site, editor, store))
    store.replace(dataclasses.replace(draft, people=("mrinank-sharma",)))
    outcome = await publish_draft(editor, store, draft.id, MODERATOR)
    assert not outcome.ok
    (problem,) = outcome.problems
    line = store.read_text(draft.id).splitlines()[problem.line - 1]
    assert problem.file == f"drafts/{draft.id}.yaml"
    assert line.startswith("people:") and "unknown person id 'mrinank-sharma'" in problem.message


async def test_publishing_a_missing_draft_says_so(editor: KnowledgeEditor, kb_root: Path) -> None:
    outcome = await publish_draft(editor, DraftStore(kb_root), "2026-01-01-nothing", MODERATOR)
    assert not outcome.ok and outcome.message == "There is no draft '2026-01-01-nothing'."


async def test_a_published_drafts_link_joins_the_url_ledger(
        site: Site, editor: KnowledgeEditor, kb_root: Path) -> None:
    ledger = kb_root / "sources.yaml"
    ledger.write_text("# the URL ledger\nsources:\n  - url: https://example.org/listed\n"
                      "    from: notes\n", encoding="utf-8")
    store = DraftStore(kb_root)
    draft = finished(await drafted(site, editor, store))
    store.replace(draft)

    assert (await publish_draft(editor, store, draft.id, MODERATOR)).ok

    editor.service.reload()
    entry = editor.service.kb.ledger[draft.url]
    assert entry.verified is not None and NOW.date().isoformat() in entry.verified
    assert draft.id in entry.verified and "mod" in entry.verified
    assert "https://example.org/listed" in editor.service.kb.ledger
    assert ledger.read_text(encoding="utf-8").startswith("# the URL ledger\n")


async def test_a_ledger_that_cannot_be_written_leaves_the_story_published(
        site: Site, editor: KnowledgeEditor, kb_root: Path,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    ledger = kb_root / "sources.yaml"
    before = "sources:\n  - url: https://example.org/listed\n    from: notes\n"
    ledger.write_text(before, encoding="utf-8")
    store = DraftStore(kb_root)
    draft = finished(await drafted(site, editor, store))
    store.replace(draft)

    def refuse(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.drafts.ledger.write_atomic", refuse)
    outcome = await publish_draft(editor, store, draft.id, MODERATOR)

    assert outcome.ok and (kb_root / f"articles/{draft.id}.yaml").exists()
    assert ledger.read_text(encoding="utf-8") == before
    warning = next(r for r in caplog.records if r.getMessage() == "ledger not updated")
    assert draft.url in warning.urls and "No space left" in warning.why
