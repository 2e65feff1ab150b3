-- Risk quiz results: one row per completed quiz (terminal or Discord).
-- user_id is text: Discord snowflakes are stored as their decimal string, and the
-- terminal uses 'terminal' (or --user). guild_id is NULL in DMs and the terminal.
-- answers is a JSON object {question id: option id} as scored; band is the band's
-- id ('low', 'moderate', 'high', 'very-high'), stable when its display name changes.
-- created_at is ISO-8601 UTC text written by the application
-- ('2026-03-07T09:00:00.000000Z'), so it sorts and compares as text.
CREATE TABLE quiz_results (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT    NOT NULL CHECK (length(user_id) > 0),
    guild_id      TEXT,
    quiz_id       TEXT    NOT NULL DEFAULT 'risk',
    quiz_version  INTEGER NOT NULL CHECK (quiz_version >= 1),
    answers       TEXT    NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'object'),
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    band          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);
-- "Your last result": newest first per user.
CREATE INDEX quiz_results_user ON quiz_results (quiz_id, user_id, created_at, id);
-- Per-guild statistics.
CREATE INDEX quiz_results_guild ON quiz_results (quiz_id, guild_id, user_id);
