"""Persistence: aiosqlite with numbered migrations behind small repository interfaces."""

from bot.storage.database import Database

__all__ = ["Database"]
