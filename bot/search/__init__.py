"""The answer engine: matching questions to knowledge entries and building answers.

Pure and synchronous; nothing here imports discord.
"""

from bot.search.engine import Engine
from bot.search.types import Answer, EntryRef, Link, Result

__all__ = ["Answer", "Engine", "EntryRef", "Link", "Result"]
