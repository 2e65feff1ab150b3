"""``labwire ask`` and ``labwire chat``: the answer engine in the terminal."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from typing import Any

from bot.knowledge import EntryKey, KnowledgeBase
from bot.quiz.schema import Quiz
from bot.search import Answer, Engine, Result
from bot.search.answers import latest_stories
from bot.search.dates import format_date
from bot.search.render import PLAIN, coverage_text, latest_text
from bot.search.types import shown_entry_key
from bot.settings import Settings
from bot.storage.urls import parse_database_url
from bot.terminal.common import add_database_arg, add_knowledge_arg, database_from, load_or_report
from bot.terminal.render import format_answer, format_result, wrap
from bot.terminal.risk import run_and_save

HELP = """Ask anything about AI-lab news: departures, deals, safety, policy.
  e.g.  why did Kalinowski quit?   who is Jan Leike   what happened with Anthropic and the Pentagon
A question after an answer may follow up on it ("so did they win in court?").
Commands:
  /help            this help
  /latest [n]      the newest stories
  /risk            the 'Will AI replace your job?' quiz (4 questions)
  more             the whole entry behind the last answer
  1, 2, 3          open a suggestion from the last reply
  /quit            leave (Ctrl-D works too)"""
MORE_HINT = "(more: the whole entry)"


def register(sub: Any) -> None:
    ask = sub.add_parser("ask", help="answer one question (or one per line from stdin with -)")
    ask.add_argument("question", nargs="+", help="the question, or - to read lines from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    add_knowledge_arg(ask)
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="an interactive session in the terminal")
    add_knowledge_arg(chat)
    add_database_arg(chat, "where quiz results are saved")
    chat.set_defaults(func=cmd_chat)


def coverage(kb: KnowledgeBase) -> str:
    """'My notes cover stories from Jan 2025 to Apr 2026, checked on 28 Apr 2026.'"""
    latest = latest_stories(kb, 0)
    checked = f", checked on {format_date(kb.knowledge_as_of)}" if kb.knowledge_as_of else ""
    return f"My notes cover {coverage_text(latest.first, latest.last)}{checked}."


def build_engine(kb: KnowledgeBase, settings: Settings, database: str | None = None) -> Engine:
    """The engine as the bot builds it: ``LABWIRE_SEMANTIC``, and the embedding cache next
    to the SQLite file in use (``--db``, else the configured database), or next to
    ``LABWIRE_DB`` when the database is PostgreSQL."""
    from bot.runtime import EngineOptions, embedding_cache_path

    sqlite_file = parse_database_url(database or settings.database).path
    if sqlite_file is None or str(sqlite_file) == ":memory:":
        sqlite_file = settings.db_path
    cache = embedding_cache_path(sqlite_file)
    return EngineOptions(settings.semantic, cache).build(kb)


def _emit(result: Result, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
    else:
        print(format_result(result))


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_or_report(args.knowledge or settings.knowledge_dir)
    if kb is None:
        return 1
    engine = build_engine(kb, settings)
    if args.question == ["-"]:
        for line in sys.stdin:
            if line.strip():
                _emit(engine.ask(line.rstrip("\n")), args.json)
        return 0
    _emit(engine.ask(" ".join(args.question)), args.json)
    return 0


class ChatSession:
    """The read-answer loop, with I/O injected so tests can drive it."""

    def __init__(self, engine: Engine, read: Callable[[str], str], say: Callable[[str], None],
                 run_quiz: Callable[[], object] | None = None) -> None:
        self.engine = engine
        self.read = read
        self.say = say
        self.run_quiz = run_quiz
        self.last: Result | None = None
        self.shown: Answer | None = None  # the last answer shown: 'more' and follow-ups

    @property
    def context(self) -> EntryKey | None:
        """What a follow-up is about: the entry of the last answer shown."""
        return shown_entry_key(self.shown.kind, self.shown.id) if self.shown else None

    def run(self) -> None:
        kb = self.engine.kb
        c = kb.counts()
        self.say(f"Labwire: {c['articles']} stories, {c['people']} people and {c['orgs']} "
                 f"organisations. {coverage(kb)} Ask a question, or /help.")
        while True:
            try:
                line = self.read("you> ").strip()
            except EOFError:
                self.say("")
                break
            except KeyboardInterrupt:
                self.say("\n(/quit or Ctrl-D to leave)")
                continue
            if line in ("/quit", "/exit", "/q"):
                break
            if line:
                self.handle(line)
        self.say("Bye.")

    def handle(self, line: str) -> None:
        if line == "/help":
            self.say(f"{HELP}\n{coverage(self.engine.kb)}")
        elif line.lower() in ("more", "/more"):
            self._more()
        elif line.startswith("/latest"):
            self._latest(line)
        elif line == "/risk":
            if self.run_quiz is None:
                self.say("The risk quiz is not available here.")
            else:
                self.run_quiz()
        elif line.startswith("/"):
            self.say(f"Unknown command {line.split()[0]}. Type /help.")
        elif line.isdigit() and self.last and 1 <= int(line) <= len(self.last.suggestions):
            pick = self.last.suggestions[int(line) - 1]
            answer = self.engine.answer_for(pick.kind, pick.id, self.last.question)
            if answer is None:
                self.say("That entry is gone.")
            else:
                self._show(answer)
        else:
            self.last = self.engine.ask(line, self.context)
            answer = self.last.answer
            if self.last.route is None and self.last.answered and answer is not None:
                self._show(answer, self.last)
            else:
                self.say(format_result(self.last))

    def _show(self, answer: Answer, result: Result | None = None) -> None:
        about = result.context_used if result is not None else None
        self.shown = answer
        self.say(f"{format_answer(answer, about, full=False)}\n{MORE_HINT}")

    def _more(self) -> None:
        if self.shown is None:
            self.say("Ask something first; 'more' then shows the whole entry.")
            return
        answer = self.engine.answer_for(self.shown.kind, self.shown.id)
        self.say(format_answer(answer) if answer else "That entry is gone.")

    def _latest(self, line: str) -> None:
        parts = line.split()
        count = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 5
        latest = latest_stories(self.engine.kb, max(1, min(count, 20)))
        self.say(wrap(latest_text(latest, PLAIN)))


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_or_report(args.knowledge or settings.knowledge_dir)
    if kb is None:
        return 1
    _enable_line_editing()
    database = database_from(args.db, settings)
    session = ChatSession(build_engine(kb, settings, database), input, print,
                          _quiz_runner(kb, database))
    session.run()
    return 0


def _enable_line_editing() -> None:
    # Importing readline gives input() arrow keys and history. Windows has no readline;
    # there the line is plain, which loses nothing but comfort.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401


def _quiz_runner(kb: KnowledgeBase, database: str) -> Callable[[], object] | None:
    quiz = kb.quizzes.get("risk")
    if not isinstance(quiz, Quiz):
        return None
    return lambda: run_and_save(quiz, database, input, print)
