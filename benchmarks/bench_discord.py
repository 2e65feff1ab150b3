"""Benchmark: /ask through the local fake Discord, Labwire vs a do-nothing bot, same run.

Usage::

    .venv/bin/python benchmarks/bench_discord.py [--concurrent 1000] [--sequential 200]
                                                 [--rounds 3] [--knowledge DIR]

Both bots are real discord.py ``AutoShardedBot`` s connected to the same kind of
fake (tests/fake_discord) on 127.0.0.1, in this process.  The do-nothing bot
answers ``/ask`` with ``send_message("ok")``; Labwire runs the whole path
(cooldown, engine, dedup, embed, buttons, question-log write in SQLite).

Latency is from the INTERACTION_CREATE frame sent to the bot's callback POST
received by the fake.  Two loads:
- ``burst``: N interactions sent at once (distinct users, each in its own
  channel so every one gets a full public answer); mostly queueing.
- ``sequential``: one at a time; the per-interaction cost without queueing.
"Our cost" is Labwire minus the do-nothing bot, per load, median over rounds.
Every reply is checked (one callback per interaction, status 200, a public
answer embed for Labwire); any error, lost reply or ERROR log line is counted.

``--postgresql`` adds the deployment at scale: two ``labwire run`` processes on
shards 0 and 1 of two, sharing a throwaway PostgreSQL cluster (tests/postgres.py),
the burst spread over a guild on each shard.  Besides the figure from throughput
it reports the processes' own CPU time per /ask (from /proc), since two
processes on two cores overlap.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.discord.bot import LabwireBot  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.runtime import KnowledgeService  # noqa: E402
from bot.search import Engine  # noqa: E402
from bot.settings import Cooldown, Settings  # noqa: E402
from bot.storage import Database, connect_database, sqlite_url  # noqa: E402
from tests.fake_discord import FakeDiscord, FakeGuild, InteractionHandle  # noqa: E402
from tests.fake_discord import payloads as p  # noqa: E402
from tests.fake_discord.sample_kb import write_sample_knowledge  # noqa: E402

REPLY_WITHIN = 120.0


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.first = self.first or f"{record.name}: {record.getMessage()}"


class DoNothingBot(commands.AutoShardedBot):
    """The baseline: acknowledges /ask with a plain 'ok' and does nothing else."""

    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents,
                         help_command=None, guild_ready_timeout=0.05, max_messages=None,
                         chunk_guilds_at_startup=False)

    async def setup_hook(self) -> None:
        @self.tree.command(name="ask", description="baseline")
        async def ask(interaction: discord.Interaction[Any], question: str) -> None:
            await interaction.response.send_message("ok")


@dataclass
class Run:
    bot: str
    load: str
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0
    lost: int = 0
    cpu_ms_per_ask: float | None = None  # the bot processes' CPU time, when measured

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def questions_from(service: KnowledgeService) -> list[str]:
    """Questions from the knowledge base's own ``questions`` fields that the engine answers.

    Only confidently answered ones, so every Labwire reply is a full public answer
    (the most expensive path) and any other outcome counts as an error.
    """
    found = [q for a in service.kb.articles.values() for q in a.questions]
    found += [q for person in service.kb.people.values() for q in person.questions]
    answered = [q for q in found if service.engine.ask(q).status == "answered"]
    return answered or ["why did Kalinowski quit?"]


def unique_channel(guild: FakeGuild, n: int) -> dict[str, Any]:
    return p.text_channel(p.snowflake(), guild.id, f"bench-{n}")


async def measure(fake: FakeDiscord, name: str, load: str, count: int, concurrent: bool,
                  questions: list[str], check: Callable[[InteractionHandle], bool],
                  settle: Callable[[InteractionHandle], Any],
                  guilds: list[FakeGuild] | None = None) -> Run:
    run = Run(name, load)
    guilds = guilds or [fake.guild]
    users = [fake.user(f"bench{load}{n}") for n in range(count)]
    handles: list[InteractionHandle] = []
    started = time.perf_counter()
    for n in range(count):
        guild = guilds[n % len(guilds)]
        handle = await fake.invoke_slash("ask", {"question": questions[n % len(questions)]},
                                         user=users[n], guild=guild,
                                         channel=unique_channel(guild, n))
        handles.append(handle)
        if not concurrent:
            await _reply_of(fake, handle, run)
    if concurrent:
        await asyncio.gather(*(_reply_of(fake, h, run) for h in handles))
    replies = [h.calls[0] for h in handles if h.calls]
    run.seconds = (max(c.at for c in replies) - started) if replies else 0.0
    for handle in handles:
        if handle.calls:
            call = handle.calls[0]
            run.latencies_ms.append((call.at - handle.sent_at) * 1000)
            callbacks = [c for c in handle.calls if c.callback_type is not None]
            if call.status != 200 or len(callbacks) != 1 or not check(handle):
                run.errors += 1
    await asyncio.gather(*(settle(h) for h in handles))  # e.g. the question-log write
    return run


async def _reply_of(fake: FakeDiscord, handle: InteractionHandle, run: Run) -> None:
    try:
        await handle.response(within=REPLY_WITHIN)
    except TimeoutError:
        run.lost += 1


@dataclass
class Bench:
    concurrent: int
    sequential: int
    knowledge: Path
    db_dir: Path


async def run_bot(kind: str, bench: Bench, errors: ErrorCounter) -> list[Run]:
    fake = await FakeDiscord().start()
    fake.patch_discord_py()
    db: Database | None = None
    bot: commands.AutoShardedBot
    try:
        service = KnowledgeService(bench.knowledge, Engine(_load(bench.knowledge)))
        questions = questions_from(service)
        if kind == "labwire":
            url = sqlite_url(bench.db_dir / f"bench-{time.monotonic_ns()}.sqlite3")
            db = await connect_database(url)
            settings = Settings(token=FakeDiscord.TOKEN, database_url=url,
                                knowledge_dir=bench.knowledge,
                                heartbeat=bench.db_dir / "heartbeat.json",
                                ask_cooldown=Cooldown(0, 0.0), guild_ready_timeout=0.05,
                                briefing_poll_seconds=0)
            bot = LabwireBot(settings, service, db)
        else:
            bot = DoNothingBot()
        task = asyncio.create_task(bot.start(FakeDiscord.TOKEN))
        fake.watch(task)
        await fake.wait_ready()
        await fake.wait(bot.wait_until_ready(), 10, "on_ready")

        def check(handle: InteractionHandle) -> bool:
            call = handle.calls[0]
            if kind == "labwire":
                return bool(call.embeds) and not call.ephemeral
            return call.content == "ok"

        async def settle(handle: InteractionHandle) -> None:
            if isinstance(bot, LabwireBot):
                outcome = await fake.wait(bot.tracker.finished(int(handle.id)), REPLY_WITHIN,
                                          "the question-log write")
                if outcome != "answered":
                    errors.count += 1
                    errors.first = errors.first or f"outcome {outcome}"

        warm = await measure(fake, kind, "warm-up", 50, True, questions, check, settle)
        runs = [
            await measure(fake, kind, "burst", bench.concurrent, True, questions, check, settle),
            await measure(fake, kind, "sequential", bench.sequential, False, questions, check,
                          settle),
        ]
        if warm.errors or warm.lost:
            runs[0].errors += warm.errors + warm.lost
        if isinstance(bot, LabwireBot):
            await bot.drain(grace=10)
        await bot.close()
        await task
        if db is not None:
            row = await db.fetchone("SELECT COUNT(*) FROM question_log")
            expected = 50 + bench.concurrent + bench.sequential
            if row is None or row[0] != expected:
                errors.count += 1
                errors.first = errors.first or f"question_log has {row and row[0]} of {expected}"
        if fake.unhandled:
            errors.count += len(fake.unhandled)
        return runs
    finally:
        if db is not None:
            await db.close()
        await fake.stop()


SHARDS = 2
START_WITHIN = 60.0


@dataclass
class Processes:
    """``labwire run`` processes of one deployment, and their CPU time so far."""

    procs: list[asyncio.subprocess.Process]

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for proc in self.procs:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        return total

    async def stop(self) -> None:
        for proc in self.procs:
            if proc.returncode is None:
                proc.terminate()
        for proc in self.procs:
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()


async def start_processes(fake: FakeDiscord, bench: Bench, url: str) -> Processes:
    procs = []
    for shard in range(SHARDS):
        home = bench.db_dir / f"shard-{shard}-{time.monotonic_ns()}"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LABWIRE_", "DISCORD_"))}
        env.update(DISCORD_TOKEN=FakeDiscord.TOKEN, DISCORD_API_BASE=fake.api_base,
                   DISCORD_GATEWAY_URL=fake.gateway_url, LABWIRE_DATABASE_URL=url,
                   LABWIRE_KNOWLEDGE=str(bench.knowledge),
                   LABWIRE_HEARTBEAT=str(home / "heartbeat.json"),
                   LABWIRE_GUILD_READY_TIMEOUT="0.05", LABWIRE_ASK_COOLDOWN="0",
                   LABWIRE_BRIEFING_POLL_SECONDS="0", LABWIRE_LOG_LEVEL="WARNING",
                   PYTHONPATH=str(REPO))
        procs.append(await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--shard-ids", str(shard),
            "--shard-count", str(SHARDS), env=env, cwd=home,
            stdout=asyncio.subprocess.DEVNULL, stderr=(home / "labwire.log").open("wb")))
    return Processes(procs)


async def run_postgresql(bench: Bench, url: str, errors: ErrorCounter) -> list[Run]:
    """The burst over two processes on two shards, one PostgreSQL."""
    fake = await FakeDiscord().start()
    fake.shard_count = SHARDS
    guilds = [fake.add_guild(f"bench {n}", shard=n, shard_count=SHARDS) for n in range(SHARDS)]
    db = await connect_database(url)
    processes = await start_processes(fake, bench, url)
    try:
        await fake.wait_shards_ready(range(SHARDS), START_WITHIN)
        service = KnowledgeService(bench.knowledge, Engine(_load(bench.knowledge)))
        questions = questions_from(service)

        def check(handle: InteractionHandle) -> bool:
            return bool(handle.calls[0].embeds) and not handle.calls[0].ephemeral

        async def settle(handle: InteractionHandle) -> None:
            return None  # the question-log rows are counted once, below

        warm = await measure(fake, "postgresql", "warm-up", 50, True, questions, check, settle,
                             guilds)
        cpu_before = processes.cpu_seconds()
        burst = await measure(fake, "postgresql", "burst", bench.concurrent, True, questions,
                              check, settle, guilds)
        expected = 50 + bench.concurrent
        deadline = time.perf_counter() + REPLY_WITHIN
        while (logged := int(await db.fetchval("SELECT COUNT(*) FROM question_log"))) < expected:
            if time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.05)  # another process's writes: poll with a deadline
        burst.cpu_ms_per_ask = (processes.cpu_seconds() - cpu_before) * 1000 / bench.concurrent
        if logged != expected:
            errors.count += 1
            errors.first = errors.first or f"question_log has {logged} of {expected}"
        burst.errors += warm.errors + warm.lost
        if fake.unhandled:
            errors.count += len(fake.unhandled)
        return [burst]
    finally:
        await processes.stop()
        await db.close()
        await fake.stop()


def _load(root: Path) -> Any:
    kb, problems = load_knowledge(root)
    if kb is None:
        raise SystemExit(f"{root}: {len(problems)} problem(s); pass --knowledge")
    return kb


def pick_knowledge(explicit: Path | None, scratch: Path) -> Path:
    if explicit is not None:
        return explicit
    shipped = REPO / "knowledge"
    kb, _ = load_knowledge(shipped)
    if kb is not None and kb.articles:
        return shipped
    return write_sample_knowledge(scratch / "knowledge")


def report(results: dict[tuple[str, str], list[Run]], errors: ErrorCounter, bench: Bench) -> int:
    def med(runs: list[Run], value: Callable[[Run], float]) -> float:
        return statistics.median(value(r) for r in runs)

    print(f"\nknowledge: {bench.knowledge}; burst {bench.concurrent}, sequential "
          f"{bench.sequential}; medians over {len(next(iter(results.values())))} round(s)")
    print(f"{'bot':<12}{'load':<12}{'n':>6}{'thrpt/s':>10}{'p50 ms':>10}{'p99 ms':>10}"
          f"{'errors':>8}{'lost':>6}")
    for (bot, load), runs in results.items():
        n = len(runs[0].latencies_ms)
        print(f"{bot:<12}{load:<12}{n:>6}{med(runs, lambda r: r.throughput):>10.0f}"
              f"{med(runs, lambda r: r.percentile(0.5)):>10.2f}"
              f"{med(runs, lambda r: r.percentile(0.99)):>10.2f}"
              f"{sum(r.errors for r in runs):>8}{sum(r.lost for r in runs):>6}")
    print()
    for load in ("sequential", "burst"):
        ours = results[("labwire", load)]
        base = results[("do-nothing", load)]
        p50 = med(ours, lambda r: r.percentile(0.5)) - med(base, lambda r: r.percentile(0.5))
        p99 = med(ours, lambda r: r.percentile(0.99)) - med(base, lambda r: r.percentile(0.99))
        line = f"our cost ({load}): p50 {p50:+.2f} ms, p99 {p99:+.2f} ms"
        if load == "burst":
            # In a burst the loop is saturated, so time per interaction is CPU per interaction.
            per = 1000 / med(ours, lambda r: r.throughput) - 1000 / med(base,
                                                                        lambda r: r.throughput)
            line += f"; per /ask {per:+.2f} ms of event-loop time (from throughput)"
        print(line)
    if ("postgresql", "burst") in results:
        runs = results[("postgresql", "burst")]
        base = results[("do-nothing", "burst")]
        per = 1000 / med(runs, lambda r: r.throughput) - 1000 / med(base, lambda r: r.throughput)
        cpu = med(runs, lambda r: r.cpu_ms_per_ask or 0.0)
        print(f"our cost (burst, PostgreSQL, {SHARDS} processes): per /ask {per:+.2f} ms of "
              f"wall time (from throughput); {cpu:.2f} ms CPU in the bot processes")
    failures = errors.count + sum(r.errors + r.lost for runs in results.values() for r in runs)
    print(f"\nerrors + lost replies + ERROR log lines: {failures}"
          + (f" (first: {errors.first})" if errors.first else ""))
    return 1 if failures else 0


async def main_async(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)  # voice warnings
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    with tempfile.TemporaryDirectory() as scratch:
        bench = Bench(args.concurrent, args.sequential,
                      pick_knowledge(args.knowledge, Path(scratch)), Path(scratch))
        results: dict[tuple[str, str], list[Run]] = {}
        server = _start_postgres() if args.postgresql else None
        try:
            for round_no in range(args.rounds):
                for kind in _alternate(round_no):
                    for run in await run_bot(kind, bench, errors):
                        results.setdefault((kind, run.load), []).append(run)
                    print(f"round {round_no + 1}/{args.rounds}: {kind} done", file=sys.stderr)
                if server is not None:
                    url = await _fresh_schema(server, round_no)
                    for run in await run_postgresql(bench, url, errors):
                        results.setdefault(("postgresql", run.load), []).append(run)
                    print(f"round {round_no + 1}/{args.rounds}: postgresql done",
                          file=sys.stderr)
        finally:
            if server is not None:
                _stop_postgres(server)
        ordered = {k: results[k] for k in sorted(results, key=lambda k: (k[1], k[0] != "labwire"))}
        return report(ordered, errors, bench)


def _start_postgres() -> Any:
    from tests.postgres import PostgresUnavailableError, start_cluster

    try:
        return start_cluster()
    except PostgresUnavailableError as exc:
        raise SystemExit(f"bench_discord: {exc}") from None


def _stop_postgres(server: Any) -> None:
    from tests.postgres import stop_cluster

    stop_cluster(server)


async def _fresh_schema(server: Any, round_no: int) -> str:
    """A new schema per round, so each round starts from an empty question log."""
    import asyncpg

    schema = f"bench_{round_no}_{time.monotonic_ns()}"
    conn = await asyncpg.connect(server.url())
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
    finally:
        await conn.close()
    return str(server.url(search_path=schema))


def _alternate(round_no: int) -> Iterator[str]:
    """Alternate which bot goes first, so warm-up effects do not favour one."""
    order = ["do-nothing", "labwire"]
    return iter(order if round_no % 2 == 0 else order[::-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=1000)
    parser.add_argument("--sequential", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--knowledge", type=Path, default=None)
    parser.add_argument("--postgresql", action="store_true",
                        help="add two labwire run processes on one PostgreSQL (burst only)")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
