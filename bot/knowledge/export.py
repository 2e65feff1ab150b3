"""JSON views of the knowledge base: the exported model and the editors' JSON Schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.knowledge.model import KnowledgeBase
from bot.knowledge.schema import Article, KnowledgeFile, LedgerFile, OrgsFile, Person


def _dump(model: BaseModel) -> dict[str, Any]:
    # by_alias keeps the YAML spelling ('from'), mode=json turns tuples into lists.
    return model.model_dump(mode="json", by_alias=True)


def export_model(kb: KnowledgeBase) -> dict[str, Any]:
    """Every entry with all its fields, sorted by id, in schema field order."""
    out: dict[str, Any] = {
        "articles": [_dump(kb.articles[i]) for i in sorted(kb.articles)],
        "people": [_dump(kb.people[i]) for i in sorted(kb.people)],
        "orgs": [_dump(kb.orgs[i]) for i in sorted(kb.orgs)],
    }
    if kb.knowledge_as_of is not None:
        out["knowledge_as_of"] = kb.knowledge_as_of
    if kb.quizzes:
        out["quiz"] = [
            {"id": name, **(q.model_dump(mode="json", by_alias=True)
                            if isinstance(q, BaseModel) else dict(q))}
            for name, q in sorted(kb.quizzes.items())
        ]
    return out


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "article": Article, "person": Person, "orgs": OrgsFile,
    "knowledge": KnowledgeFile, "sources": LedgerFile,
}


def json_schema(kind: str = "all") -> dict[str, Any]:
    """JSON Schema generated from the same pydantic models the loader validates with."""
    if kind != "all":
        return SCHEMA_MODELS[kind].model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Labwire knowledge files",
        "oneOf": [m.model_json_schema(by_alias=True) for m in SCHEMA_MODELS.values()],
    }
