-- Schema version 9 (twin of ../0009_pending_refunds_asked_on.sql): refunds waiting for their earning, and
-- the day the guided run recorded a close request.

CREATE TABLE pending_refunds (
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    export_kind  TEXT COLLATE "C" NOT NULL CHECK (export_kind IN ('transactions', 'weekly')),
    payment_key  TEXT COLLATE "C" NOT NULL CHECK (length(payment_key) = 64),
    refers_key   TEXT COLLATE "C" NOT NULL CHECK (length(refers_key) = 64),
    day          TEXT COLLATE "C" NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    kind         TEXT COLLATE "C" CHECK (kind IS NULL OR kind IN ('hourly', 'fixed')),
    PRIMARY KEY (user_id, export_kind, payment_key)
);

CREATE INDEX pending_refunds_by_earning ON pending_refunds (user_id, export_kind, refers_key);

ALTER TABLE onboarding_questions ADD COLUMN asked_on TEXT COLLATE "C"
    CHECK (asked_on IS NULL OR asked_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
