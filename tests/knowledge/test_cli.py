"""``labwire kb``: what a moderator sees in the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import load_knowledge
from bot.knowledge.schema import Article, OrgsFile, Person


def test_validate_prints_counts_and_exits_zero(kb_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 2 articles, 1 person, 2 orgs, 4 takeaways, 0 quizzes")


def test_validate_lists_every_problem_and_exits_one(kb_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    article = kb_dir / "articles/2026-03-08-robotics-lead-quits.yaml"
    article.write_text(article.read_text().replace("summary:", "sumary:")
                       .replace("url: https://", "url: http://"))
    (kb_dir / "people/jane-doe.yaml").write_text("id: jane-doe\nname: [unclosed\n")
    assert main(["kb", "validate", str(kb_dir)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert all(line.split(":")[0].endswith((".yaml",)) for line in lines)
    assert any("jane-doe.yaml:3:1: YAML syntax error" in line for line in lines)


def test_export_round_trips_into_the_same_model(kb_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "export", "--json", str(kb_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["articles", "people", "orgs"]
    kb, _ = load_knowledge(kb_dir)
    assert kb is not None
    assert {a["id"]: Article.model_validate(a) for a in data["articles"]} == dict(kb.articles)
    assert {p["id"]: Person.model_validate(p) for p in data["people"]} == dict(kb.people)
    assert OrgsFile.model_validate({"orgs": data["orgs"]}).orgs == tuple(
        kb.orgs[i] for i in sorted(kb.orgs))
    takeaway = data["articles"][1]["takeaways"][0]
    assert set(takeaway) == {"id", "text"}


def test_export_is_stable(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["kb", "export", str(kb_dir)])
    first = capsys.readouterr().out
    main(["kb", "export", str(kb_dir)])
    assert capsys.readouterr().out == first


def test_stats_shows_newest_first(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "stats", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert out.index("Robotics Lead Quits") < out.index("Acme Signs Defense Deal")


def test_schema_is_json_schema_from_the_models(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "schema", "article"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) >= {"id", "title", "url", "outlet", "summary", "takeaways"}
    assert schema["properties"]["title"]["maxLength"] == 256


def test_shipped_editor_schemas_match_the_models(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "knowledge" / "schema"
    assert main(["kb", "schema", "--write", str(tmp_path)]) == 0
    for generated in tmp_path.glob("*.schema.json"):
        assert (shipped / generated.name).read_text() == generated.read_text(), (
            f"{generated.name} is stale: run labwire kb schema --write knowledge/schema")
    assert {p.name for p in tmp_path.glob("*.schema.json")} == {
        f"{kind}.schema.json" for kind in ("article", "person", "orgs", "knowledge", "sources")}
