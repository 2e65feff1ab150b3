"""``labwire kb validate`` puts the root cause first (issue 11 item 6), as a user runs it."""

from __future__ import annotations

from pathlib import Path

from tests.fake_discord.sample_kb import write_sample_knowledge
from tests.terminal.cli import run_labwire


def test_one_unparsable_person_is_reported_first_and_the_rest_marked(tmp_path: Path) -> None:
    root = write_sample_knowledge(tmp_path / "knowledge")
    (root / "people" / "jan-leike.yaml").write_text("id: jan-leike\nname: [Jan\n",
                                                    encoding="utf-8")
    ran = run_labwire("kb", "validate", "knowledge", cwd=tmp_path)
    assert ran.returncode == 1 and not ran.traceback, ran.explain()
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("knowledge/people/jan-leike.yaml:") and "YAML" in lines[0]
    assert len(lines) > 1 and all(
        "follows from the problem in people/jan-leike.yaml (fix that first)" in line
        for line in lines[1:]), ran.explain()
    assert ran.stderr.strip() == (f"1 problem (and {len(lines) - 1} that follow"
                                  f"{'s' if len(lines) == 2 else ''} from it) in knowledge")
