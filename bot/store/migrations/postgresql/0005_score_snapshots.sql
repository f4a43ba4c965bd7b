-- Schema version 5 (twin of ../0005_score_snapshots.sql): the JSS values Upwork showed, one per day.

CREATE TABLE score_snapshots (
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    recorded_on TEXT COLLATE "C" NOT NULL CHECK (jss_is_date(recorded_on)),
    jss         INTEGER NOT NULL CHECK (jss BETWEEN 0 AND 100),
    created_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, recorded_on)
);
