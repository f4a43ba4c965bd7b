-- JSS Advisor ledger store on PostgreSQL, schema version 1: the twin of ../0001_initial.sql.
--
-- Differences from the SQLite file, each for a reason: columns are typed (so no typeof() checks); text
-- is COLLATE "C" so ORDER BY and keyset pagination use byte order, as SQLite does; ids are identity
-- columns; date checks use jss_is_date(). Booleans stay INTEGER 0/1 so the stores' SQL is the same.
-- jss_advisor_meta is the schema marker (version) and holds the change counters every write bumps.
--
-- This file runs inside one transaction opened by the migration runner: no BEGIN/COMMIT here.

CREATE TABLE jss_advisor_meta (
    id             INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    application    TEXT    NOT NULL DEFAULT 'jss-advisor' CHECK (application = 'jss-advisor'),
    schema_version INTEGER NOT NULL,
    ledger         BIGINT  NOT NULL DEFAULT 0,  -- ledger-changing commits, by any process
    commits        BIGINT  NOT NULL DEFAULT 0   -- every write commit, bookkeeping included
);
INSERT INTO jss_advisor_meta (id, schema_version) VALUES (1, 0);

-- SQLite's date(x) = x: an ISO 'YYYY-MM-DD' that is a real day.
CREATE FUNCTION jss_is_date(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    RETURN value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND to_char(value::date, 'YYYY-MM-DD') = value;
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;

-- SQLite's group_concat(x): values joined by commas (the stores sort what they split).
CREATE FUNCTION jss_concat_step(acc text, value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value ELSE acc || ',' || value END
$$;
CREATE AGGREGATE group_concat(text) (SFUNC = jss_concat_step, STYPE = text);

CREATE TABLE users (
    user_id    TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(user_id) BETWEEN 1 AND 100),
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE contracts (
    user_id             TEXT COLLATE "C" NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    contract_id         TEXT COLLATE "C" NOT NULL CHECK (length(contract_id) BETWEEN 1 AND 64),
    title               TEXT COLLATE "C" NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    client              TEXT COLLATE "C" NOT NULL CHECK (length(client) BETWEEN 1 AND 200),
    kind                TEXT COLLATE "C" NOT NULL CHECK (kind IN ('hourly', 'fixed')),
    status              TEXT COLLATE "C" NOT NULL CHECK (status IN ('active', 'paused', 'on_hold', 'ended')),
    started             TEXT COLLATE "C" NOT NULL CHECK (jss_is_date(started)),
    ended               TEXT COLLATE "C"          CHECK (ended IS NULL OR jss_is_date(ended)),
    last_activity       TEXT COLLATE "C" NOT NULL CHECK (jss_is_date(last_activity)),
    last_payment        TEXT COLLATE "C"          CHECK (last_payment IS NULL OR jss_is_date(last_payment)),
    earnings_cents      BIGINT  NOT NULL CHECK (earnings_cents >= 0),
    escrow_cents        BIGINT  NOT NULL DEFAULT 0 CHECK (escrow_cents >= 0),
    milestone_submitted TEXT COLLATE "C"          CHECK (milestone_submitted IS NULL
                                                         OR jss_is_date(milestone_submitted)),
    public_stars        DOUBLE PRECISION CHECK (public_stars IS NULL OR public_stars BETWEEN 1.0 AND 5.0),
    private_rating      INTEGER          CHECK (private_rating IS NULL OR private_rating BETWEEN 0 AND 10),
    disputed            INTEGER NOT NULL DEFAULT 0 CHECK (disputed IN (0, 1)),
    refunded_cents      BIGINT  NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
    client_flagged      INTEGER NOT NULL DEFAULT 0 CHECK (client_flagged IN (0, 1)),
    CHECK ((status = 'ended') = (ended IS NOT NULL)),
    PRIMARY KEY (user_id, contract_id)
);

CREATE TABLE close_requests (
    user_id      TEXT COLLATE "C" NOT NULL,
    contract_id  TEXT COLLATE "C" NOT NULL,
    requested_on TEXT COLLATE "C" NOT NULL CHECK (jss_is_date(requested_on)),
    PRIMARY KEY (user_id, contract_id, requested_on),
    FOREIGN KEY (user_id, contract_id) REFERENCES contracts (user_id, contract_id)
        ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE user_settings (
    user_id            TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    timezone           TEXT COLLATE "C" NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    reminders_enabled  INTEGER NOT NULL DEFAULT 0 CHECK (reminders_enabled IN (0, 1)),
    cadence            TEXT COLLATE "C" NOT NULL DEFAULT 'daily' CHECK (cadence IN ('daily', 'biweekly')),
    quiet_start        TEXT COLLATE "C" CHECK (quiet_start IS NULL OR quiet_start ~ '^[0-2][0-9]:[0-5][0-9]$'),
    quiet_end          TEXT COLLATE "C" CHECK (quiet_end IS NULL OR quiet_end ~ '^[0-2][0-9]:[0-5][0-9]$'),
    dm_closed          INTEGER NOT NULL DEFAULT 0 CHECK (dm_closed IN (0, 1)),
    idle_reminder_days INTEGER NOT NULL DEFAULT 30 CHECK (idle_reminder_days BETWEEN 1 AND 365),
    updated_at         TEXT COLLATE "C" NOT NULL
);

CREATE TABLE audit (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    at          TEXT COLLATE "C" NOT NULL,
    action      TEXT COLLATE "C" NOT NULL,
    contract_id TEXT COLLATE "C",
    detail      TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_user_at ON audit (user_id, at);
