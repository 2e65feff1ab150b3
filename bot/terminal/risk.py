"""``labwire risk``: the "Will AI replace your job?" quiz in the terminal.

Interactive by default (numbered choices, re-asks on bad input, Ctrl-C or
Ctrl-D leaves without saving); ``--answer question=option`` (repeated) scores
without prompting, ``--json`` prints the result as JSON.  The result is saved
to the database (``--db``) under the user id ``terminal`` unless ``--no-save``.

``run_quiz_interactive`` is the reusable flow; ``labwire chat``'s ``/risk``
calls it with its own ``ask``/``say``.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.quiz.loader import load_quiz_file
from bot.quiz.render import WIDTH, format_question, format_result_text
from bot.quiz.schema import Option, Question, Quiz
from bot.quiz.scoring import AnswerError, QuizResult, score
from bot.settings import Settings
from bot.storage import parse_database_url
from bot.storage.question_log import TERMINAL_USER
from bot.storage.quiz_results import QuizResults, StoredQuizResult
from bot.terminal.common import (
    EXIT_CANCELLED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    add_database_arg,
    add_knowledge_arg,
    database_from,
    user_name,
)
from bot.terminal.database import UnusableDatabaseError, opened
from bot.yamldocs.problems import Problem

QUIZ_FILE = Path("quiz") / "risk.yaml"
QUIT_WORDS = frozenset({"q", "quit", "exit"})

EXIT_BAD_ANSWERS = EXIT_USAGE


# --- reusable pieces (also used by `labwire chat`) ----------------------------------------

def load_risk_quiz(knowledge_dir: Path) -> tuple[Quiz | None, list[Problem]]:
    """Load only ``<knowledge>/quiz/risk.yaml``, so a half-edited article can't block the quiz."""
    return load_quiz_file(knowledge_dir / QUIZ_FILE)


def run_quiz_interactive(
    quiz: Quiz, ask: Callable[[str], str], say: Callable[[str], None]
) -> QuizResult | None:
    """Ask every question, show the result and return it; None if the user quits.

    ``ask(prompt)`` returns one line; EOFError or KeyboardInterrupt from it (Ctrl-D,
    Ctrl-C) or typing ``q`` cancels.  Nothing is saved here: the caller saves.
    """
    say(quiz.title)
    if quiz.intro:
        say(textwrap.fill(quiz.intro, WIDTH))
    say("Answer with the number of your choice (or its id); type q to quit.")
    answers: dict[str, str] = {}
    total = len(quiz.questions)
    for number, question in enumerate(quiz.questions, start=1):
        say("")
        say(format_question(question, number, total))
        option = _ask_option(question, ask, say)
        if option is None:
            say("\nQuiz cancelled.")
            return None
        answers[question.id] = option.id
    result = score(quiz, answers)
    say("")
    say(format_result_text(result))
    return result


def _ask_option(
    question: Question, ask: Callable[[str], str], say: Callable[[str], None]
) -> Option | None:
    count = len(question.options)
    while True:
        try:
            reply = ask(f"Your choice [1-{count}]: ").strip()
        except (EOFError, KeyboardInterrupt):
            return None
        if reply.lower() in QUIT_WORDS:
            return None
        option = _match_option(question, reply)
        if option is not None:
            return option
        shown = f"'{reply}' is not one of the choices" if reply else "Please choose an answer"
        say(f"{shown}: type a number from 1 to {count}, or q to quit.")


def _match_option(question: Question, reply: str) -> Option | None:
    if reply.isdigit() and 1 <= int(reply) <= len(question.options):
        return question.options[int(reply) - 1]
    return question.option(reply.lower())


async def save_result(
    result: QuizResult, *, database: str, user_id: str | int = TERMINAL_USER,
    guild_id: str | int | None = None,
) -> StoredQuizResult:
    """Save one result in ``database`` (a URL); returns after the row is committed."""
    async with opened(database) as db:
        return await QuizResults(db).save(result, user_id=user_id, guild_id=guild_id)


def save_result_blocking(
    result: QuizResult, *, database: str, user_id: str | int = TERMINAL_USER,
) -> StoredQuizResult:
    """:func:`save_result` for synchronous callers (the terminal REPL)."""
    return asyncio.run(save_result(result, database=database, user_id=user_id))


def shown(database: str) -> str:
    """Where results go, for messages: the SQLite file, or the URL without its password."""
    try:
        target = parse_database_url(database)
    except ValueError:
        return "the database"
    return str(target.path) if target.path else target.display


def run_and_save(
    quiz: Quiz, database: str, ask: Callable[[str], str], say: Callable[[str], None],
    *, user_id: str | int = TERMINAL_USER,
) -> QuizResult | None:
    """The whole terminal flow for ``labwire chat``'s ``/risk``: ask, show, save, confirm.

    Says "Saved" only after the row is committed; a cancelled quiz saves nothing.
    """
    result = run_quiz_interactive(quiz, ask, say)
    if result is None:
        say("Nothing was saved.")
        return None
    try:
        saved = save_result_blocking(result, database=database, user_id=user_id)
    except (UnusableDatabaseError, ValueError) as exc:
        say(f"The result was not saved: {exc}")
        return result
    say(f"\nSaved as {saved.user_id}'s latest result in {shown(database)}.")
    return result


# --- the command -------------------------------------------------------------------------

def register(sub: Any) -> None:
    parser = sub.add_parser(
        "risk", help="take the 'Will AI replace your job?' quiz",
        description="Four questions, a 0-100 score with the arithmetic shown, and the "
                    "sources behind every answer. Interactive unless --answer is given.",
        epilog="example: labwire risk --answer stack=frontend --answer career=junior "
               "--answer work=tickets --answer ai=autocomplete --json",
    )
    parser.add_argument("--answer", "-a", action="append", default=[],
                        metavar="QUESTION=OPTION",
                        help="answer one question without prompting (repeat for each)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--list", action="store_true",
                        help="list the questions and their option ids, then exit")
    add_database_arg(parser, "where the result is saved")
    parser.add_argument("--user", default=TERMINAL_USER, type=user_name, metavar="NAME",
                        help="the user to save the result under (default: terminal)")
    parser.add_argument("--no-save", action="store_true", help="don't save the result")
    add_knowledge_arg(parser)
    parser.set_defaults(func=cmd_risk)


def cmd_risk(args: argparse.Namespace, settings: Settings) -> int:
    quiz, problems = load_risk_quiz(args.knowledge or settings.knowledge_dir)
    if quiz is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("The quiz file has problems; fix them and try again.", file=sys.stderr)
        return 1
    if args.list:
        print(_list_options(quiz))
        return 0
    database = database_from(args.db, settings)
    if args.answer:
        return _run_with_answers(quiz, args, database)
    return _run_interactive(quiz, args, database)


def _list_options(quiz: Quiz) -> str:
    lines = []
    for question in quiz.questions:
        lines.append(f"{question.id}: {question.prompt}")
        lines += [f"  {n}  {o.id:<14} {o.label}" for n, o in enumerate(question.options, 1)]
    lines.append("Answer with the id or the number, e.g. --answer stack=frontend or stack=1.")
    return "\n".join(lines)


def _parse_answers(quiz: Quiz, pairs: list[str]) -> dict[str, str]:
    """``QUESTION=OPTION`` pairs as {question id: option id}.

    Ids are matched in any case, and an option may be given by the number the
    interactive quiz shows; every value that fits nothing gets a "did you mean".
    """
    answers: dict[str, str] = {}
    problems: list[str] = []
    for pair in pairs:
        typed_question, sep, typed_option = (part.strip() for part in pair.partition("="))
        if not sep or not typed_question or not typed_option:
            problems.append(f"'{pair}' should look like QUESTION=OPTION, e.g. stack=frontend")
            continue
        question = _find_question(quiz, typed_question)
        if question is None:
            problems.append(_unknown_question(quiz, typed_question))
            continue
        option = _find_option(question, typed_option)
        if option is None:
            problems.append(_unknown_option(question, typed_option))
        elif answers.get(question.id, option.id) != option.id:
            problems.append(f"'{question.id}' is answered twice ({answers[question.id]}, "
                            f"{option.id})")
        else:
            answers[question.id] = option.id
    if problems:
        raise AnswerError(problems)
    return answers


def _find_question(quiz: Quiz, typed: str) -> Question | None:
    return next((q for q in quiz.questions if q.id.lower() == typed.lower()), None)


def _find_option(question: Question, typed: str) -> Option | None:
    if typed.isdigit():
        number = int(typed)
        return question.options[number - 1] if 1 <= number <= len(question.options) else None
    return next((o for o in question.options if o.id.lower() == typed.lower()), None)


def _did_you_mean(typed: str, choices: list[str], *, numbered: bool = False) -> str:
    """'did you mean 'x'?' for a close choice, else all of them: every bad value gets one."""
    close = difflib.get_close_matches(typed.lower(), choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"did you mean one of {', '.join(choices)}{' (or its number)' if numbered else ''}?"


def _unknown_question(quiz: Quiz, typed: str) -> str:
    ids = [q.id for q in quiz.questions]
    return f"unknown question '{typed}': {_did_you_mean(typed, ids)}"


def _unknown_option(question: Question, typed: str) -> str:
    ids = [o.id for o in question.options]
    if typed.isdigit():
        return (f"'{question.id}' has no option {typed}: did you mean 1 to {len(ids)}, or one "
                f"of {', '.join(ids)}?")
    hint = _did_you_mean(typed, ids, numbered=True)
    listed = "" if hint.startswith("did you mean one of") else \
        f" (choose one of: {', '.join(ids)}, or 1 to {len(ids)})"
    return f"'{typed}' is not an answer to '{question.id}': {hint}{listed}"


def _run_with_answers(quiz: Quiz, args: argparse.Namespace, database: str) -> int:
    try:
        result = score(quiz, _parse_answers(quiz, args.answer))
    except AnswerError as exc:
        for problem in exc.problems:
            print(f"labwire risk: {problem}", file=sys.stderr)
        print("See all ids with: labwire risk --list", file=sys.stderr)
        return EXIT_BAD_ANSWERS
    return _report(result, args, database)


def _run_interactive(quiz: Quiz, args: argparse.Namespace, database: str) -> int:
    # With --json, stdout carries only the JSON; the conversation goes to stderr.
    out = sys.stderr if args.json else sys.stdout
    interrupted = False

    def ask(prompt: str) -> str:
        nonlocal interrupted
        try:  # Ctrl-C may land while the prompt is printed, too
            print(prompt, end="", file=out, flush=True)
            return input()
        except KeyboardInterrupt:
            interrupted = True
            raise

    def say(text: str) -> None:
        print(text, file=out)

    result = run_quiz_interactive(quiz, ask, say)
    if result is None:
        print("Nothing was saved.", file=out)
        return EXIT_INTERRUPTED if interrupted else EXIT_CANCELLED
    return _report(result, args, database, already_shown=not args.json)


def _report(result: QuizResult, args: argparse.Namespace, database: str, *,
            already_shown: bool = False) -> int:
    where = shown(database)
    saved: StoredQuizResult | None = None
    error: str | None = None
    if not args.no_save:
        try:
            saved = asyncio.run(save_result(result, database=database, user_id=args.user))
        except (UnusableDatabaseError, ValueError) as exc:
            error = f"the result was not saved: {exc}"
    if args.json:
        payload = result.to_dict()
        payload["saved"] = None if saved is None else {
            "id": saved.id, "user": saved.user_id, "db": where,
            "created_at": saved.created_at}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif not already_shown:
        print(format_result_text(result))
    if error:
        print(f"labwire risk: {error}", file=sys.stderr)
        return 1
    if saved is not None and not args.json:
        print(f"\nSaved as {saved.user_id}'s latest result in {where}.")
    return 0
