"""``labwire run``: start the Discord bot.

Settings come from the environment and an optional ``.env`` file
(:mod:`bot.settings`); every problem is reported at once, before anything
connects.  SIGTERM or SIGINT (Ctrl-C, ``docker stop``) shut down gracefully:
new interactions are refused, in-flight ones get up to 10 s to finish, then the
gateway and the database are closed and the exit code is 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import discord

from bot.discord.bot import LabwireBot
from bot.knowledge import KnowledgeError
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat
from bot.ops.logs import configure_logging
from bot.runtime import EngineOptions, KnowledgeService, embedding_cache_path
from bot.settings import Settings, shard_count, shard_ids, shard_problems
from bot.storage import DatabaseError, connect_database

log = logging.getLogger(__name__)

T = TypeVar("T")
EXIT_CONFIG = 2
EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="start the Discord bot",
        description=(
            "Start the Discord bot. Settings come from the environment and an optional .env "
            "file (every one is listed in .env.example); DISCORD_TOKEN is required. See the "
            "README, 'Running the Discord bot'."
        ),
    )
    add_env_file_arg(parser, here=False)
    parser.add_argument("--watch", action="store_true",
                        help="reload the knowledge base when its files change (same as "
                             "LABWIRE_WATCH=1; only a valid version is ever swapped in)")
    parser.add_argument("--shard-ids", type=_argument(shard_ids), default=None, metavar="IDS",
                        help="run only these shards, e.g. 0-1 (same as LABWIRE_SHARD_IDS; "
                             "with --shard-count)")
    parser.add_argument("--shard-count", type=_argument(shard_count), default=None,
                        metavar="N", help="shards in the whole deployment (same as "
                                          "LABWIRE_SHARD_COUNT)")
    parser.set_defaults(func=run_command, for_bot=True)


def _argument(parse: Callable[[str], T]) -> Callable[[str], T]:
    """A settings parser as an argparse type (its message becomes the usage error)."""
    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def add_env_file_arg(parser: argparse.ArgumentParser, *, here: bool = True) -> None:
    """``--env-file``: on ``labwire`` itself, and on ``labwire run`` where people look for it."""
    parser.add_argument("--env-file", type=Path, metavar="PATH",
                        default=None if here else argparse.SUPPRESS,
                        help="read settings from this file too (default: ./.env; the "
                             "environment wins)")


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.watch:
        settings = dataclasses.replace(settings, watch=True)
    if args.shard_ids is not None or args.shard_count is not None:
        settings = dataclasses.replace(
            settings, shard_ids=settings.shard_ids if args.shard_ids is None else args.shard_ids,
            shard_count=args.shard_count or settings.shard_count)
        problems = shard_problems(settings)
        if problems:
            print(f"labwire run: {problems[0]}", file=sys.stderr)
            return EXIT_CONFIG
    configure_logging(settings.log_level, fmt=settings.log_format, secrets=settings.secrets)
    service = _load_knowledge(settings)
    if service is None:
        return EXIT_CONFIG
    return asyncio.run(serve(settings, service))


def _load_knowledge(settings: Settings) -> KnowledgeService | None:
    try:
        options = EngineOptions(settings.semantic, embedding_cache_path(settings.db_path))
        return KnowledgeService.load(settings.knowledge_dir, options)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"labwire run: the knowledge base in {settings.knowledge_dir} has "
              f"{len(exc.problems)} problem(s); fix them (labwire kb validate) and start again.",
              file=sys.stderr)
        return None


async def serve(settings: Settings, service: KnowledgeService) -> int:
    """Run the bot until it fails or a signal asks it to stop; return the exit code."""
    try:
        db = await connect_database(settings.database)
    except DatabaseError as exc:
        print(f"labwire run: {exc}", file=sys.stderr)
        return EXIT_FAILED
    bot = LabwireBot(settings, service, db)
    stop = asyncio.Event()
    _on_signals(stop)
    log.info("starting", extra={
        "knowledge": str(settings.knowledge_dir), "database": settings.database_display,
        "dev_guilds": len(settings.dev_guild_ids), "ask_channels": len(settings.ask_channel_ids),
        "message_content_intent": settings.message_content_intent,
        "api_base": settings.api_base or "discord", "gateway": settings.gateway_url or "discord",
    })
    running = asyncio.create_task(bot.start(settings.token), name="labwire-bot")
    stopping = asyncio.create_task(stop.wait(), name="labwire-stop-signal")
    exit_code = 0
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            exit_code = _explain_failure(running)
        else:
            log.info("shutting down", extra={"in_flight": bot.tracker.in_flight})
            await bot.drain()
    finally:
        stopping.cancel()
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await running
        await _final_heartbeat(settings, service)
        await db.close()
    log.info("stopped", extra={"exit_code": exit_code})
    return exit_code


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows has no loop signal handlers
            loop.add_signal_handler(sig, stop.set)


def _explain_failure(task: asyncio.Task[None]) -> int:
    """Say why the bot stopped on its own, in words an operator can act on."""
    error = task.exception() if not task.cancelled() else None
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
