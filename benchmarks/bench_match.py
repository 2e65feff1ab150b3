"""Matcher speed and memory on synthetic knowledge bases, next to two baselines.

    python -m benchmarks.bench_match [--sizes 500 5000 50000] [--questions 1000]

For each size: index build time, memory (RSS growth while building), and answer
latency p50/p99 over the questions, for Labwire's default engine (with the
semantic signal), its lexical-only path and, in the same run, (a) rapidfuzz
``extractOne``/``WRatio`` over titles, names, aliases and questions and (b) BM25
(``bm25s``) over all text.  Ratios are baseline / ours (>1 = we win).

The default engine's build embeds every entry text with the real model up to
``--cold-limit`` entries (a cold cache: that build time is stated), then rebuilds
from the warm on-disk cache.  Above the limit, entry vectors come from a stand-in
(random unit vectors, the same size and layout: embedding 500 000 texts would take
the better part of an hour) while every *question* is still embedded by the real
model, so answer latency is measured in full.  The run ends with the shipped
knowledge base: cold build, warm reload, and the resident memory of a fresh
process holding the bot's code, the model and the engine.
Synthetic entries have realistic lengths (title ~10 words, summary ~60, 4
takeaways, 5 questions) drawn from a shared vocabulary, so common words recur
across entries the way 'openai' and 'pentagon' do in the real knowledge base.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import string
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Article, Org, Person, Takeaway
from bot.search import Engine
from bot.search.semantic import DIMENSIONS, Embedder, Vectors, load_embedder, tokenizer_path

SEED = 20261126


def rss_mib() -> float:
    """Resident memory of this process (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Vocabulary:
    """Pseudo-words: a few hundred common ones shared by everything, many rare ones."""

    def __init__(self, rng: random.Random, size: int) -> None:
        syllables = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 3)))
                     for _ in range(400)]
        words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)}
        self.words = sorted(words)[:size]
        rng.shuffle(self.words)
        self.common = self.words[:300]
        self.rng = rng

    def text(self, count: int) -> str:
        # Zipf-like: half the words come from the common pool.
        pick = self.rng.random
        out = [self.rng.choice(self.common) if pick() < 0.5 else self.rng.choice(self.words)
               for _ in range(count)]
        return " ".join(out)


def synthetic_kb(size: int, rng: random.Random) -> KnowledgeBase:
    vocab = Vocabulary(rng, max(5000, size * 3))
    n_people, n_orgs = size // 5, size // 10
    people = {}
    for i in range(n_people):
        name = f"{vocab.text(1).title()} {vocab.text(1).title()}"
        pid = f"p{i}"
        people[pid] = Person(id=pid, name=name, aliases=(f"{name.split()[1]} {i}",),
                             summary=vocab.text(45), links=(f"https://example.org/p/{i}",),
                             questions=tuple(f"who is {vocab.text(3)}" for _ in range(2)))
    orgs = {}
    for i in range(n_orgs):
        oid = f"o{i}"
        orgs[oid] = Org(id=oid, name=f"{vocab.text(1).title()} Labs {i}", summary=vocab.text(40),
                        links=(f"https://example.org/o/{i}",))
    articles = {}
    for i in range(size - n_people - n_orgs):
        aid = f"a{i}"
        articles[aid] = Article(
            id=aid, title=vocab.text(rng.randint(8, 14)).capitalize(),
            url=f"https://example.org/a/{i}", outlet="Example", published="2026-01-01",
            summary=vocab.text(rng.randint(45, 80)),
            takeaways=tuple(Takeaway(id=f"t{j}", text=vocab.text(15)) for j in range(4)),
            people=tuple(rng.sample(sorted(people), k=min(2, len(people)))),
            orgs=tuple(rng.sample(sorted(orgs), k=min(1, len(orgs)))),
            tags=(vocab.text(1),), questions=tuple(vocab.text(rng.randint(5, 9))
                                                    for _ in range(5)))
    return KnowledgeBase(articles, people, orgs)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word))
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1:]


def questions_for(kb: KnowledgeBase, count: int, rng: random.Random) -> list[str]:
    """Paraphrase-like questions (with typos), bare names, and nonsense."""
    articles, people = list(kb.articles.values()), list(kb.people.values())
    out = []
    for i in range(count):
        if i % 5 == 3 and people:
            out.append(f"who is {rng.choice(people).name.lower()}")
        elif i % 5 == 4:
            out.append(" ".join("".join(rng.choices(string.ascii_lowercase, k=6))
                                for _ in range(4)))
        else:
            words = rng.choice(articles).summary.split()
            start = rng.randrange(0, max(1, len(words) - 6))
            picked = words[start:start + rng.randint(3, 6)]
            out.append("why did " + " ".join(typo(w, rng) if rng.random() < 0.2 else w
                                             for w in picked))
    return out


def latencies(ask: Callable[[str], object], questions: Sequence[str]) -> list[float]:
    times = []
    for q in questions:
        start = time.perf_counter()
        ask(q)
        times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed_build(build: Callable[[], object]) -> tuple[object, float, float]:
    gc.collect()
    before = rss_mib()
    start = time.perf_counter()
    built = build()
    seconds = time.perf_counter() - start
    return built, seconds, max(0.0, rss_mib() - before)


class StandInEmbedder(Embedder):
    """Real model for questions; random unit vectors for entry texts (see above)."""

    def _embed_batched(self, texts: list[str]) -> Vectors:
        self.texts_embedded += len(texts)
        rng = np.random.default_rng(len(texts))
        vectors = rng.standard_normal((len(texts), DIMENSIONS)).astype(np.float32)
        unit: Vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return unit


def _model_file() -> Path:
    from bot.search.semantic import _model_path

    return _model_path()


def run(size: int, n_questions: int, baseline_questions: int, cold_limit: int,
        cache_dir: Path) -> None:
    from benchmarks.eval import BM25Baseline, WRatioBaseline

    rng = random.Random(SEED + size)
    start = time.perf_counter()
    kb = synthetic_kb(size, rng)
    model_s = time.perf_counter() - start
    questions = questions_for(kb, n_questions, rng)
    cache = cache_dir / f"bench-{size}.embeddings.npz"
    cache.unlink(missing_ok=True)
    cold = size <= cold_limit
    embedder = Embedder(_model_file(), tokenizer_path()) if cold else \
        StandInEmbedder(_model_file(), tokenizer_path())
    engine, build_s, mem = timed_build(lambda: Engine(kb, cache_path=cache, embedder=embedder))
    assert isinstance(engine, Engine) and engine.semantic
    texts = embedder.texts_embedded
    # A reload in the running bot: the model is loaded, the texts are on disk.
    shared = load_embedder()
    assert shared is not None
    _, warm_s, _ = timed_build(lambda: Engine(kb, cache_path=cache, embedder=shared))
    ours = latencies(engine.ask, questions)
    label = "labwire" if cold else "labwire*"
    rows = [(label, build_s, mem, ours, len(questions))]
    del engine
    lexical, lex_build, lex_mem = timed_build(lambda: Engine(kb, semantic=False))
    assert isinstance(lexical, Engine)
    rows.append(("lexical", lex_build, lex_mem, latencies(lexical.ask, questions),
                 len(questions)))
    sample = questions[:baseline_questions]
    for name, factory in (("wratio", WRatioBaseline), ("bm25", BM25Baseline)):
        baseline, b_build, b_mem = timed_build(lambda f=factory: f(kb))  # type: ignore[misc]
        rows.append((name, b_build, b_mem, latencies(baseline.raw, sample),  # type: ignore[attr-defined]
                     len(sample)))
    print(f"\n== {size} entries ({len(kb.articles)} articles, {len(kb.people)} people, "
          f"{len(kb.orgs)} orgs; model built in {model_s:.2f} s)")
    print(f"{'system':9} {'build s':>8} {'mem MiB':>8} {'p50 ms':>8} {'p99 ms':>8} {'n':>6}"
          f" {'p50 ratio':>10} {'p99 ratio':>10}")
    ours_p50, ours_p99 = pct(ours, 50), pct(ours, 99)
    for name, build, memory, times, n in rows:
        p50, p99 = pct(times, 50), pct(times, 99)
        print(f"{name:9} {build:>8.2f} {memory:>8.1f} {p50:>8.2f} {p99:>8.2f} {n:>6}"
              f" {p50 / ours_p50:>9.1f}x {p99 / ours_p99:>9.1f}x")
    what = "cold, real model" if cold else "stand-in vectors*"
    print(f"labwire: {texts} entry texts embedded ({what}) in the {build_s:.1f} s build; "
          f"warm-cache rebuild {warm_s:.2f} s; mean {statistics.fmean(ours):.2f} ms; lexical "
          f"answered {sum(lexical.ask(q).answered for q in questions[:200])}/200")


SHIPPED_RSS = """
import json, sys
from pathlib import Path
import bot.discord.client  # the bot's code, discord.py included
from bot.runtime import EngineOptions, KnowledgeService
service = KnowledgeService.load(sys.argv[1], EngineOptions(cache_path=Path(sys.argv[2])))
for q in ("who is jan leike", "why is everyone deleting chatgpt", "best pizza in naples"):
    service.engine.ask(q)
status = Path("/proc/self/status").read_text()
rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
print(json.dumps({"rss_mib": rss / 1024, "semantic": service.engine.semantic}))
"""


def shipped(cache_dir: Path) -> None:
    """The shipped knowledge base: cold build, warm reload, a bot process's memory."""
    import json
    import subprocess

    from bot.knowledge import load_knowledge_or_raise

    knowledge = Path(__file__).resolve().parents[1] / "knowledge"
    kb = load_knowledge_or_raise(knowledge)
    cache = cache_dir / "shipped.embeddings.npz"
    cache.unlink(missing_ok=True)
    load_embedder()  # the model loads once per process, not per build
    cold = Embedder(_model_file(), tokenizer_path())
    _, cold_s, _ = timed_build(lambda: Engine(kb, cache_path=cache, embedder=cold))
    warm = []
    for _ in range(5):
        engine, seconds, _ = timed_build(lambda: Engine(kb, cache_path=cache))
        warm.append(seconds)
    assert isinstance(engine, Engine)
    from benchmarks.eval import QUESTIONS, load_questions

    real = [q.text for path in sorted(QUESTIONS.glob("*.yaml")) for q in load_questions(path)]
    asked = latencies(engine.ask, real)
    lexical = Engine(kb, semantic=False)
    asked_lexical = latencies(lexical.ask, real)
    out = subprocess.run([sys.executable, "-c", SHIPPED_RSS, str(knowledge), str(cache)],
                         capture_output=True, text=True, check=True, timeout=300)
    rss = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"\n== shipped knowledge ({len(kb.articles)} articles, {len(kb.people)} people, "
          f"{len(kb.orgs)} orgs): cold build {cold_s:.2f} s ({cold.texts_embedded} texts "
          f"embedded); warm-cache reload median {statistics.median(warm):.3f} s, max "
          f"{max(warm):.3f} s; a bot process with the model: RSS {rss['rss_mib']:.0f} MiB "
          f"(semantic={rss['semantic']})")
    print(f"   the {len(real)} questions of benchmarks/questions/: p50 {pct(asked, 50):.2f} ms, "
          f"p99 {pct(asked, 99):.2f} ms (lexical-only p50 {pct(asked_lexical, 50):.2f}, "
          f"p99 {pct(asked_lexical, 99):.2f} ms)")


def main(argv: Sequence[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 50000])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--baseline-questions", type=int, default=200,
                        help="questions timed per baseline (they are slow at 50k)")
    parser.add_argument("--cold-limit", type=int, default=5000,
                        help="largest size whose entry texts the real model embeds")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; one process, one core; seed {SEED}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            run(size, args.questions, args.baseline_questions, args.cold_limit, Path(tmp))
        shipped(Path(tmp))
    print("\n* entry vectors from a stand-in above --cold-limit; questions embedded by the model")
    return 0


if __name__ == "__main__":
    sys.exit(main())
