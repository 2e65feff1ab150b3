"""What ``labwire run`` does once the settings are read: load, connect, serve, stop.

Kept apart from ``bot.terminal.run`` (the command's arguments) so that only this
command imports discord.py and the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal
import sys
from dataclasses import dataclass

import discord

from bot.discord.bot import LabwireBot
from bot.discord.reach import api_base, connection_problem
from bot.knowledge import KnowledgeError
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat
from bot.ops.logs import configure_logging
from bot.runtime import EngineOptions, KnowledgeService, embedding_cache_path
from bot.settings import Settings
from bot.storage.database import Database
from bot.terminal.common import fix_them
from bot.terminal.database import connect as connect_database
from bot.terminal.run import EXIT_CONFIG, EXIT_FAILED
from bot.wording import plural
from bot.yamldocs.problems import count_text

log = logging.getLogger(__name__)

# Discord unreachable at start: this many tries, these pauses between them (then exit 1).
START_ATTEMPTS = 3
RETRY_PAUSES = (0.5, 1.5)
STOP_WITHIN = 5.0  # seconds for the bot's task to end after close


def start(settings: Settings, *, watch: bool) -> int:
    """Run the bot with these settings until it is stopped; the exit code."""
    if watch:
        settings = dataclasses.replace(settings, watch=True)
    configure_logging(settings.log_level, fmt=settings.log_format, secrets=settings.secrets)
    return asyncio.run(_open_load_serve(settings))


async def _open_load_serve(settings: Settings) -> int:
    """The database first: it fails in a moment, while loading the knowledge (embedding
    it on a cold cache) can take many seconds that a bad LABWIRE_DB should not cost."""
    db = await _open_database(settings)
    try:
        service = await asyncio.to_thread(_load_knowledge, settings)
        if service is None:
            return EXIT_CONFIG
        return await serve(settings, service, db)
    finally:
        await db.close()


def _load_knowledge(settings: Settings) -> KnowledgeService | None:
    try:
        options = EngineOptions(settings.semantic, embedding_cache_path(settings.db_path))
        return KnowledgeService.load(settings.knowledge_dir, options)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        problems = list(exc.problems)
        print(f"labwire run: the knowledge base in {settings.knowledge_dir} has "
              f"{count_text(problems)}; {fix_them(problems)} (labwire kb validate) and start "
              "again.",
              file=sys.stderr)
        return None


async def serve(settings: Settings, service: KnowledgeService, db: Database) -> int:
    """Run the bot until it fails or a signal asks it to stop; return the exit code."""
    stop = asyncio.Event()
    _on_signals(stop)
    log.info("starting", extra={
        "knowledge": str(settings.knowledge_dir), "database": settings.database_display,
        "dev_guilds": len(settings.dev_guild_ids), "ask_channels": len(settings.ask_channel_ids),
        "message_content_intent": settings.message_content_intent,
        "api_base": settings.api_base or "discord", "gateway": settings.gateway_url or "discord",
    })
    try:
        exit_code = await _serve_until_stopped(settings, service, db, stop)
    finally:
        await _final_heartbeat(settings, service)
    log.info("stopped", extra={"exit_code": exit_code})
    return exit_code


async def _open_database(settings: Settings) -> Database:
    return await connect_database(settings.database)


@dataclass(frozen=True)
class Unreachable:
    """Discord could not be reached: where, why, and how many tries that took."""

    url: str
    reason: str
    setting: str = "DISCORD_API_BASE"  # the setting that points at ``url``


async def _serve_until_stopped(settings: Settings, service: KnowledgeService, db: Database,
                               stop: asyncio.Event) -> int:
    """Start the bot, trying again (a few times, with a growing pause) while Discord is
    unreachable; then exit 1 with one line, and let a restart policy take over."""
    attempt = 0
    while True:
        attempt += 1
        outcome = await _run_bot(LabwireBot(settings, service, db), settings, stop)
        if not isinstance(outcome, Unreachable):
            return outcome
        if attempt == START_ATTEMPTS or stop.is_set():
            _give_up(outcome, attempt, settings)
            return EXIT_FAILED
        pause = RETRY_PAUSES[attempt - 1]
        log.warning("cannot reach Discord at %s: %s; trying again in %g s", outcome.url,
                    outcome.reason, pause, extra={"attempt": attempt, "of": START_ATTEMPTS})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), pause)


def _give_up(outcome: Unreachable, tries: int, settings: Settings) -> None:
    configured = settings.api_base if outcome.setting == "DISCORD_API_BASE" \
        else settings.gateway_url
    check = f"the network and {outcome.setting}" if configured else "the network"
    print(f"labwire run: cannot reach Discord at {outcome.url}: {outcome.reason}. "
          f"Gave up after {plural(tries, 'try', 'tries')}; check {check}.", file=sys.stderr)


async def _run_bot(bot: LabwireBot, settings: Settings,
                   stop: asyncio.Event) -> int | Unreachable:
    """One start of the bot: its exit code, or why Discord could not be reached."""
    running = asyncio.create_task(bot.start(settings.token), name="labwire-bot")
    stopping = asyncio.create_task(stop.wait(), name="labwire-stop-signal")
    no_gateway = asyncio.create_task(bot.gateway_watch.gave_up.wait(), name="labwire-gateway")
    try:
        await asyncio.wait({running, stopping, no_gateway}, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            return _explain_failure(running)
        if no_gateway.done():
            running.cancel()  # discord.py would keep retrying the gateway forever
            watch = bot.gateway_watch
            return Unreachable(watch.url, watch.reason, "DISCORD_GATEWAY_URL")
        log.info("shutting down", extra={"in_flight": bot.tracker.in_flight})
        await bot.drain()
        return 0
    finally:
        stopping.cancel()
        no_gateway.cancel()
        await bot.close()
        await _finish(running)


async def _finish(running: asyncio.Task[None]) -> None:
    """Let the closed bot's task end; cancel it if it does not (discord.py retries a
    gateway connection forever, even after close)."""
    await asyncio.wait({running}, timeout=STOP_WITHIN)
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await running


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows has no loop signal handlers
            loop.add_signal_handler(sig, stop.set)


def _explain_failure(task: asyncio.Task[None]) -> int | Unreachable:
    """Say why the bot stopped on its own, in words an operator can act on."""
    error = task.exception() if not task.cancelled() else None
    reason = None if error is None else connection_problem(error)
    if reason is not None:
        return Unreachable(api_base(), reason)
    if error is None:
        log.error("the bot stopped unexpectedly")
    elif isinstance(error, discord.LoginFailure):
        print("labwire run: Discord rejected DISCORD_TOKEN. Copy a fresh token from the "
              "Developer Portal (Bot > Reset Token).", file=sys.stderr)
    elif isinstance(error, discord.PrivilegedIntentsRequired):
        print("labwire run: LABWIRE_ASK_CHANNEL_IDS needs the Message Content intent. Enable it "
              "in the Developer Portal (Bot > Privileged Gateway Intents) or unset "
              "LABWIRE_ASK_CHANNEL_IDS.", file=sys.stderr)
    else:
        log.error("the bot stopped: %s", type(error).__name__,
                  exc_info=(type(error), error, error.__traceback__))
    return EXIT_FAILED


async def _final_heartbeat(settings: Settings, service: KnowledgeService) -> None:
    """Leave a heartbeat that says 'not connected', so health checks see the stop at once."""
    status = HeartbeatStatus(gateway_connected=False, last_event_age=None,
                             knowledge_loaded=bool(service.kb.articles), database_writable=True)
    with contextlib.suppress(OSError):
        await asyncio.to_thread(write_heartbeat, settings.heartbeat_path, status)
