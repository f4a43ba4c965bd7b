-- Schema version 11 (twin of ../0011_job_leases.sql): who runs each periodic job (one process at a time).

CREATE TABLE job_leases (
    job         TEXT COLLATE "C" PRIMARY KEY,
    holder      TEXT COLLATE "C" NOT NULL,
    lease_until TEXT COLLATE "C" NOT NULL,
    taken_at    TEXT COLLATE "C" NOT NULL
);
