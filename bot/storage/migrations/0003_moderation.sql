-- Moderator tools: the audit trail of knowledge edits, what the bot last saw on
-- disk (to spot changes made outside the bot), per-guild moderator roles and
-- weekly-briefing subscriptions.  Times are ISO-8601 UTC text written by the
-- application ('2026-03-07T09:00:00.000000Z'), so they sort as text.

-- One row per change to a knowledge file.  Full before/after text makes every
-- change reviewable and revertable; '' means "the file did not exist".
CREATE TABLE kb_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at  TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('upload', 'revert', 'teach', 'external')),
    actor_id    INTEGER,            -- Discord user id; NULL for external changes
    actor_name  TEXT,
    guild_id    INTEGER,            -- where the command ran; NULL for external changes
    entry       TEXT,               -- 'article:<id>', or several 'org:a,org:b'
    file        TEXT    NOT NULL,   -- relative to the knowledge root, e.g. 'articles/x.yaml'
    before_text TEXT    NOT NULL,
    after_text  TEXT    NOT NULL,
    reverts     INTEGER REFERENCES kb_revisions (id)
);
CREATE INDEX kb_revisions_created ON kb_revisions (created_at);
CREATE INDEX kb_revisions_file ON kb_revisions (file, id);

-- The text of every knowledge file as of the last good load; a reload that finds
-- a different hash records an 'external' revision (a git pull, an editor).
CREATE TABLE kb_files_seen (
    file    TEXT PRIMARY KEY,
    sha256  TEXT NOT NULL,
    text    TEXT NOT NULL,
    seen_at TEXT NOT NULL
);

-- Roles that count as moderators in a guild, besides Manage Server and
-- LABWIRE_MOD_ROLE_IDS (set with /kb config mod-role).
CREATE TABLE guild_mod_roles (
    guild_id INTEGER NOT NULL,
    role_id  INTEGER NOT NULL,
    added_by INTEGER,
    added_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, role_id)
);

-- One weekly briefing per guild.  last_sent_at is when the last scheduled
-- briefing was handled (posted, or found empty), so a restart neither skips
-- nor repeats one.
CREATE TABLE briefing_subscriptions (
    guild_id      INTEGER PRIMARY KEY,
    channel_id    INTEGER NOT NULL,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
    hour          INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),    -- UTC
    subscribed_by INTEGER,
    subscribed_at TEXT    NOT NULL,
    last_sent_at  TEXT
);
