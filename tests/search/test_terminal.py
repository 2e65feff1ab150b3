"""``labwire ask`` and ``labwire chat`` as a person in a terminal uses them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.search import Engine
from bot.terminal.ask import ChatSession


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
    assert "don't know" in said[4]
    assert "Unknown command /nope" in said[5]
    assert said[-1] == "Bye."
    assert len([s for s in said if s.startswith(("   1. 20", "   2. 20"))]) == 2, text


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
