"""Load and validate a whole knowledge directory, reporting every problem at once."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bot.clock import utc_now
from bot.folding import fold
from bot.knowledge.checks import Place, Placed, check_dates, check_ids, check_links
from bot.knowledge.model import EntryKey, EntryKind, KnowledgeBase
from bot.knowledge.schema import (
    Article,
    KnowledgeFile,
    LedgerEntry,
    LedgerFile,
    Org,
    OrgsFile,
    Person,
)
from bot.quiz.loader import load_quiz_text
from bot.yamldocs.problems import KnowledgeError, Problem, report_order
from bot.yamldocs.validate import validate_document
from bot.yamldocs.yamlsource import Located, parse_yaml

log = logging.getLogger(__name__)

ARTICLES_DIR = "articles"
PEOPLE_DIR = "people"
ORGS_FILE = "orgs.yaml"
KNOWLEDGE_FILE = "knowledge.yaml"
LEDGER_FILE = "sources.yaml"
QUIZ_DIR = "quiz"
YAML_SUFFIXES = (".yaml", ".yml")

# A quiz loader takes (text, display name) and returns (quiz or None, problems).
QuizLoader = Callable[[str, str], tuple[Any | None, list[Problem]]]


@dataclass
class _Parsed:
    """A validated document and where its parts are, for cross-file checks."""

    display: str
    relative: str
    located: Located
    model: BaseModel


@dataclass(frozen=True)
class _Failed:
    """A file that did not load, and the entry ids it was meant to hold (None: unknown)."""

    relative: str  # as moderators name files: 'people/jan-leike.yaml'
    kind: EntryKind
    ids: frozenset[str] | None


@dataclass
class _Collector:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    parsed: list[_Parsed] = field(default_factory=list)
    failed: list[_Failed] = field(default_factory=list)

    def cause_of(self, kind: EntryKind, entry_id: str) -> str | None:
        """The file that failed to load and would have defined ``entry_id``, if any."""
        for failed in self.failed:
            if failed.kind == kind and (failed.ids is None or entry_id in failed.ids):
                return failed.relative
        return None

    def note_failure(self, relative: str, located: Located | None) -> None:
        kind = _kind_of(relative)
        if kind is not None:
            self.failed.append(_Failed(relative, kind, _meant_ids(kind, relative, located)))

    def display(self, path: Path) -> str:
        rel = os.path.relpath(path)
        return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()

    def read(self, path: Path, model: type[BaseModel]) -> _Parsed | None:
        display = self.display(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(display, 1, 1, f"cannot read file: {exc}"))
            self.note_failure(path.relative_to(self.root).as_posix(), None)
            return None
        return self.parse_text(text, display, path.relative_to(self.root).as_posix(), model)

    def parse_text(
        self, text: str, display: str, relative: str, model: type[BaseModel]
    ) -> _Parsed | None:
        located, problems = parse_yaml(text, display)
        self.problems.extend(problems)
        if located is None:
            self.note_failure(relative, None)
            return None
        instance, problems = validate_document(model, located, display)
        self.problems.extend(problems)
        if instance is None:
            self.note_failure(relative, located)
            return None
        parsed = _Parsed(display, relative, located, instance)
        self.parsed.append(parsed)
        return parsed


def _kind_of(relative: str) -> EntryKind | None:
    """Which kind of entry a knowledge file holds (None: not entries)."""
    parent = Path(relative).parent.as_posix()
    if parent == ARTICLES_DIR:
        return "article"
    if parent == PEOPLE_DIR:
        return "person"
    return "org" if relative == ORGS_FILE else None


def _meant_ids(kind: EntryKind, relative: str, located: Located | None) -> frozenset[str] | None:
    """The ids a file that failed was meant to define, read from what did parse.

    An article or person file is named after its id; ``orgs.yaml`` lists its ids,
    unless it did not parse at all, and then any org id may have been in it.
    """
    data = located.data if located is not None else None
    if kind != "org":
        ids = {Path(relative).stem}
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
        return frozenset(ids)
    orgs = data.get("orgs") if isinstance(data, dict) else None
    if not isinstance(orgs, list):
        return None
    ids = {org["id"] for org in orgs if isinstance(org, dict) and isinstance(org.get("id"), str)}
    return frozenset(ids) if len(ids) == len(orgs) else None


def yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


def load_knowledge(
    root: str | Path,
    *,
    overrides: dict[str, str] | None = None,
    quiz_loader: QuizLoader | None = None,
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load ``root``; return the model (None when anything is wrong) and all problems.

    ``overrides`` maps a path relative to ``root`` to replacement text, so an
    uploaded file can be validated against the rest before anything is written.
    """
    root = Path(root)
    collector = _Collector(root)
    if not root.is_dir():
        return None, [Problem(str(root), 1, 1, "knowledge directory does not exist")]
    overrides = dict(overrides or {})

    def read_all(paths: Iterable[Path], relative_dir: str, model: type[BaseModel],
                 only: str | None = None) -> None:
        seen = {p.relative_to(root).as_posix(): p for p in paths}
        uploaded = {r for r in overrides if _in_dir(r, relative_dir) and only in (None, r)}
        for rel in sorted(set(seen) | uploaded):
            if rel in overrides:
                text = overrides.pop(rel)
                collector.parse_text(text, collector.display(root / rel), rel, model)
            else:
                collector.read(seen[rel], model)

    read_all(yaml_files(root / ARTICLES_DIR), ARTICLES_DIR, Article)
    read_all(yaml_files(root / PEOPLE_DIR), PEOPLE_DIR, Person)
    for name, model in ((ORGS_FILE, OrgsFile), (KNOWLEDGE_FILE, KnowledgeFile),
                        (LEDGER_FILE, LedgerFile)):
        path = root / name
        read_all([path] if path.is_file() else [], "", model, only=name)

    quizzes: dict[str, Any] = {}
    quiz_files = yaml_files(root / QUIZ_DIR)
    if quiz_loader is None and (quiz_files or any(_in_dir(r, QUIZ_DIR) for r in overrides)):
        quiz_loader = load_quiz_text
    if quiz_loader is not None:
        quizzes = _load_quizzes(root, collector, quiz_files, overrides, quiz_loader)

    kb = _assemble(collector)
    if collector.problems:
        return None, report_order(collector.problems)
    kb = KnowledgeBase(kb.articles, kb.people, kb.orgs, quizzes, kb.files,
                       kb.knowledge_as_of, kb.ledger)
    return kb, []


def load_knowledge_or_raise(root: str | Path) -> KnowledgeBase:
    kb, problems = load_knowledge(root)
    if kb is None:
        raise KnowledgeError(problems)
    return kb


def _in_dir(relative: str, directory: str) -> bool:
    parent = Path(relative).parent.as_posix()
    return parent == (directory or ".")


def _load_quizzes(
    root: Path,
    collector: _Collector,
    files: list[Path],
    overrides: dict[str, str],
    loader: QuizLoader,
) -> dict[str, Any]:
    quizzes: dict[str, Any] = {}
    texts = {p.relative_to(root).as_posix(): p for p in files}
    for rel in sorted(set(texts) | {r for r in overrides if _in_dir(r, QUIZ_DIR)}):
        display = collector.display(root / rel)
        try:
            text = overrides.pop(rel) if rel in overrides else texts[rel].read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            collector.problems.append(Problem(display, 1, 1, f"cannot read file: {exc}"))
            continue
        quiz, problems = loader(text, display)
        collector.problems.extend(problems)
        if quiz is not None:
            quizzes[Path(rel).stem] = quiz
    return quizzes


def _assemble(collector: _Collector) -> KnowledgeBase:
    articles: dict[str, Article] = {}
    people: dict[str, Person] = {}
    orgs: dict[str, Org] = {}
    files: dict[EntryKey, str] = {}
    where: dict[EntryKey, tuple[_Parsed, tuple[str | int, ...]]] = {}
    problems = collector.problems
    settings: KnowledgeFile | None = None
    ledger: dict[str, LedgerEntry] = {}

    def claim(kind: EntryKind, entry_id: str, parsed: _Parsed,
              path: tuple[str | int, ...]) -> bool:
        key = EntryKey(kind, entry_id)
        line, col = parsed.located.where((*path, "id"))
        if key in where:
            other = where[key][0]
            problems.append(
                Problem(parsed.display, line, col, f"duplicate {kind} id '{entry_id}' "
                        f"(also in {other.display})")
            )
            return False
        where[key] = (parsed, path)
        files[key] = parsed.relative
        return True

    for parsed in collector.parsed:
        model = parsed.model
        stem = Path(parsed.relative).stem
        if isinstance(model, Article | Person):
            kind: EntryKind = "article" if isinstance(model, Article) else "person"
            if model.id != stem:
                line, col = parsed.located.where(("id",))
                problems.append(Problem(parsed.display, line, col,
                                        f"id '{model.id}' does not match the file name "
                                        f"'{stem}{Path(parsed.relative).suffix}'"))
            if claim(kind, model.id, parsed, ()):
                if isinstance(model, Article):
                    articles[model.id] = model
                else:
                    people[model.id] = model
        elif isinstance(model, OrgsFile):
            for i, org in enumerate(model.orgs):
                if claim("org", org.id, parsed, ("orgs", i)):
                    orgs[org.id] = org
        elif isinstance(model, KnowledgeFile):
            settings = model
        elif isinstance(model, LedgerFile):
            ledger = _read_ledger(collector, parsed, model)

    _check_aliases(collector, people, orgs, where)
    _check_references(collector, articles, people, orgs, where)
    _check_entries(collector, where, articles, people, orgs, settings)
    as_of = settings.knowledge_as_of if settings else None
    return KnowledgeBase(articles, people, orgs, {}, files, as_of, ledger)


def _check_entries(
    collector: _Collector,
    where: dict[EntryKey, tuple[_Parsed, tuple[str | int, ...]]],
    articles: dict[str, Article],
    people: dict[str, Person],
    orgs: dict[str, Org],
    settings: KnowledgeFile | None,
) -> None:
    """Id convention, renames, dates and links: the rules in ``checks.py``."""
    def placed(kind: EntryKind, entry: Article | Person | Org) -> Placed:
        parsed, base = where[EntryKey(kind, entry.id)]
        return Placed(kind, entry, Place(parsed.display, parsed.located, base))

    def report(place: Place, path: tuple[str | int, ...], message: str) -> None:
        line, col = place.where(path)
        collector.problems.append(Problem(place.display, line, col, message))

    items = [*(placed("article", a) for a in articles.values()),
             *(placed("person", p) for p in people.values()),
             *(placed("org", o) for o in orgs.values())]
    check_ids(items, report)
    check_dates(items, utc_now().date(), report)
    check_links(items, report)


def _read_ledger(collector: _Collector, parsed: _Parsed,
                 ledger: LedgerFile) -> dict[str, LedgerEntry]:
    found: dict[str, LedgerEntry] = {}
    for index, entry in enumerate(ledger.sources):
        if entry.url in found:
            line, col = parsed.located.where(("sources", index, "url"))
            collector.problems.append(Problem(parsed.display, line, col,
                                              f"{entry.url} is listed twice"))
        found.setdefault(entry.url, entry)
    return found


def _check_aliases(
    collector: _Collector,
    people: dict[str, Person],
    orgs: dict[str, Org],
    where: dict[EntryKey, tuple[_Parsed, tuple[str | int, ...]]],
) -> None:
    """A name or alias may stand for one entry only, or lookups become ambiguous."""
    owners: dict[str, EntryKey] = {}
    entries: list[tuple[EntryKind, Person | Org]] = [
        *(("person", p) for p in people.values()), *(("org", o) for o in orgs.values())
    ]
    for kind, entry in entries:
        entry_key = EntryKey(kind, entry.id)
        parsed, base = where[entry_key]
        own: set[str] = set()
        names = [("name", entry.name)] + [(i, a) for i, a in enumerate(entry.aliases)]
        for index, name in names:
            key = fold(name)
            path = (*base, "name") if index == "name" else (*base, "aliases", index)
            line, col = parsed.located.where(path)
            owner = owners.get(key)
            if owner is not None and owner != entry_key:
                collector.problems.append(Problem(
                    parsed.display, line, col,
                    f"alias '{name}' is already used by {owner.kind} {owner.id}"))
            elif key in own and index != "name":
                collector.problems.append(Problem(
                    parsed.display, line, col, f"alias '{name}' is listed twice"))
            owners.setdefault(key, entry_key)
            own.add(key)


def _check_references(
    collector: _Collector,
    articles: dict[str, Article],
    people: dict[str, Person],
    orgs: dict[str, Org],
    where: dict[EntryKey, tuple[_Parsed, tuple[str | int, ...]]],
) -> None:
    def dangling(parsed: _Parsed, path: tuple[str | int, ...], what: EntryKind, ref: str,
                 known: dict[str, Any]) -> None:
        line, col = parsed.located.where(path)
        cause = collector.cause_of(what, ref)
        if cause is not None:
            collector.problems.append(Problem(
                parsed.display, line, col,
                f"unknown {what} id '{ref}': follows from the problem in {cause} (fix that "
                "first)", follows_from=cause))
            return
        renamed = [e.id for e in known.values() if ref in e.previous_ids]
        hint = f" (renamed: use '{renamed[0]}')" if renamed else _suggest(ref, known)
        collector.problems.append(Problem(
            parsed.display, line, col, f"unknown {what} id '{ref}'{hint}"))

    for article in articles.values():
        parsed, _ = where[EntryKey("article", article.id)]
        references: tuple[tuple[str, dict[str, Any], EntryKind], ...] = (
            ("people", people, "person"), ("orgs", orgs, "org"), ("related", articles, "article"))
        for field_name, known, what in references:
            for i, ref in enumerate(getattr(article, field_name)):
                if ref not in known:
                    dangling(parsed, (field_name, i), what, ref, known)
                elif field_name == "related" and ref == article.id:
                    line, col = parsed.located.where((field_name, i))
                    collector.problems.append(Problem(
                        parsed.display, line, col, "an article cannot be related to itself"))
        seen: set[str] = set()
        for i, takeaway in enumerate(article.takeaways):
            if takeaway.id in seen:
                line, col = parsed.located.where(("takeaways", i, "id"))
                collector.problems.append(Problem(
                    parsed.display, line, col, f"duplicate takeaway id '{takeaway.id}'"))
            seen.add(takeaway.id)
    for person in people.values():
        if person.departure is not None and person.departure.from_ not in orgs:
            parsed, _ = where[EntryKey("person", person.id)]
            dangling(parsed, ("departure", "from"), "org", person.departure.from_, orgs)


def _suggest(ref: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(ref, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
