"""Which known people and organisations a page names, and which names we do not know.

Known entries are found by their name and aliases, matched as whole words.  An
alias written with capitals must match with the same capitals ("Meta", not
"meta-analysis"); a lower-case one (a handle such as "sama") matches in any
case.  A person's one-word alias that is ordinary English ("Gross", "Levy") is
ignored, and so is one that runs on into another capitalised word ("Sam" in
"Sam Bankman-Fried"): alone, those say little about who is meant.

Unknown names are runs of capitalised words in the body text ("Paul
Christiano", "Claude Opus") that no known name covers.  A single word counts
only if it is not ordinary English and appears at least once mid-sentence,
because every sentence starts with a capital.  The result is a suggestion list
for the moderator, most mentioned first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge import KnowledgeBase
from bot.search.english import common_english

MAX_POSSIBLY_NEW = 10
# Words that join the parts of a name: "Department of War", "Ursula von der Leyen".
_CONNECTORS = frozenset({"of", "de", "da", "del", "der", "di", "du", "van", "von", "al", "bin",
                         "la", "le"})
# Capitalised words that are never names on their own.
_NOT_NAMES = frozenset({
    "ai", "agi", "api", "us", "usa", "uk", "eu", "un", "ceo", "cto", "cfo", "coo", "vp", "phd",
    "vr", "ar", "ipo", "llm", "gpu", "tv", "i", "mr", "mrs", "ms", "dr", "st",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
})
# "American", "Europeans", "Chinese": nationalities, not people or organisations.
_DEMONYM_ENDINGS = ("ean", "eans", "ian", "ians", "can", "cans", "ese", "ish")
_WORD = re.compile(r"[^\W\d_](?:[\w.\-]*[^\W_])?", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?:;])[\"'”’)]*\s+|\s+\|\s+|\s+[—–]\s+")


def fold(text: str) -> str:
    """Remove accents but keep case: 'Zoë' -> 'Zoe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Alias:
    key: str  # 'person:sam-altman'
    text: str  # folded
    pattern: re.Pattern[str]
    single_word_person: bool


@dataclass(frozen=True)
class NamesFound:
    people: tuple[str, ...]  # person ids, most mentioned first
    orgs: tuple[str, ...]
    possibly_new: tuple[str, ...]


def _alias_pattern(alias: str) -> re.Pattern[str]:
    flags = 0 if any(c.isupper() for c in alias) else re.IGNORECASE
    return re.compile(rf"(?<![\w@]){re.escape(alias)}(?![\w])", flags)


def _aliases(kb: KnowledgeBase) -> tuple[_Alias, ...]:
    """Every usable name and alias, longest first (so 'Meta Reality Labs' wins over 'Meta')."""
    english = common_english()
    found: list[_Alias] = []
    entries: list[tuple[str, str, Sequence[str]]] = [
        *((f"person:{p.id}", p.name, p.aliases) for p in kb.people.values()),
        *((f"org:{o.id}", o.name, o.aliases) for o in kb.orgs.values()),
    ]
    for key, name, aliases in entries:
        for alias in {fold(a).strip() for a in (name, *aliases)}:
            one_word = " " not in alias
            if len(alias) < 3 or (alias.islower() and len(alias) < 4):
                continue
            if key.startswith("person:") and one_word and alias.lower() in english:
                continue
            found.append(_Alias(key, alias, _alias_pattern(alias),
                                key.startswith("person:") and one_word))
    found.sort(key=lambda a: (-len(a.text), a.key))
    return tuple(found)


_NEIGHBOUR = 80  # how far around a match to look for the rest of a name


def _continues_a_name(text: str, start: int, end: int) -> bool:
    """Is the match at ``start:end`` part of a longer capitalised name?"""
    after = re.match(r"\s+([A-Z][\w\-]*)", text[end:end + _NEIGHBOUR])
    before = re.search(r"([A-Z][\w\-]*)\s+$", text[max(0, start - _NEIGHBOUR):start])
    return bool(after and after.group(1).lower() not in _NOT_NAMES) or bool(
        before and before.group(1).lower() not in _NOT_NAMES
        and not _is_sentence_start(text, start - len(before.group(0))))


def _is_sentence_start(text: str, index: int) -> bool:
    head = text[max(0, index - _NEIGHBOUR):index].rstrip()
    return not head or head[-1] in ".!?:;|—–\"'“”‘’("


Spans = list[tuple[int, int]]


def find_known(kb: KnowledgeBase, texts: Iterable[str]) -> tuple[dict[str, int], list[Spans]]:
    """Mentions per entry key, and the spans each text's known names cover."""
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    spans_per_text: list[Spans] = []
    offset = 0
    aliases = _aliases(kb)
    for raw in texts:
        text = fold(raw)
        taken: list[tuple[int, int]] = []
        for alias in aliases:
            for match in alias.pattern.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                if alias.single_word_person and _continues_a_name(text, start, end):
                    continue
                taken.append((start, end))
                counts[alias.key] = counts.get(alias.key, 0) + 1
                first_seen.setdefault(alias.key, offset + start)
        spans_per_text.append(sorted(taken))
        offset += len(text) + 1
    ordered = dict(sorted(counts.items(), key=lambda kv: (-kv[1], first_seen[kv[0]])))
    return ordered, spans_per_text


def find_names(kb: KnowledgeBase, title: str, paragraphs: Sequence[str]) -> NamesFound:
    """Known people and orgs in the title and body; unknown capitalised names in the body."""
    counts, spans = find_known(kb, [title, *paragraphs])
    people = tuple(k.partition(":")[2] for k in counts if k.startswith("person:"))
    orgs = tuple(k.partition(":")[2] for k in counts if k.startswith("org:"))
    new = possibly_new_names([fold(p) for p in paragraphs], spans[1:])
    return NamesFound(people, orgs, new)


@dataclass
class _Candidate:
    name: str
    count: int
    first: int
    mid_sentence: bool


def possibly_new_names(
    paragraphs: Sequence[str], known_spans: Sequence[Sequence[tuple[int, int]]],
    limit: int = MAX_POSSIBLY_NEW,
) -> tuple[str, ...]:
    """Capitalised names in ``paragraphs`` outside ``known_spans``, most mentioned first."""
    english = common_english()
    found: dict[str, _Candidate] = {}
    position = 0
    for text, spans in zip(paragraphs, known_spans, strict=True):
        for run, mid_sentence in _capitalised_runs(text, spans):
            position += 1
            name = _trim_run(run, mid_sentence, english)
            if name is None:
                continue
            candidate = found.setdefault(name, _Candidate(name, 0, position, False))
            candidate.count += 1
            # Every sentence starts with a capital; "TechCrunch" or a two-word name is
            # a name even there.
            candidate.mid_sentence |= mid_sentence or " " in name or _has_inner_capital(name)
    return _rank(found, english, limit)


def _capitalised_runs(
    text: str, spans: Sequence[tuple[int, int]]
) -> Iterable[tuple[list[str], bool]]:
    """Runs of capitalised words (with connectors inside), split at known names and sentences."""
    for sentence_start, sentence in _sentences(text):
        run: list[str] = []
        run_mid = False
        pending: list[str] = []
        last_end = 0
        for match in _WORD.finditer(sentence):
            word = _strip_possessive(match.group(0))
            start = sentence_start + match.start()
            if run and sentence[last_end:match.start()].strip():  # "Claude, Gemini": two names
                yield run, run_mid
                run, pending = [], []
            last_end = match.end()
            inside_known = any(s <= start < e for s, e in spans)
            if _is_name_word(word) and not inside_known:
                if run and pending:
                    run.extend(pending)
                if not run:
                    run_mid = match.start() > 0
                run.append(word)
                pending = []
            elif run and word in _CONNECTORS and not pending:
                pending = [word]
            else:
                if run:
                    yield run, run_mid
                run, pending = [], []
            if match.group(0) != word:  # "OpenAI's" ends a name
                if run:
                    yield run, run_mid
                run, pending = [], []
        if run:
            yield run, run_mid


def _has_inner_capital(word: str) -> bool:
    return any(c.isupper() for c in word[1:])


def _is_name_word(word: str) -> bool:
    """'Kalinowski', 'OpenAI', 'Bankman-Fried'; not 'AI-assisted' or 'Co-founder'."""
    return all(part[:1].isupper() for part in word.split("-"))


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        yield start, text[start:boundary.start()]
        start = boundary.end()
    yield start, text[start:]


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip(".-")


def _trim_run(run: list[str], mid_sentence: bool, english: frozenset[str]) -> str | None:
    """Drop a sentence-opening ordinary word ("The Pentagon"); None if nothing is left."""
    words = list(run)
    if not mid_sentence and len(words) > 1 and words[0].lower() in english:
        words = words[1:]
    while words and words[-1] in _CONNECTORS:
        words.pop()
    words = [w for w in words if w.lower() not in _NOT_NAMES] if len(words) > 1 else words
    if not words:
        return None
    if len(words) == 1:
        word = words[0]
        if (len(word) < 3 or word.lower() in _NOT_NAMES or word.lower() in english
                or word.lower().endswith(_DEMONYM_ENDINGS)):
            return None
    elif all(w.lower() in english or w in _CONNECTORS for w in words):
        return None  # "Chief Scientist", "Head of Alignment": titles, not names
    return " ".join(words)


def _rank(found: dict[str, _Candidate], english: frozenset[str], limit: int) -> tuple[str, ...]:
    # A lone surname already counted inside a full name ("Sharma" in "Mrinank Sharma").
    multi = [c for c in found.values() if " " in c.name]
    for candidate in list(found.values()):
        if " " in candidate.name:
            continue
        owner = next((m for m in multi if candidate.name in m.name.split()), None)
        if owner is not None:
            owner.count += candidate.count
            del found[candidate.name]
    kept = [c for c in found.values() if c.mid_sentence]
    kept.sort(key=lambda c: (-c.count, c.first))
    return tuple(c.name for c in kept[:limit])
