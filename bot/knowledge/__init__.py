"""Knowledge base: schema, loading with located validation, and the immutable model."""

from bot.knowledge.loader import load_knowledge, load_knowledge_or_raise
from bot.knowledge.model import (
    ENTRY_KINDS,
    Entry,
    EntryKey,
    EntryKind,
    KnowledgeBase,
    is_entry_kind,
    normalise_name,
)
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.schema import Article, Departure, Org, Person, Role, Takeaway

__all__ = [
    "ENTRY_KINDS", "Article", "Departure", "Entry", "EntryKey", "EntryKind", "KnowledgeBase",
    "KnowledgeError", "Org", "Person", "Problem", "Role", "Takeaway", "is_entry_kind",
    "load_knowledge", "load_knowledge_or_raise", "normalise_name",
]
