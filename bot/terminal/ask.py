"""``labwire ask`` and ``labwire chat``: the answer engine in the terminal."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.knowledge import EntryKey, KnowledgeBase
from bot.quiz.schema import Quiz
from bot.search import Answer, Engine, Result
from bot.search.answers import latest_stories
from bot.search.dates import format_date
from bot.search.render import PLAIN, coverage_text, latest_text
from bot.search.types import AnswerKind, Latest, shown_entry_key
from bot.settings import Settings
from bot.storage.urls import DatabaseURLError, parse_database_url
from bot.terminal.common import (
    EXIT_USAGE,
    add_database_arg,
    add_knowledge_arg,
    database_from,
    load_or_report,
)
from bot.terminal.questions import NoRecorder, Recorder, question_recorder
from bot.terminal.render import format_answer, format_result, wrap
from bot.terminal.risk import run_and_save

HELP = """Ask anything about AI-lab news: departures, deals, safety, policy.
  e.g.  why did Kalinowski quit?   who is Jan Leike   what happened with Anthropic and the Pentagon
A question after an answer may follow up on it ("so did they win in court?").
Commands (upper or lower case):
  /help            this help
  /latest [N]      the N newest stories, numbered (default 5, at most 20)
  /risk            the 'Will AI replace your job?' quiz (4 questions)
  1, 2, 3 ...      open that item of the numbered list on screen
  more             the whole entry behind the last answer
  /clear           clear the screen
  /quit            leave (so do exit, quit and Ctrl-D)"""
COMMANDS = ("help", "latest", "risk", "clear", "quit", "more")
QUIT_COMMANDS = frozenset({"quit", "exit", "q"})
# Typed without the slash: these act as their command, the others get a one-line hint
# (a bare "risk" may be a question about risk).
BARE_COMMANDS = {"exit": "quit", "quit": "quit", "help": "help", "?": "help", "clear": "clear",
                 "more": "more"}
BARE_HINTS = {
    "latest": "Type /latest for the newest stories, or ask a whole question.",
    "risk": "Type /risk to take the 'Will AI replace your job?' quiz, or ask a whole question.",
}
LATEST_DEFAULT, LATEST_MAX = 5, 20
USAGE = {
    "help": "Usage: /help (no arguments).",
    "latest": f"Usage: /latest [N]: the N newest stories, N a whole number from 1 to "
              f"{LATEST_MAX} (default {LATEST_DEFAULT}).",
    "risk": "Usage: /risk (no arguments): the 4-question quiz.",
    "clear": "Usage: /clear (no arguments).",
    "more": "Usage: more (no arguments): the whole entry behind the last answer.",
}
NO_LIST = "There is no numbered list on screen to pick from. Ask a question, or type /latest."
EMPTY_QUESTION = ('ask a question, e.g. labwire ask "who is Jan Leike" '
                  "(or - to read one question per line from stdin)")
MORE_HINT = "(more: the whole entry)"


def register(sub: Any) -> None:
    ask = sub.add_parser("ask", help="answer one question (or one per line from stdin with -)")
    ask.add_argument("question", nargs="+",
                     help="the question (several words need no quotes), or - to read one "
                          "question per line from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    add_knowledge_arg(ask)
    add_database_arg(ask, "where questions are logged")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="an interactive session in the terminal")
    add_knowledge_arg(chat)
    add_database_arg(chat, "where quiz results and questions are saved")
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

    try:
        sqlite_file = parse_database_url(database or settings.database).path
    except DatabaseURLError:  # reported when the database is opened; the cache still works
        sqlite_file = None
    if sqlite_file is None or str(sqlite_file) == ":memory:":
        sqlite_file = settings.db_path
    cache = embedding_cache_path(sqlite_file)
    return EngineOptions(settings.semantic, cache).build(kb)


def _emit(result: Result, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
    else:
        print(format_result(result) + _how_to_pick(result))


def _how_to_pick(result: Result) -> str:
    """`labwire ask` cannot pick from a list: say how to ask for one of the suggestions."""
    if result.answered or not result.suggestions:
        return ""
    return (f'\nThe numbers work in labwire chat; here, ask for one by name, e.g. '
            f'labwire ask "{result.suggestions[0].title}".')


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from_stdin = args.question == ["-"]
    if not from_stdin and not " ".join(args.question).strip():
        print(f"labwire ask: {EMPTY_QUESTION}", file=sys.stderr)
        return EXIT_USAGE
    kb = load_or_report(args.knowledge or settings.knowledge_dir)
    if kb is None:
        return 1
    engine = build_engine(kb, settings, database_from(args.db, settings))
    with question_recorder(args, settings) as recorder:
        questions = (line.strip() for line in sys.stdin) if from_stdin \
            else iter([" ".join(args.question)])
        for question in questions:
            if question:
                result = engine.ask(question)
                recorder.record(result)
                _emit(result, args.json)
    return 0


@dataclass(frozen=True)
class Numbered:
    """The numbered list on screen: what each number opens, and the question it answers."""

    items: tuple[tuple[AnswerKind, str], ...]  # (kind, id) for 1, 2, 3, ...
    log_id: int | None = None  # the logged question whose suggestions these are
    question: str | None = None  # the question they answer (an answer is phrased for it)


class ChatSession:
    """The read-answer loop, with I/O injected so tests can drive it."""

    def __init__(self, engine: Engine, read: Callable[[str], str], say: Callable[[str], None],
                 run_quiz: Callable[[], object] | None = None, *,
                 recorder: Recorder | None = None,
                 clear_screen: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self.read = read
        self.say = say
        self.run_quiz = run_quiz
        self.recorder: Recorder = recorder or NoRecorder()
        self.clear_screen = clear_screen or (lambda: None)
        self.last: Result | None = None
        self.numbered = Numbered(())
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
                line = self.read("you> ")
            except EOFError:
                self.say("")
                break
            except KeyboardInterrupt:
                self.say("\n(/quit or Ctrl-D to leave)")
                continue
            if not self.handle(line):
                break
        self.say("Bye.")

    def handle(self, line: str) -> bool:
        """Act on one line; False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.isdigit():
            self._pick(int(text))
            return True
        shown_list = self.numbered
        self.numbered = Numbered(())  # a number only picks from the list on screen
        if text.startswith("/"):
            return self._command(text)
        word = text.lower().rstrip(".!")
        if word in BARE_COMMANDS:
            return self._command("/" + BARE_COMMANDS[word])
        if word in BARE_HINTS:
            self.numbered = shown_list
            self.say(BARE_HINTS[word])
            return True
        self._ask(text)
        return True

    def _command(self, text: str) -> bool:
        """``/name [argument]``, in any case; bad arguments get the command's usage."""
        name, _, argument = text[1:].partition(" ")
        name, argument = name.lower(), argument.strip()
        if name in QUIT_COMMANDS:
            return False
        if name == "latest":
            self._latest(argument)
        elif name not in COMMANDS:
            self._unknown(name)
        elif argument:
            self.say(USAGE[name])
        elif name == "help":
            self.say(f"{HELP}\n{coverage(self.engine.kb)}")
        elif name == "more":
            self._more()
        elif name == "clear":
            self.clear_screen()
        elif self.run_quiz is None:
            self.say("The risk quiz is not available here.")
        else:
            self.run_quiz()
        return True

    def _unknown(self, name: str) -> None:
        close = difflib.get_close_matches(name, [*COMMANDS, *QUIT_COMMANDS], n=1, cutoff=0.6)
        hint = f" Did you mean /{close[0]}?" if close else ""
        self.say(f"Unknown command /{name}.{hint} Type /help for the commands.")

    def _ask(self, question: str) -> None:
        self.last = self.engine.ask(question, self.context)
        log_id = self.recorder.record(self.last)
        answer = self.last.answer
        if self.last.route == "latest" and self.last.latest is not None:
            self._show_latest(self.last.latest)
            return
        if self.last.route is None and self.last.answered and answer is not None:
            self._show(answer, self.last)
            return
        self.say(format_result(self.last))
        if not self.last.answered and self.last.suggestions:
            items = tuple((s.kind, s.id) for s in self.last.suggestions)
            self.numbered = Numbered(items, log_id, question)

    def _pick(self, number: int) -> None:
        items = self.numbered.items
        if not items:
            self.say(NO_LIST)
            return
        if not 1 <= number <= len(items):
            choice = "1" if len(items) == 1 else f"a number from 1 to {len(items)}"
            self.say(f"There is no {number} in the list: type {choice}.")
            return
        kind, entry_id = items[number - 1]
        answer = self.engine.answer_for(kind, entry_id, self.numbered.question)
        if answer is None:
            self.say("That entry is no longer in the knowledge base.")
            return
        if self.numbered.log_id is not None:
            self.recorder.picked(self.numbered.log_id, answer)
        self._show(answer)

    def _show(self, answer: Answer, result: Result | None = None) -> None:
        about = result.context_used if result is not None else None
        self.shown = answer
        self.say(f"{format_answer(answer, about, full=False)}\n{MORE_HINT}")

    def _more(self) -> None:
        if self.shown is None:
            self.say("Ask something first; 'more' then shows the whole entry.")
            return
        answer = self.engine.answer_for(self.shown.kind, self.shown.id)
        self.say(format_answer(answer) if answer else "That entry is no longer in the "
                 "knowledge base.")

    def _latest(self, argument: str) -> None:
        count = _latest_count(argument)
        if count is None:
            self.say(USAGE["latest"])
            return
        self._show_latest(latest_stories(self.engine.kb, count))

    def _show_latest(self, latest: Latest) -> None:
        self.say(wrap(latest_text(latest, PLAIN)))
        # The same stories in the same order, so each number opens the story beside it.
        by_url = {a.url: a.id for a in self.engine.kb.articles.values()}
        self.numbered = Numbered(tuple(("article", by_url[item.url]) for item in latest.items))


def _latest_count(argument: str) -> int | None:
    if not argument:
        return LATEST_DEFAULT
    if argument.isdigit() and 1 <= int(argument) <= LATEST_MAX:
        return int(argument)
    return None


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_or_report(args.knowledge or settings.knowledge_dir)
    if kb is None:
        return 1
    _enable_line_editing()
    database = database_from(args.db, settings)
    quiz = _quiz_runner(kb, database)
    with question_recorder(args, settings) as recorder:
        session = ChatSession(build_engine(kb, settings, database), input, print, quiz,
                              recorder=recorder, clear_screen=_clear_screen)
        session.run()
    return 0


def _clear_screen() -> None:
    if sys.stdout.isatty():
        print("\033[H\033[2J", end="", flush=True)


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
