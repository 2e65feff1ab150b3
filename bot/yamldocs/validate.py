"""Turn pydantic validation errors into ``file:line:col`` problems in plain English."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.yamldocs.problems import Problem
from bot.yamldocs.yamlsource import Located, Path

M = TypeVar("M", bound=BaseModel)


def validate_document(
    model: type[M], located: Located, filename: str
) -> tuple[M | None, list[Problem]]:
    """Validate parsed YAML against ``model``; every error becomes a located problem."""
    if not isinstance(located.data, dict):
        line, col = located.where(())
        return None, [Problem(filename, line, col, "expected a mapping of keys to values")]
    try:
        return model.model_validate(located.data), []
    except ValidationError as exc:
        problems = [_to_problem(model, located, filename, err) for err in exc.errors()]
        return None, _fold_misspellings(problems)


def _fold_misspellings(problems: list[Problem]) -> list[Problem]:
    """'unknown key sumary (did you mean summary?)' already explains 'missing summary'."""
    suggested = {m.group(1) for p in problems
                 if (m := re.search(r"did you mean '([^']+)'", p.message))}
    return [p for p in problems
            if not (p.message.startswith("missing required key '")
                    and p.message.split("'")[1].rsplit(".", 1)[-1] in suggested)]


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """Follow ``path`` through nested models and tuples to the model found there."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = next(
            (f for n, f in current.model_fields.items() if (f.alias or n) == part), None
        )
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Find the model class inside ``tuple[X, ...]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if inner is not None:
                return inner
    return None


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _to_problem(
    model: type[BaseModel], located: Located, filename: str, err: Any
) -> Problem:
    # pydantic appends the failing constraint type (e.g. 'function-after[...]') for
    # Annotated types; keep only real keys and indices.
    path: Path = tuple(p for p in err["loc"] if isinstance(p, int) or "[" not in str(p))
    kind = err["type"]
    if kind == "extra_forbidden":
        line, col = located.where(path, key=True)
        key = str(path[-1])
        message = f"unknown key '{key}'"
        owner = _model_at(model, path[:-1])
        if owner is not None:
            allowed = _field_names(owner)
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            message += f" (did you mean '{close[0]}'?)" if close else ""
            message += f"; allowed keys: {', '.join(allowed)}"
        return Problem(filename, line, col, message)
    if kind == "missing":
        line, col = located.where(path[:-1])
        return Problem(filename, line, col, f"missing required key {_missing(path)}")
    line, col = located.where(path)
    if kind == "too_short" and isinstance(err.get("input"), list | tuple):
        return Problem(filename, line, col, f"{_dotted(path)}: {_too_few(model, path, err)}")
    return Problem(filename, line, col, f"{_dotted(path)}: {_plain(err)}")


def _missing(path: Path) -> str:
    """'title', or 'text' in takeaways item 1: where a moderator looks for it."""
    key = f"'{path[-1]}'"
    for depth in range(len(path) - 2, -1, -1):
        if isinstance(path[depth], int):
            return f"{key} in {_dotted(path[:depth])} item {int(path[depth]) + 1}"
    return f"'{_dotted(path)}'"


def _too_few(model: type[BaseModel], path: Path, err: Any) -> str:
    """'list at least 1 item, each with id and text' instead of pydantic's tuple wording."""
    least = int(err.get("ctx", {}).get("min_length", 1))
    item = _model_at(model, path)
    needs = [name for name, f in item.model_fields.items() if f.is_required()] if item else []
    each = f", each with {' and '.join(needs)}" if needs else ""
    found = len(err["input"])
    return (f"list at least {least} item{'' if least == 1 else 's'}{each} "
            f"(found {found})")


def _plain(err: Any) -> str:
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if err["type"] == "string_pattern_mismatch":
        return "must be an id of letters, digits and dashes (like 'sam-altman')"
    if err["type"] in ("string_too_long", "too_long") and isinstance(err.get("input"), str):
        limit = err.get("ctx", {}).get("max_length")
        return f"is {len(err['input'])} characters; Discord shows at most {limit}"
    if not msg:
        return "is not valid"
    # 'Input should be…' reads better lower-cased after the key; 'URL must…' does not.
    return msg if msg[:2].isupper() else msg[0].lower() + msg[1:]
