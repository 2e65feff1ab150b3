"""The sentence splitter answers are cut with: whole sentences, never a cut at an abbreviation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.search.sentences import leading_sentences, split_sentences

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.mark.parametrize(("text", "expected"), [
    ("The D.C. Circuit refused. The label stays.",
     ["The D.C. Circuit refused.", "The label stays."]),
    ("U.S. District Judge Rita F. Lin ruled. It was March.",
     ["U.S. District Judge Rita F. Lin ruled.", "It was March."]),
    ("Safe Superintelligence Inc. (SSI) has no product. Investors wait.",
     ["Safe Superintelligence Inc. (SSI) has no product.", "Investors wait."]),
    ("She moved to Washington, D.C. The job began in Jan. 2025 with Mr. Smith.",
     ["She moved to Washington, D.C.", "The job began in Jan. 2025 with Mr. Smith."]),
    ("He said \"no.\" Then he left! Why? Nobody knows.",
     ["He said \"no.\"", "Then he left!", "Why?", "Nobody knows."]),
    ("Revenue was $1.5B, e.g. from ads, vs. $2B. That is less.",
     ["Revenue was $1.5B, e.g. from ads, vs. $2B.", "That is less."]),
    ("Founded by Brown et al. The paper came out.",
     ["Founded by Brown et al.", "The paper came out."]),
    ("  Many   spaces\nand lines.  ", ["Many spaces and lines."]),
    ("", []),
])
def test_splits_at_sentence_ends_only(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_leading_sentences_keep_whole_sentences_within_the_limit() -> None:
    text = "One short sentence. A second one here. A third that will not fit in the limit."
    assert leading_sentences(text, 40) == "One short sentence. A second one here."
    assert leading_sentences(text, 5) == "One short sentence."  # never empty


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _knowledge_texts() -> list[str]:
    texts = []
    for path in sorted(KNOWLEDGE.rglob("*.yaml")):
        texts.extend(t for t in _strings(yaml.safe_load(path.read_text("utf-8"))) if " " in t)
    return texts


_ENDS = re.compile(r"[.!?…][\"'”’)\]]*$")
_BAD_LAST = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|"
                       r"Nov|Dec|vs|e\.g|i\.e))\.$")


def test_every_sentence_in_the_knowledge_base_is_whole() -> None:
    texts = _knowledge_texts()
    assert len(texts) > 500
    for text in texts:
        sentences = split_sentences(text)
        assert " ".join(sentences) == " ".join(text.split())
        for sentence in sentences[:-1]:
            assert _ENDS.search(sentence), f"cut mid-sentence: {sentence!r}"
            assert not _BAD_LAST.search(sentence), f"cut at an abbreviation: {sentence!r}"
