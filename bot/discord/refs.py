"""Compact references to what an answer card shows, for custom ids and choice values.

Discord allows 100 characters in a component's ``custom_id`` and in a choice
value.  A reference is ``a:<id>`` (article; person ``p``, org ``o``, one takeaway
of an article ``t``) when it fits, else ``a~<hash of the id>``.

A reference may come back long after it was made (a button on an old message),
so :func:`decode` always goes through :meth:`KnowledgeBase.resolve`: an entry
renamed since answers to its old id, in plain and in hashed references alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from bot.knowledge import EntryKey, EntryKind, KnowledgeBase
from bot.search.types import AnswerKind

KIND_CODES: dict[AnswerKind, str] = {"article": "a", "person": "p", "org": "o", "takeaway": "t"}
CODE_KINDS: dict[str, AnswerKind] = {code: kind for kind, code in KIND_CODES.items()}
REF_PATTERN = r"[apot][:~][^\s]+"
DEFAULT_ROOM = 80  # leaves room for a prefix such as "lw:rel:" in a 100-character custom id
TAKEAWAY_SEPARATOR = "#"


@dataclass(frozen=True)
class CardRef:
    """What an answer card shows: an entry, or one takeaway (``takeaway``) of an article."""

    key: EntryKey
    takeaway: str | None = None

    @classmethod
    def of(cls, kind: AnswerKind, answer_id: str) -> CardRef:
        """From an answer's (or an :class:`EntryRef`'s) kind and id."""
        if kind == "takeaway":
            article_id, _, takeaway = answer_id.partition(TAKEAWAY_SEPARATOR)
            return cls(EntryKey("article", article_id), takeaway)
        return cls(EntryKey(kind, answer_id))

    @property
    def answer_kind(self) -> AnswerKind:
        return "takeaway" if self.takeaway is not None else self.key.kind

    @property
    def answer_id(self) -> str:
        """The id the engine's ``answer_for`` takes (``article#takeaway`` for a takeaway)."""
        if self.takeaway is None:
            return self.key.id
        return f"{self.key.id}{TAKEAWAY_SEPARATOR}{self.takeaway}"


def encode(ref: CardRef | EntryKey, room: int = DEFAULT_ROOM) -> str:
    """``ref`` in at most ``room`` characters."""
    card = ref if isinstance(ref, CardRef) else CardRef(ref)
    code = KIND_CODES[card.answer_kind]
    plain = f"{code}:{card.answer_id}"
    return plain if len(plain) <= room else f"{code}~{_digest(card.answer_id)}"


def decode(kb: KnowledgeBase, text: str) -> CardRef | None:
    """The current entry (or takeaway) a reference names in ``kb``; None if nothing."""
    if len(text) < 3 or text[0] not in CODE_KINDS or text[1] not in ":~":
        return None
    kind, body = CODE_KINDS[text[0]], text[2:]
    if text[1] == "~":
        return _from_digest(kb, kind, body)
    if kind == "takeaway":
        article_id, sep, takeaway = body.partition(TAKEAWAY_SEPARATOR)
        key = kb.resolve(EntryKey("article", article_id)) if sep else None
        return CardRef(key, takeaway) if key is not None else None
    key = kb.resolve(EntryKey(kind, body))
    return CardRef(key) if key is not None else None


def decode_key(kb: KnowledgeBase, text: str) -> EntryKey | None:
    """Like :func:`decode`, for references to whole entries only."""
    card = decode(kb, text)
    return card.key if card is not None and card.takeaway is None else None


def parse_key(text: str) -> EntryKey | None:
    """The entry a plain reference names, whether or not it still exists (for history)."""
    kind = CODE_KINDS.get(text[0]) if len(text) >= 3 and text[1] == ":" else None
    if kind is None or kind == "takeaway":
        return None
    return EntryKey(kind, text[2:])


def _digest(answer_id: str) -> str:
    return hashlib.blake2b(answer_id.encode("utf-8"), digest_size=10).hexdigest()


def _from_digest(kb: KnowledgeBase, kind: AnswerKind, digest: str) -> CardRef | None:
    """Hash every id, old ones too, until one matches (only long ids are ever hashed)."""
    for current, names in _names(kb, kind):
        if any(_digest(name) == digest for name in names):
            return current
    return None


def _names(kb: KnowledgeBase, kind: AnswerKind) -> Iterator[tuple[CardRef, list[str]]]:
    """Each entry (or takeaway) of ``kind`` with every id it has had."""
    entry_kind: EntryKind = "article" if kind == "takeaway" else kind
    for key in kb.entry_keys():
        if key.kind != entry_kind:
            continue
        entry = kb.get(key)
        if entry is None:
            continue
        ids = [entry.id, *entry.previous_ids]
        if kind != "takeaway":
            yield CardRef(key), ids
            continue
        for takeaway in getattr(entry, "takeaways", ()):
            yield (CardRef(key, takeaway.id),
                   [f"{i}{TAKEAWAY_SEPARATOR}{takeaway.id}" for i in ids])
