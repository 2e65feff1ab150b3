-- Manners shared by every bot process of a deployment (issue 15): the per-user
-- cooldown and the rule that one answer is posted once per channel per minute.
-- A single SQLite process keeps these in memory; with PostgreSQL the processes
-- share them here.  Times are unix seconds (REAL) from the processes' clocks.

-- The last public post of each answer in each channel; a claim newer than the
-- window stops another process from posting the same answer there.
CREATE TABLE answer_claims (
    channel_id  INTEGER NOT NULL,
    answer_key  TEXT    NOT NULL,   -- 'article:<id>', the card's reference
    claimed_at  REAL    NOT NULL,
    message_id  INTEGER,            -- the posted answer, once it is posted
    jump_url    TEXT,
    PRIMARY KEY (channel_id, answer_key)
);
CREATE INDEX answer_claims_claimed ON answer_claims (claimed_at);

-- Each user's recent questions: 'hits' holds the times inside the cooldown
-- window, space-separated; one row per user, so its row lock orders the
-- processes counting the same user.
CREATE TABLE ask_cooldowns (
    user_id      INTEGER PRIMARY KEY,
    hits         TEXT    NOT NULL,
    last_at      REAL    NOT NULL,
    notified_at  REAL               -- when the user was last told to slow down
);
CREATE INDEX ask_cooldowns_last ON ask_cooldowns (last_at);
