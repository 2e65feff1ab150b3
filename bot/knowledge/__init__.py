"""Knowledge base: schema, loading with located validation, and the immutable model."""

from bot.knowledge.loader import load_knowledge, load_knowledge_or_raise
from bot.knowledge.model import (
    ENTRY_KINDS,
    Entry,
    EntryKey,
    EntryKind,
    KnowledgeBase,
    is_entry_kind,
)
from bot.knowledge.schema import (
    Article,
    Departure,
    LedgerEntry,
    Org,
    Person,
    Role,
    Takeaway,
    TimelineItem,
)
from bot.yamldocs.problems import KnowledgeError, Problem

__all__ = [
    "ENTRY_KINDS", "Article", "Departure", "Entry", "EntryKey", "EntryKind", "KnowledgeBase",
    "KnowledgeError", "LedgerEntry", "Org", "Person", "Problem", "Role", "Takeaway",
    "TimelineItem", "is_entry_kind", "load_knowledge", "load_knowledge_or_raise",
]
