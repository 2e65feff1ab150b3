"""Compact references to knowledge entries for custom ids and autocomplete values.

Discord allows 100 characters in a component's ``custom_id`` and in a choice
value, but article ids may be up to 200.  A reference is ``a:<id>`` (article,
person ``p``, org ``o``, takeaway ``t``) when it fits, else ``a~<hash>``,
resolved by hashing the entries of the current knowledge base.
"""

from __future__ import annotations

import hashlib

from bot.knowledge import KnowledgeBase
from bot.search.types import AnswerKind

KIND_CODES: dict[AnswerKind, str] = {"article": "a", "person": "p", "org": "o", "takeaway": "t"}
CODE_KINDS: dict[str, AnswerKind] = {v: k for k, v in KIND_CODES.items()}
REF_PATTERN = r"[apot][:~][^\s]+"
DEFAULT_ROOM = 80


def encode_ref(kind: AnswerKind, entry_id: str, room: int = DEFAULT_ROOM) -> str:
    """``kind`` + ``entry_id`` in at most ``room`` characters."""
    plain = f"{KIND_CODES[kind]}:{entry_id}"
    if len(plain) <= room:
        return plain
    return f"{KIND_CODES[kind]}~{_digest(entry_id)}"


def decode_ref(kb: KnowledgeBase, ref: str) -> tuple[AnswerKind, str] | None:
    """The (kind, id) a reference names in ``kb``, or None if it names nothing there."""
    if len(ref) < 3 or ref[0] not in CODE_KINDS or ref[1] not in ":~":
        return None
    kind = CODE_KINDS[ref[0]]
    if ref[1] == ":":
        return kind, ref[2:]
    for candidate in _ids(kb, kind):
        if _digest(candidate) == ref[2:]:
            return kind, candidate
    return None


def _digest(entry_id: str) -> str:
    return hashlib.blake2b(entry_id.encode("utf-8"), digest_size=10).hexdigest()


def _ids(kb: KnowledgeBase, kind: AnswerKind) -> list[str]:
    if kind == "article":
        return list(kb.articles)
    if kind == "person":
        return list(kb.people)
    if kind == "org":
        return list(kb.orgs)
    return [f"{a.id}#{t.id}" for a in kb.articles.values() for t in a.takeaways]
