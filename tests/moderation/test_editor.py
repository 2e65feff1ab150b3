"""Uploads, reverts, teach and reloads: validated, atomic, audited, and never lossy."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import EntryKey
from bot.moderation.editor import MAX_UPLOAD_BYTES, Actor, KnowledgeEditor
from tests.clock import SettableClock as Clock
from tests.moderation.kbfiles import ARTICLE, NEW_ARTICLE, ORGS, snapshot

MOD = Actor(user_id=111, name="mod", guild_id=999)


async def test_new_article_upload_is_answered_then_revert_removes_it(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    before = snapshot(kb_root)
    question = "what did zebra robotics sign"

    added = await editor.upload("zebra.yaml", NEW_ARTICLE.encode(), MOD)

    assert added.ok and added.change == "added"
    assert added.file == "articles/2026-04-01-zebra-robotics-deal.yaml"
    assert (kb_root / added.file).read_bytes() == NEW_ARTICLE.encode()
    result = editor.service.engine.ask(question)
    assert result.answered and result.answer is not None
    assert result.answer.id == "2026-04-01-zebra-robotics-deal"
    assert added.revision is not None and added.revision.before_text == ""
    assert "+title: Zebra Robotics signs a lunar mining contract" in added.diff

    undone = await editor.revert(added.revision.id, MOD)

    assert undone.ok and undone.change == "removed"
    assert snapshot(kb_root) == before
    assert "2026-04-01-zebra-robotics-deal" not in editor.service.kb.articles
    assert undone.revision is not None and undone.revision.reverts == added.revision.id


async def test_update_then_revert_restores_the_original_bytes(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    original = (kb_root / "articles/2026-03-07-kalinowski-quits.yaml").read_bytes()
    changed = ARTICLE.replace("She resigned on principle.", "She resigned in protest.")

    updated = await editor.upload("2026-03-07-kalinowski-quits.yaml", changed.encode(), MOD)

    assert updated.ok and updated.change == "updated"
    assert "-    text: She resigned on principle." in updated.diff
    assert "+    text: She resigned in protest." in updated.diff
    article = editor.service.kb.articles["2026-03-07-kalinowski-quits"]
    assert article.takeaways[0].text == "She resigned in protest."
    assert updated.revision is not None

    reverted = await editor.revert(updated.revision.id, MOD)

    assert reverted.ok
    assert (kb_root / "articles/2026-03-07-kalinowski-quits.yaml").read_bytes() == original
    article = editor.service.kb.articles["2026-03-07-kalinowski-quits"]
    assert article.takeaways[0].text == "She resigned on principle."
    history = await editor.revisions.history("article:2026-03-07-kalinowski-quits")
    assert [r.kind for r in history] == ["revert", "upload"]
    assert history[0].actor_id == MOD.user_id and history[0].guild_id == MOD.guild_id


async def test_upload_with_three_errors_lists_all_and_writes_nothing(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    before = snapshot(kb_root)
    broken = (NEW_ARTICLE
              .replace("url: https://", "url: http://")           # 1: not https
              .replace("published: 2026-04-01", "published: 2026-02-30")  # 2: no such day
              .replace("outlet: Example News", "outlt: Example News"))    # 3: typo'd key
    outcome = await editor.upload("zebra.yaml", broken.encode(), MOD)

    assert not outcome.ok
    text = "\n".join(str(p) for p in outcome.problems)
    lines = broken.splitlines()
    url_line = next(i for i, line in enumerate(lines, 1) if line.startswith("url:"))
    date_line = next(i for i, line in enumerate(lines, 1) if line.startswith("published:"))
    key_line = next(i for i, line in enumerate(lines, 1) if line.startswith("outlt:"))
    assert f"zebra.yaml:{url_line}:6: url: URL must start with https://" in text
    assert f"zebra.yaml:{date_line}:" in text and "not a real date" in text
    assert f"zebra.yaml:{key_line}:1: unknown key 'outlt' (did you mean 'outlet'?)" in text
    assert snapshot(kb_root) == before
    assert await editor.revisions.history() == []


async def test_upload_breaking_a_reference_elsewhere_is_refused(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    before = snapshot(kb_root)
    without_pentagon = ORGS.split("  # A defence-contractor entry")[0]

    outcome = await editor.upload("orgs.yaml", without_pentagon.encode(), MOD)

    assert not outcome.ok
    assert any(p.file == "articles/2026-03-07-kalinowski-quits.yaml" and "unknown org id 'pentagon'"
               in p.message for p in outcome.problems)
    assert snapshot(kb_root) == before
    assert "pentagon" in editor.service.kb.orgs


async def test_article_citing_an_unknown_person_is_refused(editor: KnowledgeEditor) -> None:
    outcome = await editor.upload(
        "z.yaml", NEW_ARTICLE.replace("orgs: [openai]", "people: [caitlin-kalinowsky]").encode(),
        MOD)
    assert not outcome.ok
    assert "did you mean 'caitlin-kalinowski'" in outcome.problems[0].message


async def test_single_org_upload_is_merged_into_orgs_yaml(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    body = "id: pentagon\nname: Pentagon\nsummary: The US defence ministry.\n"

    outcome = await editor.upload("pentagon.yaml", body.encode(), MOD)

    assert outcome.ok and outcome.file == "orgs.yaml" and outcome.entry == "org:pentagon"
    assert editor.service.kb.orgs["pentagon"].summary == "The US defence ministry."
    assert editor.service.kb.orgs["openai"].links == ("https://openai.com",)
    text = (kb_root / "orgs.yaml").read_text()
    assert text.startswith(ORGS.split("  # A defence")[0])  # openai's lines untouched


async def test_download_gives_back_what_upload_accepts(editor: KnowledgeEditor) -> None:
    name, text = await editor.download(EntryKey.parse("org:openai")) or ("", "")
    assert name == "openai.org.yaml"
    assert yaml.safe_load(text)["name"] == "OpenAI"
    again = await editor.upload(name, text.encode(), MOD)
    assert again.ok and again.change == "unchanged"
    article = await editor.download(EntryKey.parse("article:2026-03-07-kalinowski-quits"))
    assert article == ("2026-03-07-kalinowski-quits.yaml", ARTICLE)
    assert await editor.download(EntryKey.parse("article:nope")) is None


async def test_ambiguous_person_or_org_asks_for_the_kind(editor: KnowledgeEditor) -> None:
    body = b"id: anthropic\nname: Anthropic\nsummary: Maker of Claude.\n"
    refused = await editor.upload("anthropic.yaml", body, MOD)
    assert not refused.ok and "kind option" in refused.problems[0].message
    accepted = await editor.upload("anthropic.yaml", body, MOD, kind="org")
    assert accepted.ok and "anthropic" in editor.service.kb.orgs


async def test_oversized_and_binary_uploads_are_refused(editor: KnowledgeEditor) -> None:
    big = await editor.upload("big.yaml", b"#" * (MAX_UPLOAD_BYTES + 1), MOD)
    assert not big.ok and "limit is 64 KiB" in big.problems[0].message
    binary = await editor.upload("x.yaml", b"\xff\xfe\x00id: x", MOD)
    assert not binary.ok and "not UTF-8" in binary.problems[0].message


async def test_reload_with_a_broken_file_keeps_answering_from_the_old_model(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    engine_before = editor.service.engine
    path = kb_root / "people/caitlin-kalinowski.yaml"
    good = path.read_text()
    path.write_text(good.replace("from: openai", "from: opnai"))

    report = await editor.reload()

    assert not report.ok
    line = good.splitlines().index("  from: openai") + 1
    assert [str(p) for p in report.problems] == [
        f"people/caitlin-kalinowski.yaml:{line}:9: unknown org id 'opnai' "
        "(did you mean 'openai'?)"]
    assert editor.service.engine is engine_before
    assert editor.service.engine.ask("why did kalinowski quit").answer is not None
    path.write_text(good.replace("Hardware lead", "Former hardware lead"))
    fixed = await editor.reload()
    assert fixed.ok
    assert editor.service.kb.people["caitlin-kalinowski"].summary.startswith("Former")
    # An answer already being built keeps its engine: reload never drops it.
    assert engine_before.kb.people["caitlin-kalinowski"].summary.startswith("Hardware")


async def test_changes_made_on_disk_show_up_as_external_revisions(
    editor: KnowledgeEditor, kb_root: Path, clock: Clock
) -> None:
    path = kb_root / "articles/2026-03-07-kalinowski-quits.yaml"
    path.write_text(ARTICLE.replace("Example News", "Example Times"))
    (kb_root / "articles/2026-04-01-zebra-robotics-deal.yaml").write_text(NEW_ARTICLE)
    clock.advance(minutes=5)

    report = await editor.reload()

    assert report.ok
    by_file = {r.file: r for r in report.external}
    assert set(by_file) == {"articles/2026-03-07-kalinowski-quits.yaml",
                            "articles/2026-04-01-zebra-robotics-deal.yaml"}
    assert by_file["articles/2026-04-01-zebra-robotics-deal.yaml"].before_text == ""
    assert by_file["articles/2026-03-07-kalinowski-quits.yaml"].before_text == ARTICLE
    assert all(r.kind == "external" and r.actor_id is None for r in report.external)
    assert (await editor.reload()).external == ()  # seen once, recorded once


async def test_org_change_on_disk_names_the_org(editor: KnowledgeEditor, kb_root: Path) -> None:
    (kb_root / "orgs.yaml").write_text(ORGS.replace("Maker of ChatGPT.", "Makes ChatGPT."))
    report = await editor.reload()
    assert [r.entry for r in report.external] == ["org:openai"]


async def test_revert_refuses_when_the_file_changed_since(editor: KnowledgeEditor) -> None:
    first = await editor.upload("a.yaml", ARTICLE.replace("Example News", "A").encode(), MOD)
    second = await editor.upload("a.yaml", ARTICLE.replace("Example News", "B").encode(), MOD)
    assert first.revision and second.revision

    refused = await editor.revert(first.revision.id, MOD)

    assert not refused.ok and f"revision #{second.revision.id}" in refused.message
    assert editor.service.kb.articles["2026-03-07-kalinowski-quits"].outlet == "B"
    assert not (await editor.revert(12345, MOD)).ok


async def test_teach_appends_the_question_and_the_engine_learns_it(
    editor: KnowledgeEditor, kb_root: Path
) -> None:
    question = "what happened with the pentagon hardware resignation"
    path = kb_root / "articles/2026-03-07-kalinowski-quits.yaml"

    key = EntryKey.parse("article:2026-03-07-kalinowski-quits")
    taught = await editor.teach(key, question, MOD)

    assert taught.ok and taught.revision is not None and taught.revision.kind == "teach"
    assert path.read_text() == ARTICLE + f'  - "{question}"\n'
    assert editor.service.kb.articles["2026-03-07-kalinowski-quits"].questions[-1] == question
    result = editor.service.engine.ask(question)
    assert result.answer is not None and result.answer.id == "2026-03-07-kalinowski-quits"
    again = await editor.teach(key, question.upper(), MOD)
    assert again.ok and again.change == "unchanged"
    assert path.read_text().count(question) == 1


async def test_teach_an_org_touches_only_that_org(editor: KnowledgeEditor, kb_root: Path) -> None:
    taught = await editor.teach(EntryKey("org", "pentagon"), "who is the us defence department",
                                MOD)
    assert taught.ok
    assert editor.service.kb.orgs["pentagon"].questions == ("who is the us defence department",)
    assert editor.service.kb.orgs["openai"].questions == ()
    assert (kb_root / "orgs.yaml").read_text().startswith(ORGS)
