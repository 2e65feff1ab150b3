"""Split prose into sentences without cutting at abbreviations.

Answers are built from whole sentences, so a split after "D.C." in "the D.C.
Circuit" or after the initial in "Rita F. Lin" would show users half a
sentence.  The rules, in order, at each ``.``/``!``/``?``/``…`` followed by a
space:

- the next word starts lower-case or with a digit: not a boundary ("e.g. the", "No. 3");
- the word before is an initial ("F.") or a title or month ("Mr.", "Jan."): not a boundary;
- the word before is an abbreviation that may also end a sentence ("U.S.", "Inc.",
  "D.C."): a boundary only when the next word typically starts a sentence ("The", "He");
- otherwise: a boundary.
"""

from __future__ import annotations

import re

# Never the last word of a sentence in our texts: titles, months, "e.g.".
_NEVER_LAST = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "capt", "st",
    "vs", "v", "e.g", "i.e", "cf", "approx", "fig", "vol", "ed", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
# Abbreviations that do end sentences now and then ("...based in Washington, D.C.").
_SOMETIMES_LAST = frozenset({
    "inc", "ltd", "co", "corp", "llc", "plc", "jr", "sr", "etc", "al", "a.m", "p.m",
})
# Words that usually open a sentence; after an ambiguous abbreviation they decide.
_OPENERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "you", "his", "her", "their", "our", "there", "here", "in", "on", "at", "after",
    "before", "when", "while", "since", "but", "and", "so", "yet", "as", "if", "however",
    "meanwhile", "then", "both", "neither", "one", "some", "many", "most", "no", "not",
    "what", "who", "why", "how", "where", "according", "by", "for", "from", "with",
})
_CANDIDATE = re.compile(r"([.!?…]+)([\"'”’)\]]*)(\s+)")
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“‘']))([A-Za-z][A-Za-z.]*)$")
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_FIRST_WORD = re.compile(r"[\"'“‘(\[]*([^\s\"'“‘(\[]*)")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace-normalised, in order."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end(2)
        if _is_boundary(text[start:match.start(1)], match.group(1), text[match.end():]):
            sentences.append(text[start:end])
            start = match.end()
    if start < len(text):
        sentences.append(text[start:])
    return [s for s in sentences if s]


def _is_boundary(before: str, punctuation: str, after: str) -> bool:
    next_word = _FIRST_WORD.match(after)
    word = next_word.group(1) if next_word else ""
    if not word or word[0].islower() or word[0].isdigit():
        return False
    if "." not in punctuation and "…" not in punctuation:
        return True  # '!' and '?' before a capital always end a sentence
    found = _WORD_BEFORE.search(before)
    if found is None:
        return True
    token = found.group(1)
    bare = token.rstrip(".").lower()
    if len(token) == 1 and token.isupper():
        return False  # an initial: "Rita F. Lin"
    if bare in _NEVER_LAST:
        return False
    if bare in _SOMETIMES_LAST or _ACRONYM.match(token + "."):
        return word.lower().strip(",;:") in _OPENERS
    return True


def leading_sentences(text: str, limit: int) -> str:
    """As many whole sentences from the start as fit in ``limit`` characters (at least one)."""
    sentences = split_sentences(text)
    taken: list[str] = []
    length = 0
    for sentence in sentences:
        extra = len(sentence) + (1 if taken else 0)
        if taken and length + extra > limit:
            break
        taken.append(sentence)
        length += extra
    return " ".join(taken)
