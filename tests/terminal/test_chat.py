"""``labwire chat`` and ``labwire ask`` behave like a polished CLI (issue 11, items 7 to 9).

Each test types into the real command in a subprocess (10 s limit), on the
sample knowledge base.  The expected answers come from the same engine run
in-process, so the tests hold however the matcher ranks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge_or_raise
from bot.search import Engine, Result
from bot.search.answers import latest_stories
from tests.fake_discord.sample_kb import write_sample_knowledge
from tests.terminal.cli import Ran, clean_env, run_labwire

# Questions the sample knowledge base is unsure about (a numbered list of suggestions).
UNSURE_CANDIDATES = ("leaving", "leike lecun", "who left openai", "lecun leike kalinowski")


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    return write_sample_knowledge(tmp_path / "knowledge")


@pytest.fixture
def engine(knowledge: Path) -> Engine:
    return Engine(load_knowledge_or_raise(knowledge))


@pytest.fixture
def unsure(engine: Engine) -> Result:
    """A question answered with at least two numbered suggestions."""
    for question in UNSURE_CANDIDATES:
        result = engine.ask(question)
        if not result.answered and len(result.suggestions) >= 2:
            return result
    raise AssertionError(f"none of {UNSURE_CANDIDATES} gets suggestions any more; add one")


def chat(knowledge: Path, tmp_path: Path, *lines: str) -> Ran:
    ran = run_labwire("chat", "--knowledge", str(knowledge), cwd=tmp_path,
                      env=clean_env(LABWIRE_DB=str(tmp_path / "labwire.sqlite3")),
                      stdin="".join(f"{line}\n" for line in lines))
    assert not ran.timed_out and not ran.traceback and ran.returncode == 0, ran.explain()
    return ran


def replies(ran: Ran) -> list[str]:
    """What the chat printed after each prompt, one string per line typed."""
    return [part.strip() for part in ran.stdout.split("you> ")[1:]]


@pytest.mark.parametrize("leave", ["exit", "quit", "EXIT", "Quit.", "/QUIT", "/exit"])
def test_exit_and_quit_leave_instead_of_being_answered(
    leave: str, knowledge: Path, tmp_path: Path
) -> None:
    ran = chat(knowledge, tmp_path, leave, "who is jan leike")
    assert replies(ran) == ["Bye."], "nothing after the word that leaves is read"


def test_help_and_clear_are_commands_and_any_case_works(knowledge: Path, tmp_path: Path) -> None:
    said = replies(chat(knowledge, tmp_path, "help", "/HELP", "clear", "/Clear", "/quit"))
    assert said[0].startswith("Ask anything") and "/latest [N]" in said[0]
    assert said[1] == said[0]
    assert said[2] == said[3] == "", "clearing prints nothing when stdout is not a terminal"


def test_bad_arguments_and_unknown_commands_get_usage(knowledge: Path, tmp_path: Path) -> None:
    said = replies(chat(knowledge, tmp_path, "/risk now", "/latest abc", "/latest 0",
                        "/HELP me", "/lates", "risk", "/quit"))
    assert said[0] == "Usage: /risk (no arguments): the 4-question quiz."
    assert said[1] == said[2] and said[1].startswith("Usage: /latest [N]")
    assert said[3] == "Usage: /help (no arguments)."
    assert said[4].startswith("Unknown command /lates. Did you mean /latest?")
    assert said[5].startswith("Type /risk to take"), "a bare 'risk' gets a hint, not an answer"


def test_numbers_pick_only_from_the_numbered_list_on_screen(
    knowledge: Path, tmp_path: Path, engine: Engine, unsure: Result
) -> None:
    newest = latest_stories(engine.kb, 2).items
    count = len(unsure.suggestions)
    said = replies(chat(knowledge, tmp_path, "1", "/latest 2", "2", unsure.question,
                        str(count + 1), "2", "who is jan leike", "1", "/quit"))
    assert said[0].startswith("There is no numbered list on screen")
    numbered = [line for line in said[1].splitlines() if line[:1].isdigit()]
    assert [line.split(" · ", 1)[0][:3] for line in numbered] == ["1. ", "2. "]
    assert [line.split(" · ", 1)[1] for line in numbered] == [item.title for item in newest]
    assert said[2].startswith(newest[1].title), "/latest is numbered, as /help promises"
    assert f"2. {unsure.suggestions[1].title}" in said[3]
    assert said[4] == f"There is no {count + 1} in the list: type a number from 1 to {count}."
    assert said[5].startswith(unsure.suggestions[1].title)
    assert said[7].startswith("There is no numbered list"), "after an answer, no list is shown"


def test_ask_shows_suggestions_it_cannot_pick_from_with_how_to_ask(
    knowledge: Path, tmp_path: Path, unsure: Result
) -> None:
    ran = run_labwire("ask", "--knowledge", str(knowledge), unsure.question, cwd=tmp_path)
    assert ran.returncode == 0, ran.explain()
    assert f"1. {unsure.suggestions[0].title}" in ran.stdout
    assert ("The numbers work in labwire chat; here, ask for one by name, e.g. "
            f'labwire ask "{unsure.suggestions[0].title}".') in ran.stdout


@pytest.mark.parametrize("question", [[""], ["   "], ["--json", ""]],
                         ids=["empty", "spaces", "json"])
def test_an_empty_question_asks_for_one(question: list[str], tmp_path: Path) -> None:
    ran = run_labwire("ask", *question, cwd=tmp_path)
    assert ran.returncode == 2 and not ran.stdout, ran.explain()
    assert ran.stderr.startswith("labwire ask: ask a question, e.g. labwire ask ")
    assert "don't know" not in ran.output
