"""Train the matcher's learned parts and write ``bot/search/data/decision.json``.

    python -m benchmarks.train_decision [--sets dev community spot-check channel] [--write]

Two logistic regressions per engine variant (with the semantic signal, and the
lexical-only path): a re-ranker over the fused top 5 and the answer-or-abstain
decision.  The fusion weight (lexical score + weight x cosine) and the pooling
(unpadded masked mean vs the prototype's padded mean) are chosen on the training
sets *out of fold*: questions are split into folds by a hash of their text, each
fold is predicted by models trained on the others, and the setting with the
lowest out-of-fold error wins.  The holdout set (``holdout.yaml``) is never read.

scikit-learn is a development dependency; the engine applies the stored
coefficients with numpy (``bot.search.learned``).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.eval import Question, load_questions, target_keys
from bot.knowledge import EntryKey, KnowledgeBase, load_knowledge_or_raise
from bot.search import Engine
from bot.search.learned import DECISION_FEATURES, RERANK_FEATURES, Logistic, Models, ModelSet
from bot.search.matcher import Analysis, decision_row, fused_ranking, rerank_rows
from bot.search.semantic import Embedder, tokenizer_path

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "benchmarks" / "questions"
MODELS_PATH = REPO / "bot" / "search" / "data" / "decision.json"
TRAINING_SETS = ("dev", "community", "spot-check", "channel")
HOLDOUT = "holdout"
FOLDS = 5
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
POOLINGS = ("masked", "padded")
REGULARISATION = 0.3  # sklearn's C: strong, the sets are small

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    """One training question, analysed once."""

    question: Question
    targets: frozenset[EntryKey]
    analysis: Analysis
    fold: int


REPEATS = 3  # settings are chosen on the mean of this many differently-seeded splits


def fold_of(text: str, folds: int = FOLDS, seed: int = 0) -> int:
    """A stable fold per question text, so a question and its copies stay together."""
    salt = f"{seed}:" if seed else ""
    digest = hashlib.sha256((salt + " ".join(text.lower().split())).encode()).digest()
    return digest[0] % folds


def training_questions(names: Sequence[str]) -> list[Question]:
    out: list[Question] = []
    for name in names:
        if name == HOLDOUT:
            raise SystemExit("the holdout set is never trained on")
        path = QUESTIONS / f"{name}.yaml"
        if path.exists():
            out += load_questions(path)
        else:
            print(f"(no {path.name} yet: skipped)", file=sys.stderr)
    return out


def analyse(engine: Engine, kb: KnowledgeBase, questions: Sequence[Question]) -> list[Example]:
    """Each question analysed once; questions for the quiz route are the route's, not
    the matcher's, to learn."""
    questions = [q for q in questions if not all(a.startswith("route:") for a in q.accept)]
    return [Example(q, frozenset(EntryKey(k, i) for k, i in target_keys(kb, q.accept)),  # type: ignore[arg-type]
                    engine.matcher.analyse(q.text),
                    fold_of(q.text)) for q in questions]


# -- fitting ---------------------------------------------------------------------------


def fit_logistic(rows: Matrix, labels: npt.NDArray[np.int64],
                 names: Sequence[str]) -> Logistic:
    from sklearn.linear_model import LogisticRegression

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    if len(set(labels.tolist())) < 2:  # degenerate fold: a constant model
        bias = 6.0 if labels.size and labels[0] == 1 else -6.0
        return Logistic(tuple(names), mean, scale, np.zeros(len(names)), bias)
    model = LogisticRegression(C=REGULARISATION, max_iter=2000)
    model.fit((rows - mean) / scale, labels)
    return Logistic(tuple(names), mean, scale, model.coef_[0].astype(np.float64),
                    float(model.intercept_[0]))


def fit_reranker(examples: Sequence[Example], weight: float) -> Logistic:
    rows, labels = [], []
    for ex in examples:
        ranked = fused_ranking(ex.analysis, weight)
        if not ranked or not ex.question.in_scope:
            continue
        head = ranked[:len(rerank_rows(ex.analysis, ranked))]
        hits = [e.doc.key in ex.targets for e, _ in head]
        if any(hits) and not all(hits):  # only questions where the order matters
            rows.append(rerank_rows(ex.analysis, ranked))
            labels += [int(h) for h in hits]
    if not rows:
        return fit_logistic(np.zeros((2, len(RERANK_FEATURES))), np.array([0, 1]),
                            RERANK_FEATURES)
    return fit_logistic(np.vstack(rows), np.array(labels), RERANK_FEATURES)


def choose(examples: Sequence[Example], weight: float,
           reranker: Logistic) -> list[tuple[EntryKey, Matrix] | None]:
    """Per question: the re-ranked winner and its decision features."""
    out: list[tuple[EntryKey, Matrix] | None] = []
    for ex in examples:
        ranked = fused_ranking(ex.analysis, weight)
        if not ranked:
            out.append(None)
            continue
        probabilities = reranker.probabilities(rerank_rows(ex.analysis, ranked))
        head = sorted(range(len(probabilities)), key=lambda i: (-probabilities[i], i))
        order = [ranked[i] for i in head] + list(ranked[len(probabilities):])
        out.append((order[0][0].doc.key,
                    decision_row(ex.analysis, order, float(probabilities[head[0]]))))
    return out


def fit_decision(examples: Sequence[Example], weight: float,
                 reranker: Logistic) -> Logistic:
    rows, labels = [], []
    for ex, chosen in zip(examples, choose(examples, weight, reranker), strict=True):
        if chosen is not None:
            rows.append(chosen[1])
            labels.append(int(ex.question.in_scope and chosen[0] in ex.targets))
    return fit_logistic(np.vstack(rows), np.array(labels), DECISION_FEATURES)


def errors_at(examples: Sequence[Example], picks: Sequence[tuple[EntryKey | None, float]],
              threshold: float) -> int:
    """Wrong answers plus wrong abstentions when answering at ``threshold``."""
    wrong = 0
    for ex, (key, p) in zip(examples, picks, strict=True):
        answered = key is not None and p >= threshold
        if ex.question.in_scope:
            wrong += not (answered and key in ex.targets)
        else:
            wrong += answered
    return wrong


def predict(examples: Sequence[Example], models: Models) -> list[tuple[EntryKey | None, float]]:
    out: list[tuple[EntryKey | None, float]] = []
    for chosen in choose(examples, models.fusion_weight, models.reranker):
        if chosen is None:
            out.append((None, 0.0))
        else:
            out.append((chosen[0], models.decision.probability(chosen[1])))
    return out


def fit_models(examples: Sequence[Example], weight: float) -> Models:
    """Re-ranker and decision on ``examples``; the answer threshold from an inner
    cross-validation over them (in-sample probabilities are too sure of themselves)."""
    reranker = fit_reranker(examples, weight)
    decision = fit_decision(examples, weight, reranker)
    inner: list[tuple[Example, tuple[EntryKey | None, float]]] = []
    for k in range(3):
        train = [e for e in examples if hash_split(e, k)]
        test = [e for e in examples if not hash_split(e, k)]
        if not train or not test:
            continue
        r = fit_reranker(train, weight)
        partial = Models(weight, r, fit_decision(train, weight, r), 0.5, 0.2)
        inner += list(zip(test, predict(test, partial), strict=True))
    threshold = best_threshold([e for e, _ in inner], [p for _, p in inner])
    return Models(weight, reranker, decision, threshold, min(0.2, threshold * 0.5))


def hash_split(ex: Example, k: int) -> bool:
    digest = hashlib.sha256(f"{k}:{ex.question.text}".encode()).digest()
    return digest[0] % 3 != 0


def best_threshold(examples: Sequence[Example],
                   picks: Sequence[tuple[EntryKey | None, float]]) -> float:
    """The answer threshold with the fewest errors; ties go to the more cautious one,
    since a wrong answer costs a user more than a 'not sure' with suggestions."""
    if not examples:
        return 0.5
    grid = np.round(np.arange(0.2, 0.86, 0.01), 2)
    scores = [(errors_at(examples, picks, float(t)), -float(t)) for t in grid]
    return -min(scores)[1]


# -- out of fold -----------------------------------------------------------------------


def out_of_fold(examples: Sequence[Example], weight: float,
                fit: Callable[[Sequence[Example], float], Models] = fit_models,
                ) -> dict[int, Models]:
    """Per fold, models trained on every other fold."""
    return {k: fit([e for e in examples if e.fold != k], weight) for k in range(FOLDS)}


def oof_error(examples: Sequence[Example], weight: float) -> tuple[float, float]:
    """(error rate, in-scope top-1) out of fold, averaged over ``REPEATS`` splits."""
    runs = [_oof_once([replace(e, fold=fold_of(e.question.text, seed=seed)) for e in examples],
                      weight) for seed in range(REPEATS)]
    return (sum(r[0] for r in runs) / len(runs), sum(r[1] for r in runs) / len(runs))


def _oof_once(examples: Sequence[Example], weight: float) -> tuple[float, float]:
    per_fold = out_of_fold(examples, weight)
    wrong = right_in_scope = in_scope = 0
    for ex in examples:
        models = per_fold[ex.fold]
        key, p = predict([ex], models)[0]
        answered = key is not None and p >= models.answer_at
        if ex.question.in_scope:
            in_scope += 1
            ok = answered and key in ex.targets
            right_in_scope += ok
            wrong += not ok
        else:
            wrong += answered
    return wrong / max(1, len(examples)), right_in_scope / max(1, in_scope)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(TRAINING_SETS))
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    parser.add_argument("--poolings", nargs="+", default=list(POOLINGS), choices=POOLINGS)
    parser.add_argument("--weights", nargs="+", type=float, default=list(WEIGHTS))
    parser.add_argument("--write", action="store_true", help=f"write {MODELS_PATH.name}")
    args = parser.parse_args(argv)
    kb = load_knowledge_or_raise(args.knowledge)
    questions = training_questions(args.sets)
    print(f"{len(questions)} training questions from {', '.join(args.sets)}")

    lexical = analyse(Engine(kb, semantic=False, models=untrained()), kb, questions)
    print(f"lexical-only: out-of-fold error {oof_error(lexical, 0.0)[0]:.1%}")

    results: list[tuple[float, float, str, float]] = []
    analysed: dict[str, list[Example]] = {}
    for pooling in args.poolings:
        start = time.perf_counter()
        embedder = Embedder(_model_file(), tokenizer_path(), pooling=pooling)  # type: ignore[arg-type]
        engine = Engine(kb, embedder=embedder, models=untrained())
        analysed[pooling] = analyse(engine, kb, questions)
        print(f"{pooling}: analysed in {time.perf_counter() - start:.1f} s")
        for weight in args.weights:
            error, top1 = oof_error(analysed[pooling], weight)
            results.append((error, -top1, pooling, weight))
            print(f"  {pooling:7} weight {weight:4.2f}: out-of-fold error {error:6.1%}, "
                  f"top-1 in scope {top1:6.1%}")
    error, _, pooling, weight = min(results)
    print(f"chosen: {pooling} pooling, fusion weight {weight} (out-of-fold error {error:.1%})")
    model_set = ModelSet(fit_models(analysed[pooling], weight),
                         fit_models(lexical, 0.0), pooling, tuple(args.sets))
    if args.write:
        model_set.write(MODELS_PATH)
        print(f"wrote {MODELS_PATH.relative_to(REPO)}")
    return 0


def untrained() -> ModelSet:
    """Stand-in models for engines that are only used to analyse questions."""
    def flat(names: Sequence[str]) -> Logistic:
        n = len(names)
        return Logistic(tuple(names), np.zeros(n), np.ones(n), np.zeros(n), 0.0)
    models = Models(0.0, flat(RERANK_FEATURES), flat(DECISION_FEATURES), 0.5, 0.2)
    return ModelSet(models, models)


def _model_file() -> Path:
    from bot.search.semantic import _model_path

    return _model_path()


if __name__ == "__main__":
    sys.exit(main())
