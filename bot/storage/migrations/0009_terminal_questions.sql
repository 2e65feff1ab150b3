-- Questions asked in the terminal (labwire chat, labwire ask) are logged like
-- Discord's, with source 'terminal' and user_id 0: the terminal user (Discord ids
-- are never 0). SQLite cannot change a CHECK constraint in place, so question_log
-- is rebuilt with the same columns, rows, ids and indexes. PostgreSQL changes the
-- constraint in place instead (0009_terminal_questions.postgresql.sql).
CREATE TABLE question_log_0009 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at    TEXT    NOT NULL,
    question    TEXT    NOT NULL,
    source      TEXT    NOT NULL CHECK (source IN ('slash', 'mention', 'channel', 'terminal')),
    guild_id    INTEGER,
    channel_id  INTEGER,
    user_id     INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('answered', 'not_sure', 'no_answer')),
    entry_kind  TEXT,
    entry_id    TEXT,
    confidence  REAL    NOT NULL,
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
    message_id  INTEGER
);
INSERT INTO question_log_0009 (id, asked_at, question, source, guild_id, channel_id, user_id,
                               status, entry_kind, entry_id, confidence, answered, message_id)
    SELECT id, asked_at, question, source, guild_id, channel_id, user_id,
           status, entry_kind, entry_id, confidence, answered, message_id
    FROM question_log;
DROP TABLE question_log;
ALTER TABLE question_log_0009 RENAME TO question_log;
CREATE INDEX question_log_asked_at ON question_log (asked_at);
CREATE INDEX question_log_unanswered ON question_log (answered, asked_at);
CREATE INDEX question_log_user ON question_log (user_id);
CREATE INDEX question_log_message ON question_log (message_id);
