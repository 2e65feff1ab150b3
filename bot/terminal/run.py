"""``labwire run``: start the Discord bot.

Configuration comes from the environment and an optional ``.env`` file (see
``bot.discord.config``); every problem is reported at once, before anything
connects.  SIGTERM or SIGINT (Ctrl-C, ``docker stop``) shut down gracefully:
new interactions are refused, in-flight ones get up to 10 s to finish, then the
gateway and the database are closed and the exit code is 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from bot.discord.config import BotConfig, ConfigError, environment, load_config
from bot.logs import configure_logging
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat
from bot.runtime import KnowledgeService

log = logging.getLogger(__name__)

EXIT_CONFIG = 2
EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="start the Discord bot",
        description=(
            "Start the Discord bot. Settings come from the environment and an optional .env "
            "file: DISCORD_TOKEN (required), LABWIRE_DB, LABWIRE_KNOWLEDGE, "
            "LABWIRE_DEV_GUILD_IDS, LABWIRE_ASK_CHANNEL_IDS, DISCORD_API_BASE, "
            "DISCORD_GATEWAY_URL, LABWIRE_RETENTION_DAYS, LABWIRE_ASK_COOLDOWN, "
            "LABWIRE_HEARTBEAT. See the README, 'Running the Discord bot'."
        ),
    )
    parser.add_argument("--env-file", type=Path, default=Path(".env"), metavar="PATH",
                        help="read settings from this file too (default: ./.env; the "
                             "environment wins)")
    parser.add_argument("--watch", action="store_true",
                        help="reload the knowledge base when its files change (same as "
                             "LABWIRE_WATCH=1; only a valid version is ever swapped in)")
    parser.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    try:
        env = environment(args.env_file)
        if getattr(args, "watch", False):
            env["LABWIRE_WATCH"] = "1"  # read by the /kb cog (bot.moderation.watch)
        config = load_config(env)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"labwire run: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging()
    service = _load_knowledge(config)
    if service is None:
        return EXIT_CONFIG
    return asyncio.run(serve(config, service))


def _load_knowledge(config: BotConfig) -> KnowledgeService | None:
    from bot.knowledge import KnowledgeError

    try:
        from bot.runtime import EngineOptions, embedding_cache_path

        options = EngineOptions(config.semantic, embedding_cache_path(config.db_path))
        return KnowledgeService.load(config.knowledge_dir, options)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"labwire run: the knowledge base in {config.knowledge_dir} has "
              f"{len(exc.problems)} problem(s); fix them (labwire kb validate) and start again.",
              file=sys.stderr)
        return None


async def serve(config: BotConfig, service: KnowledgeService) -> int:
    """Run the bot until it fails or a signal asks it to stop; return the exit code."""
    from bot.discord.client import LabwireBot
    from bot.storage.database import Database

    db = await Database.connect(config.db_path)
    bot = LabwireBot(config, service, db)
    stop = asyncio.Event()
    _on_signals(stop)
    log.info("starting", extra={
        "knowledge": str(config.knowledge_dir), "database": str(config.db_path),
        "dev_guilds": len(config.dev_guild_ids), "ask_channels": len(config.ask_channel_ids),
        "message_content_intent": config.message_content_intent,
        "api_base": config.api_base or "discord", "gateway": config.gateway_url or "discord",
    })
    running = asyncio.create_task(bot.start(config.token), name="labwire-bot")
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
        await _final_heartbeat(config, service)
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
    import discord as d

    error = task.exception() if not task.cancelled() else None
    if error is None:
        log.error("the bot stopped unexpectedly")
    elif isinstance(error, d.LoginFailure):
        print("labwire run: Discord rejected DISCORD_TOKEN. Copy a fresh token from the "
              "Developer Portal (Bot > Reset Token).", file=sys.stderr)
    elif isinstance(error, d.PrivilegedIntentsRequired):
        print("labwire run: LABWIRE_ASK_CHANNEL_IDS needs the Message Content intent. Enable it "
              "in the Developer Portal (Bot > Privileged Gateway Intents) or unset "
              "LABWIRE_ASK_CHANNEL_IDS.", file=sys.stderr)
    else:
        log.error("the bot stopped: %s", type(error).__name__,
                  exc_info=(type(error), error, error.__traceback__))
    return EXIT_FAILED


async def _final_heartbeat(config: BotConfig, service: KnowledgeService) -> None:
    """Leave a heartbeat that says 'not connected', so health checks see the stop at once."""
    status = HeartbeatStatus(gateway_connected=False, last_event_age=None,
                             knowledge_loaded=bool(service.kb.articles), database_writable=True)
    with contextlib.suppress(OSError):
        await asyncio.to_thread(write_heartbeat, config.heartbeat_path, status)
