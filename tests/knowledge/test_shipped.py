"""The knowledge base we ship: it loads cleanly and follows the curation rules.

Like Red-DiscordBot's trivia lists, every bundled content file is loaded by a test.
Everything here reads only the repository: the research notes' URLs are in the
committed ledger, knowledge/sources.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.folding import fold
from bot.knowledge import EntryKey, KnowledgeBase, load_knowledge
from bot.knowledge.ids import id_problem
from bot.knowledge.loader import KNOWLEDGE_FILE, LEDGER_FILE
from bot.search import Engine
from bot.yamldocs.fields import date_start

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "knowledge"
URL_RE = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    kb, problems = load_knowledge(KNOWLEDGE)
    assert problems == [], "\n".join(map(str, problems))
    assert kb is not None
    return kb


def test_shipped_knowledge_has_the_promised_coverage(shipped: KnowledgeBase) -> None:
    counts = shipped.counts()
    assert counts["articles"] >= 40
    assert counts["people"] >= 20
    assert counts["orgs"] >= 12
    assert counts["takeaways"] >= 120


def test_every_yaml_file_is_part_of_the_model(shipped: KnowledgeBase) -> None:
    files = {p.relative_to(KNOWLEDGE).as_posix() for p in KNOWLEDGE.rglob("*.yaml")}
    loaded = set(shipped.files.values()) | {f"quiz/{q}.yaml" for q in shipped.quizzes}
    assert shipped.knowledge_as_of is not None and shipped.ledger, "settings and ledger load"
    assert files == loaded | {KNOWLEDGE_FILE, LEDGER_FILE}


def test_articles_follow_the_curation_rules(shipped: KnowledgeBase) -> None:
    for article in shipped.articles.values():
        assert 2 <= len(article.takeaways) <= 6, article.id
        assert 3 <= len(article.questions) <= 8, article.id
        assert article.url not in article.sources, article.id
        assert article.people or article.orgs, f"{article.id} names nobody"


def test_every_id_follows_the_convention_and_fits_discord(shipped: KnowledgeBase) -> None:
    for key in shipped.entry_keys():
        assert id_problem(key.kind, key.id) is None
        assert len(str(key)) <= 56, "kind:id fits a 100-character custom id with room to spare"


def test_every_article_has_a_date_or_says_why_not(shipped: KnowledgeBase) -> None:
    for article in shipped.articles.values():
        assert article.story_date or article.undated, article.id
    undated = [a.id for a in shipped.articles.values() if a.story_date is None]
    assert len(undated) <= 1, undated


def test_no_fact_is_newer_than_the_knowledge_date(shipped: KnowledgeBase) -> None:
    assert shipped.knowledge_as_of is not None
    limit = date_start(shipped.knowledge_as_of)
    newest = max(date_start(a.as_of or a.story_date) for a in shipped.articles.values()
                 if a.as_of or a.story_date)
    assert newest == limit, "knowledge_as_of is the date of the newest fact, not later"


def test_every_person_and_org_has_a_primary_link(shipped: KnowledgeBase) -> None:
    for entry in (*shipped.people.values(), *shipped.orgs.values()):
        assert entry.url, f"{entry.id} has no primary url"
        assert entry.url not in entry.links, entry.id
        assert entry.links_best_first[0] == entry.url


@pytest.mark.parametrize(("question", "expected_url"), [
    ("who is ilya sutskever", "https://en.wikipedia.org/wiki/Ilya_Sutskever"),
    ("what is openai", "https://unb.com.bd/category/business/"
                       "openai-adopts-new-business-model-keeps-microsoft-as-key-partner/171711"),
])
def test_answers_lead_with_the_curated_link(
    shipped: KnowledgeBase, question: str, expected_url: str
) -> None:
    """Not whichever source came first (OpenAI used to lead with a usaemall.com page)."""
    result = Engine(shipped).ask(question)
    assert result.answer is not None
    assert result.answer.url == expected_url
    assert result.answer.sources[0].url == expected_url


def _linked_orgs(kb: KnowledgeBase) -> set[str]:
    """Orgs a person points at: a departure, or a role whose org text names the org."""
    found = {p.departure.from_ for p in kb.people.values() if p.departure}
    role_orgs = [f" {fold(r.org)} " for p in kb.people.values() for r in p.roles]
    for org in kb.orgs.values():
        names = [f" {fold(n)} " for n in (org.name, *org.aliases)]
        if any(name in text for name in names for text in role_orgs):
            found.add(org.id)
    return found


def test_every_person_and_org_is_in_some_story_or_linked(shipped: KnowledgeBase) -> None:
    """Nobody is an island: each entry is named by a story, or (orgs) pointed at by a person."""
    linked = _linked_orgs(shipped)
    orphans = [key for key in shipped.entry_keys() if key.kind != "article"
               and key not in shipped.mentions
               and not (key.kind == "org" and key.id in linked)]
    assert orphans == []
    # The check above is not vacuous: most entries really are in some story.
    in_stories = [k for k in shipped.entry_keys() if k in shipped.mentions]
    assert len(in_stories) >= len(shipped.people) + len(shipped.orgs) - 2


def test_renamed_articles_still_answer_to_their_old_ids(shipped: KnowledgeBase) -> None:
    renamed = {old: new for old, new in shipped.renamed.items() if old.kind == "article"}
    assert len(renamed) == 40
    for old, new in renamed.items():
        assert shipped.resolve(old) == new
    assert shipped.resolve(EntryKey("article", "restoring-department-of-war")) == EntryKey(
        "article", "2025-09-05-department-of-war-order")


def _urls(path: Path) -> set[str]:
    return {u.rstrip(".,;)*") for u in URL_RE.findall(path.read_text(encoding="utf-8"))}


def _knowledge_urls() -> dict[str, set[str]]:
    """Every URL written anywhere in knowledge/ (comments too), by file, but the ledger's own."""
    return {path.relative_to(REPO).as_posix(): _urls(path)
            for path in sorted(KNOWLEDGE.rglob("*.yaml")) if path.name != LEDGER_FILE}


def test_every_knowledge_url_is_in_the_ledger(shipped: KnowledgeBase) -> None:
    unknown = sorted(f"{file}: {url}" for file, urls in _knowledge_urls().items()
                     for url in urls if url not in shipped.ledger)
    assert unknown == [], "add each to knowledge/sources.yaml with where it was verified"


def test_no_entry_cites_a_url_the_notes_call_unreliable(shipped: KnowledgeBase) -> None:
    flagged = {url for url, entry in shipped.ledger.items() if entry.do_not_cite}
    assert flagged, "the ledger keeps the flagged URLs so they are not added again"
    cited = sorted(f"{file}: {url}" for file, urls in _knowledge_urls().items()
                   for url in urls if url in flagged)
    assert cited == []


def test_ledger_entries_say_where_they_came_from(shipped: KnowledgeBase) -> None:
    notes = ("knowledge-sources.md › ", "risk-quiz-evidence.md › ")
    for url, entry in shipped.ledger.items():
        if entry.verified is None:
            assert entry.from_ is not None and entry.from_.startswith(notes), url
        else:
            assert "search tool" in entry.verified.lower(), url
