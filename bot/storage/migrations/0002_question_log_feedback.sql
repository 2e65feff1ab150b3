-- Discord bot: every question asked, and 👍/👎 feedback on the answers.
-- Times are ISO-8601 UTC text written by the application
-- ('2026-03-07T09:00:00.000000Z'), so they sort and compare as text; rows older
-- than the retention setting (LABWIRE_RETENTION_DAYS, default 90) are pruned daily.

-- One row per question (slash command, mention or plain message in an ask channel).
-- 'answered' is 1 when a public answer was shown (directly, or after the asker
-- picked a "Did you mean" suggestion); moderators' unanswered queue is answered = 0.
CREATE TABLE question_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at    TEXT    NOT NULL,
    question    TEXT    NOT NULL,
    source      TEXT    NOT NULL CHECK (source IN ('slash', 'mention', 'channel')),
    guild_id    INTEGER,            -- NULL in direct messages
    channel_id  INTEGER,
    user_id     INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('answered', 'not_sure', 'no_answer')),
    entry_kind  TEXT,               -- matched (or picked) entry, NULL when nothing matched
    entry_id    TEXT,
    confidence  REAL    NOT NULL,
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
    message_id  INTEGER             -- the public answer message, which carries the feedback buttons
);
CREATE INDEX question_log_asked_at ON question_log (asked_at);
CREATE INDEX question_log_unanswered ON question_log (answered, asked_at);
CREATE INDEX question_log_user ON question_log (user_id);
CREATE INDEX question_log_message ON question_log (message_id);

-- One vote per user per answer message; voting again changes the vote.
CREATE TABLE feedback (
    message_id  INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER,
    entry_kind  TEXT    NOT NULL,
    entry_id    TEXT    NOT NULL,
    vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX feedback_entry ON feedback (entry_kind, entry_id);
CREATE INDEX feedback_user ON feedback (user_id);
CREATE INDEX feedback_updated ON feedback (updated_at);
