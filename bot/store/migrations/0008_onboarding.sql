-- Schema version 8: the guided first run (`/start`, `import-csv --interactive`), per user and contract.
-- Why stored: the questions an import raises (a contract's status, the stars it ended with, whether the
-- client was asked to close it) are asked a few at a time, and a user who leaves midway picks up where
-- they left, days later or from the other front end, without being asked again what they answered or
-- skipped. A question belongs to its contract: it goes when the contract goes and follows a rename.

CREATE TABLE onboarding_questions (
    user_id     TEXT    NOT NULL,
    contract_id TEXT    NOT NULL,
    position    INTEGER NOT NULL CHECK (position >= 0),
    state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'answered', 'skipped')),
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, contract_id),
    FOREIGN KEY (user_id, contract_id) REFERENCES contracts (user_id, contract_id)
        ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE INDEX onboarding_questions_pending ON onboarding_questions (user_id, state, position);
