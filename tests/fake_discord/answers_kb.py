"""A knowledge base for testing what answers say: dates, ages, links, timelines, follow-ups.

Written for the tests (example URLs, short texts), not news: each entry carries
one thing an answer must get right — a departure with its reason and date, an
ended role, a curated link ahead of a mirror, a story told as a timeline, an
undated story, a court ruling that follows a designation.  ``TODAY`` is the
date the tests' clock says, so ages read the same on every run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

TODAY = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
KNOWLEDGE_AS_OF = "2026-04-28"

DESIGNATION = "2026-02-27-anthropic-designated-risk"
COURT = "2026-03-26-judge-blocks-designation"
TIMELINE = "2026-04-08-anthropic-dispute-timeline"
KALINOWSKI_STORY = "2026-03-07-kalinowski-quits-openai"
SUTSKEVER_STORY = "2024-05-14-sutskever-leaves-openai"
UNDATED = "undated-lab-safety-visions"
FUNDING = "2026-03-31-openai-funding-round"

KALINOWSKI_REASON = (
    "She quit over OpenAI's agreement to put its models on the Pentagon's classified "
    "networks, saying surveillance and lethal autonomy needed more deliberation."
)
OPENAI_URL = "https://openai.example/"
KALINOWSKI_URL = "https://wiki.example/Caitlin_Kalinowski"

ARTICLES: list[dict[str, Any]] = [
    {
        "id": DESIGNATION,
        "title": "Pentagon declares Anthropic a supply-chain risk",
        "url": f"https://news-a.example/{DESIGNATION}",
        "outlet": "News A",
        "published": "2026-02-27",
        "summary": (
            "On 27 February 2026 the Pentagon declared Anthropic a supply-chain risk after it "
            "refused \"any lawful use\" terms for Claude. Federal agencies were told to stop "
            "using Claude within six months."
        ),
        "takeaways": [{"id": "designation", "text": "Refusing the terms cost Anthropic its "
                                                    "government work."}],
        "people": ["pete-hegseth"],
        "orgs": ["anthropic", "us-dod"],
        "tags": ["pentagon", "supply-chain-risk"],
        "questions": ["why did the pentagon blacklist anthropic",
                      "anthropic supply chain risk designation"],
        "related": [COURT],
    },
    {
        "id": COURT,
        "title": "Judge blocks the Pentagon's Anthropic designation",
        "url": f"https://news-b.example/{COURT}",
        "outlet": "News B",
        "published": "2026-03-26",
        "as_of": "2026-04-08",
        "summary": (
            "On 26 March 2026 a federal judge granted Anthropic a preliminary injunction "
            "against the supply-chain-risk designation. On 8 April an appeals court refused to "
            "pause a second designation, so that label stayed in force."
        ),
        "takeaways": [{"id": "injunction", "text": "Anthropic won a preliminary injunction, "
                                                   "but a second label stayed in force."}],
        "orgs": ["anthropic", "us-dod"],
        "tags": ["courts", "pentagon", "supply-chain-risk"],
        "questions": ["did anthropic win in court", "what did the judge rule on anthropic"],
    },
    {
        "id": TIMELINE,
        "title": "Anthropic vs the Pentagon: the dispute step by step",
        "title_kind": "ours",
        "url": f"https://news-c.example/{TIMELINE}",
        "outlet": "Compiled timeline",
        "event_date": "2026-04-08",
        "summary": (
            "A dated sequence of Anthropic's dispute with the Pentagon, from the ultimatum in "
            "February 2026 to the appeals court in April 2026."
        ),
        "takeaways": [{"id": "open", "text": "As of 8 April 2026 the appeal was still open."}],
        "timeline": [
            {"date": "2026-02-24", "text": "Pete Hegseth gave Anthropic an ultimatum to accept "
                                           "\"any lawful use\" of Claude."},
            {"date": "2026-02-27", "text": "The Pentagon declared Anthropic a supply-chain "
                                           "risk."},
            {"date": "2026-03-09", "text": "Anthropic sued in federal court."},
            {"date": "2026-03-26", "text": "A judge granted Anthropic a preliminary "
                                           "injunction."},
            {"date": "2026-04-08", "text": "An appeals court left a second designation in "
                                           "force."},
        ],
        "people": ["pete-hegseth"],
        "orgs": ["anthropic", "us-dod"],
        "tags": ["pentagon", "timeline", "courts"],
        "questions": ["timeline of the anthropic pentagon dispute",
                      "how did the anthropic pentagon fight unfold"],
    },
    {
        "id": KALINOWSKI_STORY,
        "title": "OpenAI's robotics lead quits over the Pentagon deal",
        "url": f"https://news-d.example/{KALINOWSKI_STORY}",
        "outlet": "News D",
        "event_date": "2026-03-07",
        "summary": (
            "Caitlin Kalinowski, who led robotics at OpenAI, resigned over its agreement with "
            "the Pentagon. OpenAI confirmed that she had left."
        ),
        "takeaways": [{"id": "values", "text": "She left over the deal, not over colleagues."}],
        "people": ["caitlin-kalinowski"],
        "orgs": ["openai", "us-dod"],
        "tags": ["departures", "pentagon"],
        "questions": ["kalinowski resignation story"],
    },
    {
        "id": SUTSKEVER_STORY,
        "title": "Ilya Sutskever leaves OpenAI",
        "url": f"https://news-e.example/{SUTSKEVER_STORY}",
        "outlet": "News E",
        "published": "2024-05-14",
        "summary": "Ilya Sutskever announced that he was leaving OpenAI after almost ten years.",
        "takeaways": [{"id": "exit", "text": "A co-founder left OpenAI."}],
        "people": ["ilya-sutskever"],
        "orgs": ["openai", "ssi"],
        "tags": ["departures"],
    },
    {
        "id": UNDATED,
        "title": "Three labs, three ideas of safe AI",
        "url": f"https://news-f.example/{UNDATED}",
        "outlet": "News F",
        "undated": "The page shows no date.",
        "as_of": "2026-03-31",
        "summary": "OpenAI, Anthropic and SSI each say they build safe AI, and mean different "
                   "things by it.",
        "takeaways": [{"id": "visions", "text": "Safety means different things at each lab."}],
        "orgs": ["openai", "anthropic", "ssi"],
        "tags": ["safety"],
    },
    {
        "id": FUNDING,
        "title": "OpenAI raises a record funding round",
        "url": f"https://news-g.example/{FUNDING}",
        "outlet": "News G",
        "published": "2026-03-31",
        "summary": "On 31 March 2026 OpenAI closed a record funding round.",
        "takeaways": [{"id": "round", "text": "Investors keep betting on OpenAI."}],
        "orgs": ["openai"],
        "tags": ["funding"],
    },
]

PEOPLE: list[dict[str, Any]] = [
    {
        "id": "caitlin-kalinowski",
        "name": "Caitlin Kalinowski",
        "aliases": ["Kalinowski"],
        "summary": (
            "Caitlin Kalinowski is the hardware engineer who led robotics at OpenAI until she "
            "resigned in March 2026. Before OpenAI she led the hardware for Meta's AR glasses."
        ),
        "url": KALINOWSKI_URL,
        "as_of": "2026-03-09",
        "roles": [
            {"title": "Head of AR-glasses hardware", "org": "Meta", "from": "2022-03",
             "to": "2024"},
            {"title": "Head of robotics", "org": "openai", "from": "2024-11", "to": "2026-03"},
        ],
        "departure": {
            "from": "openai", "date": "2026-03-07",
            "reason": f"{KALINOWSKI_REASON} OpenAI confirmed the exit.",
            "quote": "This was about principle, not people",
        },
        "links": [f"https://news-{c}.example/kalinowski" for c in "hijk"],
        "tags": ["departures", "pentagon"],
        "questions": ["why did caitlin kalinowski quit openai", "who led robotics at openai"],
    },
    {
        "id": "ilya-sutskever",
        "name": "Ilya Sutskever",
        "aliases": ["Sutskever", "Ilya"],
        "summary": (
            "Ilya Sutskever is an AI researcher who co-founded OpenAI and was its chief "
            "scientist. He left OpenAI in May 2024, co-founded Safe Superintelligence Inc. "
            "(SSI) in June 2024 and became its CEO on 3 July 2025."
        ),
        "url": "https://wiki.example/Ilya_Sutskever",
        "as_of": "2025-07-03",
        "roles": [
            {"title": "Co-founder and chief scientist", "org": "openai", "from": "2015",
             "to": "2024-05"},
            {"title": "CEO", "org": "ssi", "from": "2025-07-03"},
        ],
        "departure": {"from": "openai", "date": "2024-05-14",
                      "reason": "He said he was leaving for a personally meaningful project."},
        "tags": ["departures", "founders"],
        "questions": ["who runs ssi", "why did ilya sutskever leave openai"],
    },
    {
        "id": "pete-hegseth",
        "name": "Pete Hegseth",
        "aliases": ["Hegseth", "Secretary of War"],
        "summary": (
            "Pete Hegseth was the US Secretary of Defense during these events. He declared "
            "Anthropic a supply-chain risk on 27 February 2026."
        ),
        "url": "https://wiki.example/Pete_Hegseth",
        "as_of": "2026-02-27",
        "roles": [{"title": "Secretary of Defense", "org": "us-dod"}],
        "tags": ["pentagon"],
        "questions": ["who is the secretary of war"],
    },
]

ORGS: list[dict[str, Any]] = [
    {"id": "openai", "name": "OpenAI", "url": OPENAI_URL, "as_of": "2026-03-31",
     "summary": "OpenAI is the lab behind ChatGPT. Safety-related exits include Ilya Sutskever "
                "(May 2024) and Caitlin Kalinowski (March 2026).",
     "links": ["https://mirror-site.example/openai-restructure"],
     "tags": ["openai"], "questions": ["who has left openai over safety"]},
    {"id": "anthropic", "name": "Anthropic", "url": "https://anthropic.example/",
     "as_of": "2026-04-08", "summary": "Anthropic is the lab behind Claude.",
     "tags": ["pentagon"]},
    {"id": "ssi", "name": "Safe Superintelligence Inc.", "aliases": ["SSI"],
     "summary": "Safe Superintelligence Inc. is a lab founded in June 2024."},
    {"id": "us-dod", "name": "US Department of Defense", "aliases": ["Pentagon"],
     "summary": "The US defence ministry."},
]


def write_answers_knowledge(root: Path) -> Path:
    """Write this knowledge base under ``root``; return ``root``."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "people").mkdir(parents=True, exist_ok=True)
    for article in ARTICLES:
        _dump(root / "articles" / f"{article['id']}.yaml", article)
    for person in PEOPLE:
        _dump(root / "people" / f"{person['id']}.yaml", person)
    _dump(root / "orgs.yaml", {"orgs": ORGS})
    _dump(root / "knowledge.yaml", {"knowledge_as_of": KNOWLEDGE_AS_OF})
    return root


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
