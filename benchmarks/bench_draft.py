"""Benchmark: from a link to a published answer, stage by stage.

Usage::

    .venv/bin/python benchmarks/bench_draft.py [--rounds 20] [--knowledge DIR]

A local news site (tests/drafts/site.py, 127.0.0.1) serves the saved page of a
real story (The News, 11 Feb 2026, an Anthropic researcher's resignation).  Each
round starts from a fresh copy of the knowledge base and a fresh database (not
timed), then times:

- fetch: the guarded GET of the page (address check, limits);
- extract: trafilatura on the page, in a worker thread as the bot runs it;
- build: names, id, questions (the draft);
- save: the draft written to knowledge/drafts/;
- publish: what the moderator's Publish does: validate against the whole knowledge
  base, write atomically, reload the engine, record the revision;
- answer: the next user's question, answered from the new entry.

The first round includes importing trafilatura (about 0.2 s) and is reported apart.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from ipaddress import IPv4Address
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.drafts.builder import build_draft  # noqa: E402
from bot.drafts.extract import extract_page  # noqa: E402
from bot.drafts.fetch import Fetcher  # noqa: E402
from bot.drafts.guard import AddressGuard  # noqa: E402
from bot.drafts.model import DraftTakeaway  # noqa: E402
from bot.drafts.service import check_html, publish_draft  # noqa: E402
from bot.drafts.store import DraftStore  # noqa: E402
from bot.moderation.editor import Actor, KnowledgeEditor  # noqa: E402
from bot.runtime import KnowledgeService  # noqa: E402
from bot.storage import open_database, sqlite_url  # noqa: E402
from bot.storage.moderation import RevisionStore  # noqa: E402
from tests.drafts.site import THENEWS, Site, running_site  # noqa: E402
from tests.fake_discord.sample_kb import write_sample_knowledge  # noqa: E402

STAGES = ("fetch", "extract", "build", "save", "publish", "answer", "total")
QUESTION = "which anthropic safety researcher quit to study poetry"
GUARD = AddressGuard(trusted=frozenset({IPv4Address("127.0.0.1")}))


async def one_round(site: Site, source: Path, work: Path) -> tuple[dict[str, float], bool]:
    root = work / "knowledge"
    shutil.copytree(source, root)
    times: dict[str, float] = {}
    async with open_database(sqlite_url(work / "labwire.sqlite3")) as db:
        editor = KnowledgeEditor(KnowledgeService.load(root), RevisionStore(db))
        await editor.start()
        store = DraftStore(root)
        start = time.perf_counter()
        async with Fetcher(GUARD) as fetcher:
            page = await fetcher.fetch(site.page(THENEWS))
        check_html(page)
        times["fetch"] = time.perf_counter() - start
        mark = time.perf_counter()
        extracted = await asyncio.to_thread(extract_page, page.body, page.url)
        times["extract"] = time.perf_counter() - mark
        mark = time.perf_counter()
        draft = build_draft(extracted, editor.service.kb, page.url,
                            now=dt.datetime.now(dt.UTC), taken_ids=store.ids())
        times["build"] = time.perf_counter() - mark
        mark = time.perf_counter()
        # The moderator's review (not timed as our cost): their summary and takeaway.
        draft = dataclasses.replace(
            draft, summary="Mrinank Sharma, who led Anthropic's safeguards research, resigned "
                           "in February 2026 and said he plans to study poetry.",
            takeaways=(DraftTakeaway("pressure", "He said Anthropic too is pressed to set "
                                                 "aside what matters most."),),
            questions=(*draft.questions, QUESTION))
        await asyncio.to_thread(store.save_new, draft)
        times["save"] = time.perf_counter() - mark
        mark = time.perf_counter()
        outcome = await publish_draft(editor, store, draft.id, Actor(1, "bench"))
        times["publish"] = time.perf_counter() - mark
        if not outcome.ok:
            raise SystemExit(f"publish failed: {outcome.problems or outcome.message}")
        mark = time.perf_counter()
        result = editor.service.engine.ask(QUESTION)
        times["answer"] = time.perf_counter() - mark
    times["total"] = sum(times.values())
    answered = bool(result.answered and result.answer and result.answer.id == draft.id)
    return times, answered


async def main(rounds: int, knowledge: Path) -> None:
    results: list[dict[str, float]] = []
    answered = 0
    async with running_site() as site:
        for _ in range(rounds + 1):
            with tempfile.TemporaryDirectory(prefix="labwire-bench-") as tmp:
                times, ok = await one_round(site, knowledge, Path(tmp))
            results.append(times)
            answered += ok
    first, rest = results[0], results[1:]
    print(f"knowledge: {knowledge} ; {rounds} rounds after a first (cold) one; "
          f"answered from the new entry in {answered}/{rounds + 1}")
    print("| stage | cold ms | median ms | p90 ms |")
    print("|---|---|---|---|")
    for stage in STAGES:
        values = sorted(r[stage] * 1000 for r in rest)
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print(f"| {stage} | {first[stage] * 1000:.1f} | {statistics.median(values):.1f} | "
              f"{p90:.1f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--knowledge", type=Path, default=None,
                        help="knowledge directory (default: the tests' sample, which does not "
                             "have the story yet; the shipped one has it, so the answer "
                             "check fails there while the timings still hold)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="labwire-sample-") as sample:
        knowledge = args.knowledge or write_sample_knowledge(Path(sample) / "k", with_quiz=False)
        asyncio.run(main(args.rounds, knowledge))
