"""Which entry an uploaded file holds, where it belongs, and the file text to write.

Articles and people each have their own file; organisations share
``knowledge/orgs.yaml``, so an uploaded single-org mapping is merged into it in
place of the entry with the same id (or appended).  A whole ``orgs.yaml`` (a
mapping with an ``orgs`` list) replaces that file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal, TypeGuard

from pydantic import BaseModel

from bot.knowledge import EntryKey, KnowledgeBase, Problem, is_entry_kind
from bot.knowledge.loader import ARTICLES_DIR, ORGS_FILE, PEOPLE_DIR
from bot.knowledge.schema import Article, Org, OrgsFile, Person
from bot.moderation import yamltext
from bot.wording import plural
from bot.yamldocs.validate import validate_document
from bot.yamldocs.yamlsource import parse_yaml

UploadKind = Literal["article", "person", "org", "orgs"]
UPLOAD_KINDS: tuple[UploadKind, ...] = ("article", "person", "org", "orgs")


def is_upload_kind(text: str) -> TypeGuard[UploadKind]:
    return text in UPLOAD_KINDS

_MODELS: dict[UploadKind, type[BaseModel]] = {
    "article": Article, "person": Person, "org": Org, "orgs": OrgsFile,
}
# Keys only one kind has; the rest (id, name, summary, …) people and orgs share.
_ARTICLE_ONLY = {"title", "url", "outlet", "author", "published", "takeaways", "sources",
                 "related", "notes"}
_PERSON_ONLY = {"roles", "departure"}


@dataclass(frozen=True)
class PlannedFile:
    """An upload that validated on its own: its entry and the file text to write."""

    kind: UploadKind
    entry_id: str
    relpath: str
    text: str

    @property
    def entry_key(self) -> EntryKey | None:
        """The entry's key in the model, or None for a whole orgs.yaml."""
        return EntryKey(self.kind, self.entry_id) if is_entry_kind(self.kind) else None


def _guess_kind(data: dict[str, object], kb: KnowledgeBase) -> UploadKind | None:
    keys = set(data)
    if keys & _ARTICLE_ONLY:  # before 'orgs': articles list org ids under that key too
        return "article"
    if "orgs" in keys:
        return "orgs"
    if keys & _PERSON_ONLY:
        return "person"
    entry_id = data.get("id")
    if isinstance(entry_id, str):
        in_people, in_orgs = entry_id in kb.people, entry_id in kb.orgs
        if in_people != in_orgs:
            return "person" if in_people else "org"
    return None


def default_path(kind: UploadKind, entry_id: str) -> str:
    if kind == "article":
        return f"{ARTICLES_DIR}/{entry_id}.yaml"
    if kind == "person":
        return f"{PEOPLE_DIR}/{entry_id}.yaml"
    return ORGS_FILE


def plan_upload(
    text: str,
    display: str,
    kb: KnowledgeBase,
    current_text: dict[str, str],
    kind: UploadKind | None = None,
) -> tuple[PlannedFile | None, list[Problem]]:
    """Validate ``text`` on its own and work out the file it becomes.

    ``current_text`` maps a relative path to its current text ('' if absent); it
    is consulted for orgs.yaml, which an org upload is merged into.
    """
    located, problems = parse_yaml(text, display)
    if located is None or problems:
        return None, problems
    if not isinstance(located.data, dict):
        line, col = located.where(())
        return None, [Problem(display, line, col, "expected one article, person or org "
                                                  "(a mapping of keys to values)")]
    kind = kind or _guess_kind(located.data, kb)
    if kind is None and display.endswith(".org.yaml"):  # the name /kb download gives orgs
        kind = "org"
    if kind is None:
        return None, [Problem(display, 1, 1, "cannot tell whether this is a person or an "
                                             "organisation; say which with the kind option")]
    instance, problems = validate_document(_MODELS[kind], located, display)
    if instance is None:
        return None, problems
    if kind == "orgs":
        return PlannedFile("orgs", "orgs", ORGS_FILE, text), []
    entry_id = str(getattr(instance, "id"))  # noqa: B009 - every entry model has an id
    relpath = kb.files.get(EntryKey(kind, entry_id)) or default_path(kind, entry_id)
    if kind != "org":
        return PlannedFile(kind, entry_id, relpath, text), []
    try:
        merged = yamltext.merge_org(current_text.get(relpath, ""), entry_id, text)
    except yamltext.LayoutError as exc:
        return None, [Problem(ORGS_FILE, 1, 1, f"cannot merge the org into {ORGS_FILE}: {exc}; "
                                               "upload the whole orgs.yaml instead")]
    return PlannedFile("org", entry_id, relpath, merged), []


def entry_text(kb: KnowledgeBase, key: EntryKey, file_text: str) -> tuple[str, str] | None:
    """``(file name, YAML text)`` for one entry, ready to send back to a moderator."""
    relpath = kb.files.get(key)
    if relpath is None:
        return None
    if key.kind != "org":
        return relpath.rsplit("/", 1)[-1], file_text
    body = yamltext.extract_org(file_text, key.id)
    return (f"{key.id}.org.yaml", body) if body is not None else None


def entries_in_file(relpath: str, before: str, after: str) -> str | None:
    """The entry keys a change to ``relpath`` touched, comma-separated (None if unknown)."""
    stem = relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if relpath.startswith(f"{ARTICLES_DIR}/"):
        return str(EntryKey("article", stem))
    if relpath.startswith(f"{PEOPLE_DIR}/"):
        return str(EntryKey("person", stem))
    if relpath.startswith("quiz/"):
        return f"quiz:{stem}"  # quizzes are not entries, but their history is kept the same way
    if relpath == ORGS_FILE:
        changed = _changed_orgs(before, after)
        return ",".join(str(EntryKey("org", i)) for i in changed) if changed else None
    return None


def _org_texts(text: str) -> dict[str, str]:
    try:
        return {i: yamltext.extract_org(text, i) or "" for i, _ in yamltext.org_items(text)[1]}
    except yamltext.LayoutError:
        return {}


def _changed_orgs(before: str, after: str) -> list[str]:
    old, new = _org_texts(before), _org_texts(after)
    return sorted(i for i in set(old) | set(new) if old.get(i) != new.get(i))


def short_diff(before: str, after: str, file: str, max_lines: int = 40) -> str:
    """A unified diff of at most ``max_lines`` lines, saying how many were left out."""
    lines = list(difflib.unified_diff(
        before.splitlines(), after.splitlines(),
        fromfile=f"a/{file}" if before else "/dev/null",
        tofile=f"b/{file}" if after else "/dev/null", lineterm="", n=1))
    if len(lines) > max_lines:
        hidden = len(lines) - max_lines
        lines = [*lines[:max_lines], f"… {plural(hidden, 'more diff line')}"]
    return "\n".join(lines)
