"""A small, valid knowledge base written to a temporary directory per test."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTICLE = """\
id: 2026-03-08-robotics-lead-quits
title: "Robotics Lead Quits Over Defense Deal"
url: https://example.org/news/2026-03-08-robotics-lead-quits
outlet: Example News
published: 2026-03-08
summary: >-
  The head of robotics left the lab after it signed a defense agreement.
  She said the deal was rushed.
takeaways:
  - id: principle
    text: She framed the exit as a matter of principle.
  - id: rushed
    text: She said the announcement came before the guardrails were defined.
people: [jane-doe]
orgs: [acme-ai]
tags: [departures]
questions:
  - why did the robotics lead quit
  - who left acme over the defense deal
  - what happened to acme's robotics head
related: [2026-02-acme-signs-deal]
"""

RELATED = """\
id: 2026-02-acme-signs-deal
title: "Acme Signs Defense Deal"
url: https://example.org/news/2026-02-acme-signs-deal
outlet: Example News
published: 2026-02
summary: Acme agreed to run its models on classified networks.
takeaways:
  - id: classified
    text: The models will run on classified networks.
  - id: red-lines
    text: The lab says it kept two red lines.
orgs: [acme-ai]
questions:
  - what deal did acme sign
  - acme classified networks
  - acme defense contract
"""

PERSON = """\
id: jane-doe
name: Jane Doe
aliases: [Doe, "Acme robotics chief"]
summary: Jane Doe led robotics at Acme until March 2026.
roles:
  - {title: Head of robotics, org: Acme AI, from: 2024-11, to: 2026-03}
departure: {from: acme-ai, date: 2026-03-07, reason: Disagreed with the defense deal.}
links: [https://example.org/people/jane-doe]
"""

ORGS = """\
orgs:
  - id: acme-ai
    name: Acme AI
    aliases: [Acme]
    summary: An AI lab.
    links: [https://example.org/acme]
  - id: other-lab
    name: Other Lab
    summary: Another lab.
"""


def write_kb(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def valid_files() -> dict[str, str]:
    return {
        "articles/2026-03-08-robotics-lead-quits.yaml": ARTICLE,
        "articles/2026-02-acme-signs-deal.yaml": RELATED,
        "people/jane-doe.yaml": PERSON,
        "orgs.yaml": ORGS,
    }


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "knowledge", valid_files())
