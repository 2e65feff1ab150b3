"""The one way a command turns what a moderator or member typed or picked into an entry.

Autocomplete offers one choice per entry (aliases folded in by the engine), at
most 25, names cut to 100 characters, each valued with a compact reference
(:mod:`bot.discord.refs`).  :meth:`EntryPicker.find` accepts such a picked
value, a typed ``kind:id`` or a bare id (old ids of renamed entries too), and,
where a command allows it, the best fuzzy match for a typed name, so
``/person kalinowski`` works without picking.
"""

from __future__ import annotations

from collections.abc import Sequence

from discord import app_commands
from rapidfuzz import fuzz

from bot.discord import refs
from bot.discord.embeds import kind_label
from bot.discord.limits import CHOICE_NAME_MAX, CHOICE_VALUE_MAX, CHOICES_MAX
from bot.discord.text import truncate
from bot.knowledge import EntryKey, EntryKind, KnowledgeBase
from bot.runtime import KnowledgeService


class EntryPicker:
    def __init__(self, knowledge: KnowledgeService) -> None:
        self.knowledge = knowledge

    def choices(self, kinds: Sequence[EntryKind], typed: str) -> list[app_commands.Choice[str]]:
        """Entries of ``kinds`` matching ``typed``, best first; labelled with their kind
        when more than one kind is offered."""
        engine = self.knowledge.engine
        found = [(EntryKey(kind, ref.id), ref.title) for kind in kinds
                 for ref in engine.complete(kind, typed, limit=CHOICES_MAX)]
        if len(kinds) > 1 and typed.strip():
            found.sort(key=lambda item: -fuzz.WRatio(typed, item[1]))
        return [self._choice(key, title, labelled=len(kinds) > 1)
                for key, title in found[:CHOICES_MAX]]

    @staticmethod
    def _choice(key: EntryKey, title: str, *, labelled: bool) -> app_commands.Choice[str]:
        name = f"{title} ({kind_label(key.kind).lower()})" if labelled else title
        return app_commands.Choice(name=truncate(name, CHOICE_NAME_MAX),
                                   value=refs.encode(key, room=CHOICE_VALUE_MAX))

    def find(self, kinds: Sequence[EntryKind], value: str, *, fuzzy: bool = False
             ) -> EntryKey | None:
        """The current entry ``value`` names: a picked choice, ``kind:id``, an id (old ids
        too), or with ``fuzzy`` the best match for a typed name; None if none."""
        kb = self.knowledge.kb
        value = value.strip()
        for key in (refs.decode_key(kb, value), EntryKey.try_parse(value)):
            current = kb.resolve(key) if key is not None else None
            if current is not None and current.kind in kinds:
                return current
        for kind in kinds:
            current = kb.resolve(EntryKey(kind, value))
            if current is not None:
                return current
        if fuzzy:
            for kind in kinds:
                best = self.knowledge.engine.complete(kind, value, limit=1)
                if best:
                    return EntryKey(kind, best[0].id)
        return None


def entry_title(kb: KnowledgeBase, key: EntryKey | str) -> str:
    """An entry's title or name for display; the key itself when it is gone or unreadable."""
    parsed = EntryKey.try_parse(key) if isinstance(key, str) else key
    current = kb.resolve(parsed) if parsed is not None else None
    entry = kb.get(current) if current is not None else None
    if entry is None:
        return str(key)
    return str(getattr(entry, "title", None) or getattr(entry, "name", entry.id))
