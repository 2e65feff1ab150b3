"""`labwire run` in the image, against the local fake Discord (called by .ci/docker.sh).

The container shares the host's network namespace, so the bot reaches the fake
on 127.0.0.1 and no traffic leaves the machine.  Checks what an operator relies
on: the bot connects and answers, the image's HEALTHCHECK turns healthy from the
bot's own heartbeat, `docker stop` (SIGTERM to PID 1) ends it with exit code 0,
and the JSON logs parse and never contain the token.

usage: python3 .ci/docker_bot_smoke.py IMAGE      (DOCKER and DOCKER_HOST from the env)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_discord import FakeDiscord

DOCKER = os.environ.get("DOCKER", "docker")
TOKEN = "container-smoke-token-0123456789abcdefghijklmnop"
QUESTION = "why did Kalinowski quit?"


async def docker(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        DOCKER, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"docker {args[0]} failed: {err.decode().strip()}")
    return out.decode() + err.decode()


async def wait_for_health(cid: str, want: str, within: float) -> str:
    """Poll `docker inspect` (Docker offers no event to wait on here)."""
    deadline = time.monotonic() + within
    state = ""
    while time.monotonic() < deadline:
        state = (await docker("inspect", "--format", "{{.State.Health.Status}}", cid)).strip()
        if state == want:
            break
        await asyncio.sleep(0.5)
    return state


def check_logs(logs: str) -> int:
    assert TOKEN not in logs, "the token appeared in the container's logs"
    assert QUESTION not in logs, "a user's question appeared in the container's logs"
    lines = [line for line in logs.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # LABWIRE_LOG_FORMAT=json: every line
    assert any(r.get("message") == "stopped" for r in records), "no 'stopped' log line"
    return len(records)


async def smoke(image: str) -> None:
    async with FakeDiscord() as fake:
        cid = (await docker(
            "run", "-d", "--network", "host", "--health-interval=1s",
            "-e", f"DISCORD_TOKEN={TOKEN}",
            "-e", f"DISCORD_API_BASE={fake.api_base}",
            "-e", f"DISCORD_GATEWAY_URL={fake.gateway_url}",
            "-e", "LABWIRE_LOG_FORMAT=json",
            "-e", "LABWIRE_GUILD_READY_TIMEOUT=0.05",
            image,
        )).strip()
        try:
            started = time.monotonic()
            await fake.wait_ready(within=60)
            print(f"   connected to the fake Discord in {time.monotonic() - started:.1f} s")
            handle = await fake.invoke_slash("ask", {"question": QUESTION})
            reply = await handle.response(within=15)
            assert reply.embeds, f"/ask got no embed: {reply.data}"
            print(f"   /ask answered: {reply.embeds[0].get('title')}")

            state = await wait_for_health(cid, "healthy", within=30)
            assert state == "healthy", f"HEALTHCHECK says {state!r}, expected healthy"
            print("   HEALTHCHECK: healthy (from the bot's own heartbeat)")

            stop_started = time.monotonic()
            await docker("stop", "--time", "30", cid)
            code = (await docker("inspect", "--format", "{{.State.ExitCode}}", cid)).strip()
            assert code == "0", f"`docker stop` ended the bot with exit code {code}"
            print(f"   docker stop: exit code 0 after {time.monotonic() - stop_started:.1f} s")

            count = check_logs(await docker("logs", cid))
            print(f"   logs: {count} JSON lines, no token, no question text")
        finally:
            await docker("rm", "-f", cid)


if __name__ == "__main__":
    asyncio.run(smoke(sys.argv[1]))
