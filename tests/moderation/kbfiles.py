"""A small, valid knowledge base as text, shared by the moderator tests."""

from __future__ import annotations

from pathlib import Path

ORGS = """\
# Organisations the articles mention.
orgs:
  - id: openai
    name: OpenAI
    aliases: [Open AI]
    summary: Maker of ChatGPT.
    links:
      - https://openai.com

  # A defence-contractor entry, kept for the Pentagon stories.
  - id: pentagon
    name: Pentagon
    summary: The US Department of Defense.
"""

PERSON = """\
id: caitlin-kalinowski
name: Caitlin Kalinowski
aliases: [Kalinowski]
summary: Hardware lead who left OpenAI.
departure:
  from: openai
  date: 2026-03
  reason: Disagreed with the Pentagon deal.
questions:
  - why did kalinowski quit
"""

ARTICLE = """\
id: 2026-03-07-kalinowski-quits
title: OpenAI hardware lead quits over Pentagon deal
url: https://example.com/news/2026-03-07-kalinowski-quits
outlet: Example News
published: 2026-03-07
summary: Caitlin Kalinowski resigned from OpenAI after its Pentagon agreement.
takeaways:
  - id: resigned
    text: She resigned on principle.
people: [caitlin-kalinowski]
orgs: [openai, pentagon]
questions:
  - why did the openai hardware lead quit   # asked in #general
"""

NEW_ARTICLE = """\
id: 2026-04-01-zebra-robotics-deal
title: Zebra Robotics signs a lunar mining contract
url: https://example.com/news/2026-04-01-zebra-robotics-deal
outlet: Example News
published: 2026-04-01
summary: Zebra Robotics agreed to build excavators for a lunar mining venture.
takeaways:
  - id: lunar
    text: The contract covers lunar excavators.
orgs: [openai]
questions:
  - what did zebra robotics sign
"""


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes, to show nothing changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def write_kb(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "orgs.yaml").write_text(ORGS, encoding="utf-8")
    (root / "people" / "caitlin-kalinowski.yaml").write_text(PERSON, encoding="utf-8")
    (root / "articles" / "2026-03-07-kalinowski-quits.yaml").write_text(ARTICLE, encoding="utf-8")
    return root
