"""Every reply the shipped knowledge base gives to its own questions reads as whole
sentences and fits before "More" (issue 13's "done when")."""

from __future__ import annotations

import json
import re

import pytest

from bot.cli import main
from bot.knowledge import Article, KnowledgeBase, Person
from bot.search import Engine
from bot.search.render import reply_text, visible_length
from bot.search.sentences import split_sentences
from bot.search.types import Answer

SHORT_MAX = 600  # characters a reader sees before "More"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def own_questions(kb: KnowledgeBase) -> list[str]:
    tables = (kb.articles, kb.people, kb.orgs)
    return sorted({q for table in tables for entry in table.values() for q in entry.questions})


def entry_sentences(kb: KnowledgeBase, answer: Answer) -> set[str]:
    """Every whole sentence the entry behind ``answer`` offers."""
    entry_id = answer.id.split("#", 1)[0]
    entry = (kb.articles.get(entry_id) if answer.kind in ("article", "takeaway")
             else kb.people.get(entry_id) if answer.kind == "person" else kb.orgs.get(entry_id))
    assert entry is not None
    texts = [entry.summary]
    if isinstance(entry, Article):
        texts += [t.text for t in entry.takeaways] + [s.text for s in entry.timeline]
    if isinstance(entry, Person) and entry.departure is not None:
        texts.append(entry.departure.reason)
    return {s for text in texts for s in split_sentences(text)}


def test_no_reply_to_the_knowledge_bases_own_questions_is_cut_or_too_long(
    engine: Engine, shipped_kb: KnowledgeBase
) -> None:
    questions = own_questions(shipped_kb)
    assert len(questions) > 100
    for question in questions:
        result = engine.ask(question)
        text = reply_text(result)
        assert visible_length(text) <= SHORT_MAX, (question, text)
        answer = result.answer
        if not result.answered or answer is None or result.route is not None:
            continue
        known = entry_sentences(shipped_kb, answer)
        for sentence in split_sentences(answer.lead):
            assert _SENTENCE_END.search(sentence), (question, sentence)
            # A sentence of the entry (its 'he' or 'she' may be named), or one of ours
            # that names the entry first.
            unnamed = {sentence.replace(answer.title, p, 1) for p in ("He", "She", "he", "she")}
            assert sentence in known or unnamed & known or sentence.startswith(answer.title), (
                question, sentence)


def test_ask_json_has_the_reason_in_the_first_sentence(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--json", "why did kalinowski quit"]) == 0
    reply = json.loads(capsys.readouterr().out)
    first = split_sentences(reply["text"])[0]
    assert first.startswith("Caitlin Kalinowski quit over OpenAI's classified-network "
                            "agreement with the Pentagon"), first
    assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", reply["as_of"])
