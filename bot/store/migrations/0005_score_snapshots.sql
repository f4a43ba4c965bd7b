-- Schema version 5: the JSS values Upwork showed the user, as they record them. Drop attribution
-- compares the model with these; one value per user and day (a later record replaces it).

CREATE TABLE score_snapshots (
    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    recorded_on TEXT NOT NULL CHECK (date(recorded_on) = recorded_on),
    jss INTEGER NOT NULL CHECK (jss BETWEEN 0 AND 100),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, recorded_on)
) WITHOUT ROWID;
