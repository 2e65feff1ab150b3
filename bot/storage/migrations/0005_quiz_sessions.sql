-- /risk quizzes in progress, one row per pass (issue 11 item 5). The quiz's buttons
-- and select carry the session id in their custom ids, so a click on an old message
-- carries on after the bot restarts. A session is refused, and deleted, once
-- expires_at has passed: the view timeout after the last click. Cancelling deletes it
-- at once. Plain, portable SQL (SQLite and PostgreSQL).
-- user_id and guild_id are text, as in quiz_results; answers is a JSON object
-- {question id: option id}; finished and shared are 0 or 1.
CREATE TABLE quiz_sessions (
    id            TEXT    PRIMARY KEY,
    user_id       TEXT    NOT NULL,
    guild_id      TEXT,
    quiz_id       TEXT    NOT NULL,
    quiz_version  INTEGER NOT NULL,
    step          INTEGER NOT NULL CHECK (step >= 0),
    answers       TEXT    NOT NULL,
    finished      INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
    shared        INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL
);
CREATE INDEX quiz_sessions_expires ON quiz_sessions (expires_at);
CREATE INDEX quiz_sessions_user ON quiz_sessions (user_id);
