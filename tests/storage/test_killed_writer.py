"""A writer process killed mid-burst loses no write it had acknowledged, on both backends.

The writer (a separate Python process, as a bot process would be) records
questions through the real repository and prints each row id once ``record``
returned, i.e. once the row is committed.  The test kills it with SIGKILL in
the middle of the burst, then checks every printed id in the database.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from bot.storage import open_database

WRITER = """
import asyncio, sys
from bot.storage import open_database
from bot.storage.question_log import QuestionLog, QuestionRecord

async def main(url):
    async with open_database(url) as db:
        log = QuestionLog(db)
        for n in range(100_000):
            row_id = await log.record(QuestionRecord(
                question=f"q{n}", source="slash", user_id=n, guild_id=1, channel_id=2,
                status="answered", entry_kind="article", entry_id="a", confidence=0.9,
                answered=True))
            print(row_id, flush=True)

asyncio.run(main(sys.argv[1]))
"""
ACKNOWLEDGED_BEFORE_KILL = 200


async def test_sigkill_mid_burst_loses_no_acknowledged_write(database_url: str) -> None:
    async with open_database(database_url):
        pass  # migrated before the writer starts, so it only writes
    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, database_url, stdout=asyncio.subprocess.PIPE)
    assert writer.stdout is not None
    acknowledged: list[int] = []
    try:
        while len(acknowledged) < ACKNOWLEDGED_BEFORE_KILL:
            line = await asyncio.wait_for(writer.stdout.readline(), 30)
            assert line, "the writer stopped on its own"
            acknowledged.append(int(line))
        writer.send_signal(signal.SIGKILL)
        acknowledged += [int(line) for line in (await writer.stdout.read()).split()]
    finally:
        if writer.returncode is None:
            writer.kill()
        await writer.wait()
    # Killed, not finished: -9, or 255 when asyncio's child watcher lost the status.
    assert writer.returncode != 0
    async with open_database(database_url) as db:
        stored = {int(r[0]) for r in await db.fetchall("SELECT id FROM question_log")}
    assert set(acknowledged) <= stored
