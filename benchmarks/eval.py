"""Answer-quality evaluation: Labwire's engine against two baselines, in one run.

    python -m benchmarks.eval [benchmarks/questions/dev.yaml ...] [--lexical] [--wrong]

With no paths, every set in ``benchmarks/questions/`` is scored.  The engine's
re-ranker and answer decision are trained on some of these sets (the ones listed
in ``bot/search/data/decision.json``), so on those sets the figures are
*out of fold*: each question is answered by models trained without its fold
(folds by question, see ``benchmarks/train_decision.py``).  Every other set,
above all ``holdout.yaml``, is answered by the shipped models.

Each question lists acceptable targets (``article: URL``, ``person: NAME``,
``org: NAME`` or ``none``).  Printed per system: top-1 accuracy on in-scope
questions, abstention precision/recall on ``none`` questions, the overall error
rate (wrong answers + wrong abstentions over all questions) and accuracy per tag.

Baselines, on the same knowledge base:
  (a) rapidfuzz ``process.extractOne`` with ``WRatio`` over titles, names,
      aliases and curated questions;
  (b) BM25 (``bm25s``) over all of each entry's text.
A baseline has no notion of "I don't know" beyond a score cutoff, so each gets
the cutoff that minimises its own error rate on this very set (an oracle
advantage we give them on purpose).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.search import Engine, Result
from bot.search.learned import Models, shipped_models

QUESTIONS = Path(__file__).resolve().parent / "questions"

Prediction = tuple[str, str] | None  # (kind, id) or None for "I don't know"


@dataclass(frozen=True)
class Question:
    text: str
    accept: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def in_scope(self) -> bool:
        return "none" not in self.accept


@dataclass
class Report:
    name: str
    in_scope_correct: int = 0
    in_scope_total: int = 0
    abstained_none: int = 0
    abstained_total: int = 0
    none_total: int = 0
    wrong: list[str] = field(default_factory=list)
    by_tag: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def accuracy(self) -> float:
        return self.in_scope_correct / max(1, self.in_scope_total)

    @property
    def abstention_precision(self) -> float:
        return self.abstained_none / self.abstained_total if self.abstained_total else 1.0

    @property
    def abstention_recall(self) -> float:
        return self.abstained_none / max(1, self.none_total)

    @property
    def error_rate(self) -> float:
        total = self.in_scope_total + self.none_total
        correct = self.in_scope_correct + self.abstained_none
        return 1 - correct / max(1, total)


def load_questions(path: Path) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Question(q["q"], tuple(a.strip() for a in q["accept"]), tuple(q.get("tags", ())))
        for q in data["questions"]
    ]


def target_keys(kb: KnowledgeBase, accept: Sequence[str]) -> set[tuple[str, str]]:
    """Resolve 'article: URL' / 'person: NAME' / 'org: NAME' to (kind, id);
    'route: risk' (the question belongs to the /risk quiz) to ('route', 'risk')."""
    keys: set[tuple[str, str]] = set()
    for item in accept:
        kind, _, value = (s.strip() for s in item.partition(":"))
        if kind == "route":
            keys.add(("route", value.lstrip("/")))
        elif kind == "article":
            keys |= {("article", a.id) for a in kb.articles.values() if a.url == value}
        elif kind == "person":
            keys |= {("person", p.id) for p in kb.people.values() if p.name == value}
        elif kind == "org":
            keys |= {("org", o.id) for o in kb.orgs.values() if o.name == value}
    return keys


def score(name: str, kb: KnowledgeBase, questions: list[Question],
          predict: Callable[[str], Prediction]) -> Report:
    report = Report(name)
    for q in questions:
        prediction = predict(q.text)
        if q.in_scope:
            report.in_scope_total += 1
            ok = prediction is not None and prediction in target_keys(kb, q.accept)
            report.in_scope_correct += ok
        else:
            report.none_total += 1
            ok = prediction is None
            report.abstained_none += ok
        report.abstained_total += prediction is None
        for tag in q.tags:
            report.by_tag[tag][0] += ok
            report.by_tag[tag][1] += 1
        if not ok:
            report.wrong.append(f"{q.text!r} -> {prediction}")
    return report


def prediction(result: Result) -> Prediction:
    if result.route is not None:
        return ("route", result.route)
    if not result.answered or result.answer is None:
        return None
    answer = result.answer
    if answer.kind == "takeaway":  # a takeaway answers for its article
        return ("article", answer.id.partition("#")[0])
    return (answer.kind, answer.id)


def engine_predictor(engine: Engine) -> Callable[[str], Prediction]:
    return lambda text: prediction(engine.ask(text))


_OOF: dict[tuple[str, bool], dict[int, Models]] = {}


def out_of_fold_predictor(engine: Engine, kb: KnowledgeBase,
                          knowledge: Path) -> Callable[[str], Prediction]:
    """Answers each question with models trained on every training fold but its own."""
    from benchmarks.train_decision import analyse, fold_of, out_of_fold, training_questions

    cache_key = (str(knowledge.resolve()), engine.semantic)
    if cache_key not in _OOF:
        trained_on = shipped_models().trained_on
        examples = analyse(engine, kb, training_questions(trained_on))
        _OOF[cache_key] = out_of_fold(examples, engine.models.fusion_weight)
    per_fold = _OOF[cache_key]

    def predict(text: str) -> Prediction:
        analysis = engine.matcher.analyse(text)
        return prediction(engine.result_for(text, analysis, per_fold[fold_of(text)]))
    return predict


def _entries(kb: KnowledgeBase) -> list[tuple[tuple[str, str], list[str], str]]:
    """(key, short strings for WRatio, all text for BM25) per entry."""
    out = []
    for a in kb.articles.values():
        text = " ".join([a.title, a.summary, *a.questions, *(t.text for t in a.takeaways),
                         *a.tags])
        out.append((("article", a.id), [a.title, *a.questions], text))
    for kind, table in (("person", kb.people), ("org", kb.orgs)):
        for e in table.values():  # type: ignore[attr-defined]
            text = " ".join([e.name, *e.aliases, e.summary, *e.questions, *e.tags])
            out.append(((kind, e.id), [e.name, *e.aliases, *e.questions], text))
    return out


class WRatioBaseline:
    def __init__(self, kb: KnowledgeBase) -> None:
        from rapidfuzz import fuzz, process, utils

        self._process, self._scorer, self._proc = process, fuzz.WRatio, utils.default_process
        self.choices: list[str] = []
        self.keys: list[tuple[str, str]] = []
        for key, strings, _ in _entries(kb):
            for s in strings:
                self.choices.append(s)
                self.keys.append(key)

    def raw(self, text: str) -> tuple[tuple[str, str], float] | None:
        hit = self._process.extractOne(text, self.choices, scorer=self._scorer,
                                       processor=self._proc)
        return (self.keys[hit[2]], float(hit[1])) if hit else None


class BM25Baseline:
    def __init__(self, kb: KnowledgeBase) -> None:
        import bm25s

        self._bm25s = bm25s
        entries = _entries(kb)
        self.keys = [key for key, _, _ in entries]
        corpus = bm25s.tokenize([text for _, _, text in entries], stopwords="en",
                                show_progress=False)
        self.model = bm25s.BM25()
        self.model.index(corpus, show_progress=False)

    def raw(self, text: str) -> tuple[tuple[str, str], float] | None:
        tokens = self._bm25s.tokenize([text], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return None
        try:
            docs, scores = self.model.retrieve(tokens, k=1, show_progress=False)
        except (ValueError, KeyError):
            return None
        return self.keys[int(docs[0, 0])], float(scores[0, 0])


def tuned_baseline(name: str, kb: KnowledgeBase, questions: list[Question],
                   raw: Callable[[str], tuple[tuple[str, str], float] | None]) -> Report:
    """Score a baseline at the abstention cutoff that suits it best on this set."""
    cached = {q.text: raw(q.text) for q in questions}
    cutoffs = sorted({hit[1] for hit in cached.values() if hit} | {0.0})
    best: Report | None = None
    for cutoff in cutoffs:
        def predict(text: str, cutoff: float = cutoff) -> Prediction:
            hit = cached[text]
            return hit[0] if hit and hit[1] >= cutoff else None
        report = score(f"{name} (cutoff {cutoff:.2f})", kb, questions, predict)
        if best is None or report.error_rate < best.error_rate:
            best = report
    assert best is not None
    return best


_ENGINES: dict[tuple[str, bool], tuple[KnowledgeBase, Engine]] = {}


def _engine(knowledge: Path, semantic: bool) -> tuple[KnowledgeBase, Engine]:
    key = (str(knowledge.resolve()), semantic)
    if key not in _ENGINES:
        kb = load_knowledge_or_raise(knowledge)
        _ENGINES[key] = (kb, Engine(kb, semantic=semantic))
    return _ENGINES[key]


def evaluate(questions_path: Path, knowledge: Path, *, semantic: bool = True) -> list[Report]:
    """The engine (out of fold on sets it is trained on) and both baselines."""
    kb, engine = _engine(knowledge, semantic)
    questions = load_questions(questions_path)
    name = "labwire" if semantic else "labwire lexical"
    if questions_path.stem in shipped_models().trained_on:
        predict = out_of_fold_predictor(engine, kb, knowledge)
        name += " (out of fold)"
    else:
        predict = engine_predictor(engine)
    reports = [score(name, kb, questions, predict)]
    reports.append(tuned_baseline("wratio", kb, questions, WRatioBaseline(kb).raw))
    reports.append(tuned_baseline("bm25", kb, questions, BM25Baseline(kb).raw))
    return reports


def print_table(reports: list[Report], *, show_wrong: bool = False) -> None:
    header = (f"{'system':32} {'top-1 in-scope':>15} {'abst. prec':>10} "
              f"{'abst. rec':>10} {'error rate':>10}")
    print(header)
    print("-" * len(header))
    for r in reports:
        print(f"{r.name:32} {r.accuracy:>14.1%} {r.abstention_precision:>10.1%} "
              f"{r.abstention_recall:>10.1%} {r.error_rate:>10.1%}")
    ours, baselines = reports[0], reports[1:]
    best = min(b.error_rate for b in baselines)
    ratio = ours.error_rate / best if best else float("inf")
    print(f"\nerror rate vs better baseline: {ours.error_rate:.1%} / {best:.1%} = {ratio:.2f}x")
    tags = sorted({t for r in reports for t in r.by_tag})
    print(f"\n{'tag':14}" + "".join(f"{r.name.split()[0]:>12}" for r in reports) + "   n")
    for tag in tags:
        cells = "".join(
            f"{r.by_tag[tag][0] / max(1, r.by_tag[tag][1]):>12.0%}" for r in reports)
        print(f"{tag:14}{cells}   {reports[0].by_tag[tag][1]}")
    if show_wrong:
        print("\nlabwire misses:")
        for line in ours.wrong:
            print("  " + line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path, nargs="*",
                        help="question sets (default: every set in benchmarks/questions)")
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    parser.add_argument("--lexical", action="store_true", help="the lexical-only path")
    parser.add_argument("--wrong", action="store_true", help="list the engine's misses")
    args = parser.parse_args(argv)
    paths = args.questions or sorted(QUESTIONS.glob("*.yaml"))
    for path in paths:
        print(f"\n## {path.stem} ({len(load_questions(path))} questions)\n")
        print_table(evaluate(path, args.knowledge, semantic=not args.lexical),
                    show_wrong=args.wrong)
    return 0


if __name__ == "__main__":
    sys.exit(main())
