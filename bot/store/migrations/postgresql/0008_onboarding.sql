-- Schema version 8 (twin of ../0008_onboarding.sql): the guided first run's questions, per contract.

CREATE TABLE onboarding_questions (
    user_id     TEXT COLLATE "C" NOT NULL,
    contract_id TEXT COLLATE "C" NOT NULL,
    position    INTEGER NOT NULL CHECK (position >= 0),
    state       TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'answered', 'skipped')),
    updated_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, contract_id),
    FOREIGN KEY (user_id, contract_id) REFERENCES contracts (user_id, contract_id)
        ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX onboarding_questions_pending ON onboarding_questions (user_id, state, position);
