"""Recognise the shape of common questions, so 'who is X' prefers a person."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHO = re.compile(
    r"\b(who|whos|whom)\b|\b(name of|what is (his|her) name|whats (his|her) name)\b"
    r"|\bwhich (\w+ )?(engineer|researcher|scientist|person|guy|exec|executive|judge|official|"
    r"ceo|founder|lab|company|startup)\b"
)
# 'who is X' asks about X; 'who led X' / 'which lab did Y before X' ask about someone else.
_WHO_IS = re.compile(r"\b(who|whos|what|whats) (is|was|are|were)\b|^(who|whos)\b\W*\w+\W*$")
_WHY = re.compile(r"^why\b|\bwhy (did|do|does|is|was|were|are|would|wont|will|has|have)\b")
_WHEN = re.compile(r"^(when|what (date|day|time|year|month))\b|\bwhen (did|was|were|is|will)\b")
_TAKEAWAY = re.compile(
    r"\b(takeaways?|key points?|main points?|tl ?dr|tldr|what does .* mean|what do .* mean|"
    r"why (does|do|did) (it|this|that) matter|why it matters|what .* means for|"
    r"what does .* tell us|implications?|significance|what .* tell us|big deal)\b"
)
_EXPLICIT_TAKEAWAYS = re.compile(r"\b(takeaways?|key points?|main points?|tl ?dr|tldr)\b")


@dataclass(frozen=True)
class Shape:
    who: bool = False
    who_is: bool = False
    why: bool = False
    when: bool = False
    takeaway: bool = False
    explicit_takeaways: bool = False


def question_shape(folded_question: str) -> Shape:
    """``folded_question`` is lower-case, accent-free text (see ``text.fold``)."""
    text = " ".join(re.sub(r"[^\w\s-]", " ", folded_question).split())
    return Shape(
        who=bool(_WHO.search(text)),
        who_is=bool(_WHO_IS.search(text)),
        why=bool(_WHY.search(text)),
        when=bool(_WHEN.search(text)),
        takeaway=bool(_TAKEAWAY.search(text)),
        explicit_takeaways=bool(_EXPLICIT_TAKEAWAYS.search(text)),
    )
