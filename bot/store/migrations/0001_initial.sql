-- JSS Advisor ledger store, schema version 1.
--
-- Every table is keyed by the owning user (a Discord snowflake as text, or a console user name), so
-- every query can and must filter by user_id. Tables with text primary keys are WITHOUT ROWID: the
-- primary key is then the clustered order on disk, so one user's rows sit together and listing a
-- user's ledger is a single range scan.
--
-- Conventions: money is INTEGER cents (never REAL), dates are ISO 'YYYY-MM-DD' TEXT, timestamps are
-- ISO-8601 UTC TEXT; booleans are INTEGER 0/1. CHECK constraints repeat the domain rules so that a bug
-- (or a hand edit) cannot store a value the application would refuse to read back.
--
-- This file runs inside one transaction opened by the migration runner: no BEGIN/COMMIT here.

CREATE TABLE users (
    user_id    TEXT NOT NULL PRIMARY KEY CHECK (length(user_id) BETWEEN 1 AND 100),
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE contracts (
    user_id             TEXT    NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    contract_id         TEXT    NOT NULL CHECK (length(contract_id) BETWEEN 1 AND 64),
    title               TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    client              TEXT    NOT NULL CHECK (length(client) BETWEEN 1 AND 200),
    kind                TEXT    NOT NULL CHECK (kind IN ('hourly', 'fixed')),
    status              TEXT    NOT NULL CHECK (status IN ('active', 'paused', 'on_hold', 'ended')),
    started             TEXT    NOT NULL CHECK (date(started) = started),
    ended               TEXT             CHECK (ended IS NULL OR date(ended) = ended),
    last_activity       TEXT    NOT NULL CHECK (date(last_activity) = last_activity),
    last_payment        TEXT             CHECK (last_payment IS NULL OR date(last_payment) = last_payment),
    earnings_cents      INTEGER NOT NULL CHECK (typeof(earnings_cents) = 'integer' AND earnings_cents >= 0),
    escrow_cents        INTEGER NOT NULL DEFAULT 0
                                         CHECK (typeof(escrow_cents) = 'integer' AND escrow_cents >= 0),
    milestone_submitted TEXT             CHECK (milestone_submitted IS NULL
                                                OR date(milestone_submitted) = milestone_submitted),
    public_stars        REAL             CHECK (public_stars IS NULL OR public_stars BETWEEN 1.0 AND 5.0),
    private_rating      INTEGER          CHECK (private_rating IS NULL
                                                OR (typeof(private_rating) = 'integer'
                                                    AND private_rating BETWEEN 0 AND 10)),
    disputed            INTEGER NOT NULL DEFAULT 0 CHECK (disputed IN (0, 1)),
    refunded_cents      INTEGER NOT NULL DEFAULT 0
                                         CHECK (typeof(refunded_cents) = 'integer' AND refunded_cents >= 0),
    client_flagged      INTEGER NOT NULL DEFAULT 0 CHECK (client_flagged IN (0, 1)),
    CHECK ((status = 'ended') = (ended IS NOT NULL)),
    PRIMARY KEY (user_id, contract_id)
) WITHOUT ROWID;

-- Dates the freelancer asked the client to close the contract. The composite foreign key follows a
-- rename (ON UPDATE CASCADE) and disappears with the contract (ON DELETE CASCADE); the primary key
-- makes recording the same request twice a no-op and doubles as the index the foreign key needs.
CREATE TABLE close_requests (
    user_id      TEXT NOT NULL,
    contract_id  TEXT NOT NULL,
    requested_on TEXT NOT NULL CHECK (date(requested_on) = requested_on),
    PRIMARY KEY (user_id, contract_id, requested_on),
    FOREIGN KEY (user_id, contract_id) REFERENCES contracts (user_id, contract_id)
        ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

-- One row per user who changed a setting; users without a row get the defaults below (reminders are
-- opt-in, hence reminders_enabled = 0).
CREATE TABLE user_settings (
    user_id            TEXT    NOT NULL PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    timezone           TEXT    NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    reminders_enabled  INTEGER NOT NULL DEFAULT 0 CHECK (reminders_enabled IN (0, 1)),
    cadence            TEXT    NOT NULL DEFAULT 'daily' CHECK (cadence IN ('daily', 'biweekly')),
    quiet_start        TEXT             CHECK (quiet_start IS NULL OR quiet_start GLOB '[0-2][0-9]:[0-5][0-9]'),
    quiet_end          TEXT             CHECK (quiet_end IS NULL OR quiet_end GLOB '[0-2][0-9]:[0-5][0-9]'),
    dm_closed          INTEGER NOT NULL DEFAULT 0 CHECK (dm_closed IN (0, 1)),
    idle_reminder_days INTEGER NOT NULL DEFAULT 30 CHECK (idle_reminder_days BETWEEN 1 AND 365),
    updated_at         TEXT    NOT NULL
) WITHOUT ROWID;

-- What changed, when, for the user's own history ("what did the import do?"). Deleted with the user.
-- contract_id is deliberately not a foreign key: the history outlives a removed or renamed contract.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    contract_id TEXT,
    detail      TEXT NOT NULL DEFAULT '{}'
);

-- Newest-first history per user, and the index the audit -> users foreign key needs for cascades.
CREATE INDEX audit_user_at ON audit (user_id, at);
