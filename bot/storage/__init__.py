"""Persistence: SQLite or PostgreSQL behind small repositories, with numbered migrations.

``LABWIRE_DATABASE_URL`` picks the backend (see :mod:`bot.storage.urls`);
:func:`connect_database` opens it; the repositories (``question_log``,
``quiz_results``, ``moderation``) take the :class:`Database` and hold the SQL.
"""

from bot.storage.connect import connect_database, open_database
from bot.storage.database import Database, DatabaseError, DatabaseUnavailableError, IntegrityError
from bot.storage.urls import DatabaseURLError, parse_database_url, redact_url, sqlite_url

__all__ = [
    "Database",
    "DatabaseError",
    "DatabaseURLError",
    "DatabaseUnavailableError",
    "IntegrityError",
    "connect_database",
    "open_database",
    "parse_database_url",
    "redact_url",
    "sqlite_url",
]
