"""Atomic knowledge-file writes and reading the files the loader reads.

A write goes to a temporary file in the same directory, is fsynced, then
renamed over the target, so a crash leaves either the old or the new file,
never half of one, and a reload running at the same moment sees one of the two.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from bot.knowledge.loader import ARTICLES_DIR, ORGS_FILE, PEOPLE_DIR, QUIZ_DIR, yaml_files


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, newlines as given) atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(path.parent)


def remove_file(path: Path) -> None:
    """Delete ``path`` (a revert of an added entry) and make the removal durable."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _fsync_directory(path.parent)


def write_or_remove(path: Path, text: str) -> None:
    """'' means the file should not exist (the before-text of an added entry)."""
    if text:
        atomic_write_text(path, text)
    else:
        remove_file(path)


def _fsync_directory(directory: Path) -> None:
    # The rename itself is only durable once the directory entry is flushed.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


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
