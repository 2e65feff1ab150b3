"""Writing and removing knowledge files durably, and reading the files the loader reads.

Writes are atomic (:func:`bot.atomic.write_atomic`): a crash leaves either the
old or the new file, never half of one, and a reload running at the same moment
sees one of the two.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from bot.atomic import fsync_directory, write_atomic
from bot.knowledge.loader import ARTICLES_DIR, ORGS_FILE, PEOPLE_DIR, QUIZ_DIR, yaml_files


def remove_file(path: Path) -> None:
    """Delete ``path`` (a revert of an added entry) and make the removal durable."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fsync_directory(path.parent)


def write_or_remove(path: Path, text: str) -> None:
    """'' means the file should not exist (the before-text of an added entry)."""
    if text:
        write_atomic(path, text)
    else:
        remove_file(path)


def read_text_or_empty(path: Path) -> str:
    """The file's text, or '' when it does not exist."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return ""


def knowledge_files(root: Path) -> list[Path]:
    """Every file the loader reads, in a stable order."""
    files = [*yaml_files(root / ARTICLES_DIR), *yaml_files(root / PEOPLE_DIR)]
    if (root / ORGS_FILE).is_file():
        files.append(root / ORGS_FILE)
    files.extend(yaml_files(root / QUIZ_DIR))
    return files


def read_knowledge_texts(root: Path) -> dict[str, str]:
    """``{relative path: text}`` for every knowledge file; unreadable ones are skipped
    (the loader reports them with a line and column)."""
    texts: dict[str, str] = {}
    for path in knowledge_files(root):
        try:
            texts[path.relative_to(root).as_posix()] = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return texts
