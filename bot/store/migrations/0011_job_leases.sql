-- Schema version 11: who runs each periodic job. Several bot processes may share one database (one host on
-- SQLite, or PostgreSQL); a periodic job (the reminder derivation pass) runs in one of them at a time. A row
-- names the job, the process holding it and when its lease ends: the holder renews it while it works, and
-- once it ends (the holder died or stopped) any process may take the job over. Times are stored like every
-- other timestamp here (ISO-8601 UTC text of fixed precision, which sorts as time).

CREATE TABLE job_leases (
    job TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    taken_at TEXT NOT NULL
);
