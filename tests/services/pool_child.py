"""A process that owns a started `ProcessPoolRunner`, for the test that SIGKILLs it: it prints its
workers' pids on one line (the test's progress signal), then waits on stdin until it is killed."""

from __future__ import annotations

import asyncio
import sys

from bot.services.workers import ProcessPoolRunner, worker_pids


async def main() -> None:
    runner = ProcessPoolRunner(workers=2)
    await runner.ready()
    print(" ".join(str(pid) for pid in worker_pids(runner)), flush=True)
    await asyncio.to_thread(sys.stdin.readline)  # the test kills us before this returns
    await runner.close()


if __name__ == "__main__":
    asyncio.run(main())
