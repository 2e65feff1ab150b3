"""A small, valid knowledge base for Discord tests and the benchmark.

Tests must not depend on the shipped ``knowledge/`` (curators edit it while we
work), so they write this one into a temporary directory.  The quiz is the
exception: ``/risk`` needs the real quiz file, copied from the repository when
it exists.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]

KALINOWSKI_ARTICLE = "2026-03-07-openai-robotics-lead-quits"
LEIKE_ARTICLE = "2024-05-17-jan-leike-leaves-openai"
LECUN_ARTICLE = "2025-11-11-yann-lecun-to-leave-meta"

ARTICLES: list[dict[str, Any]] = [
    {
        "id": KALINOWSKI_ARTICLE,
        "title": "OpenAI's Robotics Lead Quits Over Pentagon Deal",
        "url": f"https://example-news.com/blog/{KALINOWSKI_ARTICLE}",
        "outlet": "Example News",
        "author": "A. Writer",
        "published": "2026-03-07",
        "summary": (
            "Caitlin Kalinowski, who led robotics at OpenAI, resigned because of the company's "
            "agreement with the Pentagon. She said the deal crossed lines she could not accept. "
            "Her exit follows other departures of safety-minded staff. "
            "A fourth sentence that a short answer does not show."
        ),
        "takeaways": [
            {"id": "values-exit", "text": "Kalinowski left over values, not a better offer."},
            {"id": "pattern", "text": "Her exit continues a pattern of safety-minded departures."},
        ],
        "people": ["caitlin-kalinowski", "sam-altman"],
        "orgs": ["openai"],
        "questions": [
            "why did Kalinowski quit?",
            "why did OpenAI's robotics lead resign?",
            "Kalinowski Pentagon resignation",
        ],
        "sources": ["https://other-outlet.com/2026/kalinowski-departs"],
        "related": [LEIKE_ARTICLE],
    },
    {
        "id": LEIKE_ARTICLE,
        "title": "Jan Leike Leaves OpenAI, Saying Safety Took a Back Seat",
        "url": f"https://example-news.com/blog/{LEIKE_ARTICLE}",
        "outlet": "Example News",
        "published": "2024-05-17",
        "summary": (
            "Jan Leike, who co-led OpenAI's superalignment team, resigned. He wrote that safety "
            "culture and processes had taken a back seat to shiny products."
        ),
        "takeaways": [
            {"id": "back-seat", "text": "Leike said safety had taken a back seat to products."},
        ],
        "people": ["jan-leike"],
        "orgs": ["openai", "anthropic"],
        "questions": ["why did Jan Leike leave OpenAI?", "superalignment team resignation"],
        "related": [KALINOWSKI_ARTICLE],
    },
    {
        "id": LECUN_ARTICLE,
        "title": "Meta's AI Chief Yann LeCun to Leave the Company",
        "url": f"https://example-news.com/blog/{LECUN_ARTICLE}",
        "outlet": "Example News",
        "published": "2025-11-11",
        "summary": "Yann LeCun plans to leave Meta to start a company built on world models.",
        "takeaways": [{"id": "world-models", "text": "LeCun is betting on world models."}],
        "orgs": ["meta"],
        "questions": ["is Yann LeCun leaving Meta?"],
    },
]

PEOPLE: list[dict[str, Any]] = [
    {
        "id": "caitlin-kalinowski",
        "name": "Caitlin Kalinowski",
        "aliases": ["Kalinowski"],
        "summary": "Led robotics at OpenAI after years building hardware at Meta Reality Labs.",
        "roles": [{"title": "Head of Robotics", "org": "openai", "from": "2024-11"}],
        "departure": {
            "from": "openai", "date": "2026-03",
            "reason": "Resigned over OpenAI's Pentagon agreement.",
        },
        "links": ["https://example-news.com/people/caitlin-kalinowski"],
    },
    {
        "id": "jan-leike",
        "name": "Jan Leike",
        "aliases": ["Leike"],
        "summary": "Alignment researcher who co-led OpenAI's superalignment team.",
        "roles": [{"title": "Head of Alignment", "org": "openai"}],
        "departure": {"from": "openai", "date": "2024-05",
                      "reason": "Said safety culture had taken a back seat."},
    },
    {
        "id": "sam-altman",
        "name": "Sam Altman",
        "aliases": ["Altman"],
        "summary": "Chief executive of OpenAI.",
        "roles": [{"title": "CEO", "org": "openai"}],
    },
]

ORGS: list[dict[str, Any]] = [
    {"id": "openai", "name": "OpenAI", "summary": "The lab behind ChatGPT.",
     "links": ["https://openai.com"]},
    {"id": "anthropic", "name": "Anthropic", "summary": "The lab behind Claude."},
    {"id": "meta", "name": "Meta", "aliases": ["Facebook"], "summary": "Owner of Facebook."},
]


def write_sample_knowledge(root: Path, *, with_quiz: bool = True) -> Path:
    """Write the sample knowledge base under ``root``; return ``root``."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "people").mkdir(parents=True, exist_ok=True)
    for article in ARTICLES:
        _dump(root / "articles" / f"{article['id']}.yaml", article)
    for person in PEOPLE:
        _dump(root / "people" / f"{person['id']}.yaml", person)
    _dump(root / "orgs.yaml", {"orgs": ORGS})
    shipped_quiz = REPO_ROOT / "knowledge" / "quiz"
    if with_quiz and shipped_quiz.is_dir():
        for quiz in shipped_quiz.glob("*.yaml"):
            # A quiz being edited right now may be briefly invalid: then the /risk
            # tests skip instead of every test failing to load the knowledge base.
            if _quiz_is_valid(quiz):
                (root / "quiz").mkdir(exist_ok=True)
                shutil.copy(quiz, root / "quiz" / quiz.name)
    return root


def _quiz_is_valid(path: Path) -> bool:
    try:
        from bot.quiz.loader import load_quiz_text
    except ImportError:
        return False
    quiz, problems = load_quiz_text(path.read_text(encoding="utf-8"), str(path))
    return quiz is not None and not problems


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
