"""The knowledge base we ship: it loads cleanly and follows the curation rules.

Like Red-DiscordBot's trivia lists, every bundled content file is loaded by a test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "knowledge"
SHARED = REPO.parent / "shared"
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
    assert files == loaded


def test_articles_follow_the_curation_rules(shipped: KnowledgeBase) -> None:
    for article in shipped.articles.values():
        assert 2 <= len(article.takeaways) <= 6, article.id
        assert 3 <= len(article.questions) <= 8, article.id
        assert article.url not in article.sources, article.id
        assert article.people or article.orgs, f"{article.id} names nobody"


def test_every_person_and_org_is_in_some_story_or_linked(shipped: KnowledgeBase) -> None:
    for entry in (*shipped.people.values(), *shipped.orgs.values()):
        assert entry.links, f"{entry.id} has no source link"


def _urls(path: Path) -> set[str]:
    return {u.rstrip(".,;)*") for u in URL_RE.findall(path.read_text(encoding="utf-8"))}


def test_every_knowledge_url_comes_from_the_shared_sources() -> None:
    sources = [SHARED / "knowledge-sources.md", SHARED / "risk-quiz-evidence.md"]
    if not all(p.exists() for p in sources):
        pytest.skip(f"shared source files not found beside the repository ({SHARED})")
    allowed = set().union(*(_urls(p) for p in sources))
    allowed |= {u.rstrip("/") for u in allowed}
    unknown = sorted(
        f"{path.relative_to(REPO)}: {url}"
        for path in KNOWLEDGE.rglob("*.yaml")
        for url in _urls(path)
        if url not in allowed and url.rstrip("/") not in allowed
    )
    assert unknown == []
