"""The learned parts of the matcher: a top-5 re-ranker and the answer-or-abstain decision.

Both are logistic regressions over features the matcher already computes, trained
by ``benchmarks/train_decision.py`` and stored as a small JSON of coefficients
(``data/decision.json``) that is applied here with numpy.  The file holds one set
for the default engine (with the semantic signal) and one for the lexical-only
path, each with the fusion weight it was trained for.  Feature names are stored
with the coefficients, so a file that does not match this code is refused.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.search.semantic import Pooling
from bot.search.shapes import Shape

# Per candidate among the fused top 5: which of them answers the question.
RERANK_FEATURES = (
    "fused", "fused_gap", "lexical", "coverage", "similarity", "cosine", "cosine_gap",
    "named", "rank", "lexical_rank", "semantic_rank",
    "person", "org", "entity_who", "entity_who_is", "article_why", "article_when",
    "article_takeaway", "entity_unasked", "article_names_named", "context", "residual",
    "named_who_other", "org_named_long", "person_named_long",
)
# Per question, about the chosen candidate: answer, or say "not sure".
DECISION_FEATURES = (
    "rerank", "fused", "fused_margin", "lexical", "coverage", "similarity", "cosine",
    "cosine_margin", "agreement", "confidence", "unknown_share", "unknown_names",
    "unknown_capitalised", "log_terms", "corrections", "named", "entity", "who", "residual",
    "named_uncovered",
)

Vector = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Logistic:
    """``p = sigmoid(w . (x - mean) / scale + b)``."""

    names: tuple[str, ...]
    mean: Vector
    scale: Vector
    weights: Vector
    bias: float

    def probability(self, features: Vector) -> float:
        z = float(((features - self.mean) / self.scale) @ self.weights) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probabilities(self, rows: npt.NDArray[np.float64]) -> Vector:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.names), "mean": _rounded(self.mean),
                "scale": _rounded(self.scale), "weights": _rounded(self.weights),
                "bias": round(self.bias, 6)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], expected: Sequence[str]) -> Logistic:
        names = tuple(data["features"])
        if names != tuple(expected):
            raise ValueError(f"model features {names} do not match the code's {tuple(expected)}")
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
        if any(a.shape != (len(names),) for a in arrays):
            raise ValueError("model arrays do not match its feature list")
        mean, scale, weights = arrays
        return cls(names, mean, np.where(scale > 0, scale, 1.0), weights, float(data["bias"]))


@dataclass(frozen=True)
class Models:
    """One engine variant's learned parts and the settings they were trained with."""

    fusion_weight: float
    reranker: Logistic
    decision: Logistic
    answer_at: float  # decision probability needed to answer
    suggest_at: float  # below this (and no fair suggestion), "no answer"

    def to_json(self) -> dict[str, Any]:
        return {"fusion_weight": self.fusion_weight, "answer_at": round(self.answer_at, 4),
                "suggest_at": round(self.suggest_at, 4),
                "reranker": self.reranker.to_json(), "decision": self.decision.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Models:
        return cls(float(data["fusion_weight"]),
                   Logistic.from_json(data["reranker"], RERANK_FEATURES),
                   Logistic.from_json(data["decision"], DECISION_FEATURES),
                   float(data["answer_at"]), float(data["suggest_at"]))


@dataclass(frozen=True)
class ModelSet:
    """What ``data/decision.json`` holds: a variant with and one without semantics."""

    semantic: Models
    lexical: Models
    pooling: Pooling = "masked"
    trained_on: tuple[str, ...] = ()

    def for_path(self, semantic: bool) -> Models:
        return self.semantic if semantic else self.lexical

    def to_json(self) -> dict[str, Any]:
        return {"pooling": self.pooling, "trained_on": list(self.trained_on),
                "semantic": self.semantic.to_json(), "lexical": self.lexical.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModelSet:
        return cls(Models.from_json(data["semantic"]), Models.from_json(data["lexical"]),
                   _pooling(data.get("pooling", "masked")), tuple(data.get("trained_on", ())))

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_models() -> ModelSet:
    """The committed coefficients (``bot/search/data/decision.json``)."""
    text = resources.files("bot.search").joinpath("data/decision.json").read_text("utf-8")
    return ModelSet.from_json(json.loads(text))


def shape_kind_features(shape: Shape, kind: str, named: float,
                        n_terms: int) -> dict[str, float]:
    """Kind x question-shape interactions: 'who' wants a person, 'why' a story; in
    'who started ssi with ilya' the named person is context, not the answer; a lab
    named in a longer question is usually the setting of a story about it."""
    entity = kind != "article"
    asked = shape.who or shape.who_is
    long = n_terms >= 3
    return {
        "named_who_other": float(entity and named >= 1.0 and shape.who and not shape.who_is),
        "org_named_long": float(kind == "org" and named >= 1.0 and long),
        "person_named_long": float(kind == "person" and named >= 1.0 and long),
        "person": float(kind == "person"),
        "org": float(kind == "org"),
        "entity_who": float(entity and shape.who),
        "entity_who_is": float(entity and shape.who_is),
        "article_why": float(not entity and shape.why),
        "article_when": float(not entity and shape.when),
        "article_takeaway": float(not entity and shape.takeaway),
        "entity_unasked": float(entity and not asked and not named),
    }


def _pooling(value: object) -> Pooling:
    if value not in ("masked", "padded"):
        raise ValueError(f"unknown pooling {value!r}")
    return "padded" if value == "padded" else "masked"


def vector(values: Mapping[str, float], names: Sequence[str]) -> Vector:
    return np.array([values[n] for n in names], dtype=np.float64)


def _rounded(values: Vector) -> list[float]:
    return [round(float(v), 6) for v in values]
