"""Knowledge base: schema, loading with located validation, and the immutable model."""

from bot.knowledge.loader import load_knowledge, load_knowledge_or_raise
from bot.knowledge.model import EntryKind, KnowledgeBase, normalise_name
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.schema import Article, Departure, Org, Person, Role, Takeaway

__all__ = [
    "Article", "Departure", "EntryKind", "KnowledgeBase", "KnowledgeError", "Org", "Person",
    "Problem", "Role", "Takeaway", "load_knowledge", "load_knowledge_or_raise", "normalise_name",
]
