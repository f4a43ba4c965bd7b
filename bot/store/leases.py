"""Leases on periodic jobs: which of several processes sharing the database runs a job right now.

Why a lease (a row with an end time) and not a lock held by a connection: a process can die at any moment
(SIGKILL, a lost host), and nothing it holds may outlive it for long. The holder renews its lease while it
works; when it stops renewing, the lease runs out and any other process takes the job over. A clean stop
releases it at once. Correctness never depends on the lease (the jobs it guards are safe to run twice:
the reminder queue's claims and change counters make a second run a no-op); it keeps N processes from
doing the same work N times.

Each step is one write transaction of plain SQL with `?` placeholders, the same on SQLite and PostgreSQL:
the take is a single upsert whose `WHERE` re-checks the current row (on PostgreSQL, `ON CONFLICT DO UPDATE`
locks the row and re-evaluates it, so two processes cannot both take an expired lease), then a read of
the row in the same transaction says who holds it.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from .backend import Database, stamp

TAKE = (
    "INSERT INTO job_leases (job, holder, lease_until, taken_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until, "
    "taken_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.taken_at ELSE excluded.taken_at END "
    "WHERE job_leases.holder = excluded.holder OR job_leases.lease_until <= ?"
)
READ = "SELECT holder, lease_until, taken_at FROM job_leases WHERE job = ?"
RELEASE = "DELETE FROM job_leases WHERE job = ? AND holder = ?"


def process_holder() -> str:
    """A holder name unique to this process instance: host, pid and a random part (a restarted process
    with the same pid must not renew its dead predecessor's lease; that one has to run out)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True, slots=True)
class Lease:
    """A job's lease as the database has it after a take: who holds it, until when, since when."""

    job: str
    holder: str
    until: datetime
    taken_at: datetime

    def held_by(self, holder: str) -> bool:
        return self.holder == holder


class JobLeases:
    """Take, renew and release job leases on a shared `Database` (bookkeeping: answers never depend on it)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def take(self, job: str, holder: str, now: datetime, duration: timedelta) -> Lease:
        """Take the job, or renew it if `holder` has it, unless another holder's lease is still running.

        Returns the lease as it stands: `lease.held_by(holder)` says whether the job is ours until
        `lease.until`; `lease.taken_at == now` when it was just taken (not renewed)."""
        if duration <= timedelta(0):
            raise ValueError("a lease must last some time")
        now_s = stamp(now)
        async with self._database.write(changes_ledger=False) as db:
            await db.execute(TAKE, (job, holder, stamp(now + duration), now_s, now_s))
            rows = list(await db.execute_fetchall(READ, (job,)))
        holder_now, until, taken = rows[0]
        return Lease(job, str(holder_now), datetime.fromisoformat(until), datetime.fromisoformat(taken))

    async def release(self, job: str, holder: str) -> bool:
        """Give the job up at once (a clean stop), if `holder` still has it."""
        async with self._database.write(changes_ledger=False) as db:
            cursor = await db.execute(RELEASE, (job, holder))
            return cursor.rowcount > 0

    async def current(self, job: str) -> Lease | None:
        """The job's lease row, running or ended (diagnostics and tests)."""
        async with self._database.read() as db:
            rows = list(await db.execute_fetchall(READ, (job,)))
        if not rows:
            return None
        holder, until, taken = rows[0]
        return Lease(job, str(holder), datetime.fromisoformat(until), datetime.fromisoformat(taken))
