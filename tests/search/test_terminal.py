"""``labwire ask`` and ``labwire chat`` as a person in a terminal uses them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import EntryKey, KnowledgeBase
from bot.search import Engine, Result
from bot.terminal.ask import MORE_HINT, ChatSession
from bot.terminal.render import MORE_RULE


def test_ask_json_answers_and_declines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "why did caitlin kalinowski resign"]) == 0
    answered = json.loads(capsys.readouterr().out)
    assert answered["answered"] is True
    assert answered["answer"]["kind"] in ("article", "person")
    assert main(["ask", "--json", "best pizza in naples"]) == 0
    declined = json.loads(capsys.readouterr().out)
    assert declined["answered"] is False and declined["answer"] is None


def test_ask_reads_one_question_per_line(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("who is jan leike\n\nhow to make carbonara\n"))
    assert main(["ask", "--json", "-"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["question"] for line in lines] == ["who is jan leike", "how to make carbonara"]
    assert [line["answered"] for line in lines] == [True, False]


def test_ask_text_shows_title_summary_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "who is jan leike"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Jan Leike")
    assert "Sources:" in out and "https://" in out


def _session(engine: Engine, lines: list[str]) -> tuple[ChatSession, list[str]]:
    said: list[str] = []
    feed: Iterator[str] = iter(lines)

    def read(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    return ChatSession(engine, read, said.append), said


def test_chat_as_a_new_user(engine: Engine) -> None:
    session, said = _session(engine, ["/help", "why did kalinowski quit", "kalinowsky",
                                      "asdfgh qwerty", "/nope", "/latest 2", "/quit"])
    session.run()
    text = "\n".join(said)
    assert "/risk" in said[1] and "/quit" in said[1]
    assert "Caitlin Kalinowski" in said[2] or "Kalinowski" in said[2]
    assert "Caitlin Kalinowski" in said[3]
    assert "don't have an answer" in said[4]
    assert "Unknown command /nope" in said[5]
    assert said[-1] == "Bye."
    latest = said[-2].splitlines()
    assert latest[0].startswith("Latest stories (stories from "), text
    assert [line[:3] for line in latest if line[:1].isdigit()] == ["1. ", "2. "]


def test_chat_ends_cleanly_on_ctrl_d(engine: Engine) -> None:
    session, said = _session(engine, ["who is sam altman"])
    session.run()
    assert said[-1] == "Bye."


def test_chat_opens_a_numbered_suggestion(engine: Engine) -> None:
    session, said = _session(engine, ["classified", "1", "/quit"])
    session.run()
    assert session.last is not None and not session.last.answered
    assert "1. " in said[1]
    assert said[2].startswith(session.last.suggestions[0].title)


class RecordingEngine(Engine):
    """The shipped engine, noting the context each question was asked with."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb)
        self.contexts: dict[str, EntryKey | None] = {}

    def ask(self, question: str, context: EntryKey | None = None) -> Result:
        self.contexts[question] = context
        return super().ask(question, context)


def test_ask_prints_the_short_answer_then_the_whole_entry_under_more(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "why did kalinowski quit"]) == 0
    out = capsys.readouterr().out
    short, _, full = out.partition(MORE_RULE)
    assert short.startswith("Caitlin Kalinowski\nCaitlin Kalinowski quit over")
    assert "Resigned from OpenAI 7 Mar 2026" in short
    assert "Roles:" in full and "Departure:" in full


def test_chat_follows_up_on_the_last_answer_and_shows_more(shipped_kb: KnowledgeBase) -> None:
    engine = RecordingEngine(shipped_kb)
    session, said = _session(engine, ["why did kalinowski quit", "more",
                                      "where did she work before", "latest news", "/quit"])
    session.run()
    assert said[1].endswith(MORE_HINT)
    assert said[2].count(MORE_RULE) == 1 and "Departure:" in said[2]
    assert engine.contexts["why did kalinowski quit"] is None
    assert engine.contexts["where did she work before"] == EntryKey("person",
                                                                    "caitlin-kalinowski")
    assert said[4].startswith("Latest stories (stories from ")
    assert "\n1. " in said[4] and "\n5. " in said[4]


def test_ask_json_points_job_worries_to_the_quiz(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "will ai replace my job"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["route"] == "/risk" and data["answered"] is False


def test_ask_keeps_its_embedding_cache_next_to_the_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LABWIRE_DB", str(tmp_path / "state" / "labwire.sqlite3"))
    assert main(["ask", "who is jan leike"]) == 0
    assert (tmp_path / "state" / "labwire.embeddings.npz").exists()


def test_lexical_only_setting(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LABWIRE_SEMANTIC", "0")
    assert main(["ask", "--json", "who is jan leike"]) == 0
    assert json.loads(capsys.readouterr().out)["answered"] is True
    monkeypatch.setenv("LABWIRE_SEMANTIC", "maybe")
    assert main(["ask", "--json", "who is jan leike"]) == 2
    assert capsys.readouterr().err.strip() == (
        "labwire ask: LABWIRE_SEMANTIC: 'maybe' is not on or off (use 1 or 0).")
