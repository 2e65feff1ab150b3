-- News feeds that moderators follow (labwire kb feed add, /kb feed add), and every
-- item seen in them, so an item reaches the moderators once, ever, across restarts.
--
-- Portable SQL (SQLite and PostgreSQL run the same file): ids are assigned by the
-- application (MAX(id) + 1 inside the write transaction), Discord ids are BIGINT,
-- flags are status words with CHECKs, and times are ISO-8601 UTC text written by
-- the application ('2026-03-07T09:00:00.000000Z'), so they sort as text.

CREATE TABLE feeds (
    id                  INTEGER PRIMARY KEY,
    url                 TEXT    NOT NULL UNIQUE,
    title               TEXT,
    added_at            TEXT    NOT NULL,
    added_by            BIGINT,             -- Discord user id; NULL from the terminal
    etag                TEXT,               -- validators for conditional GET
    last_modified       TEXT,
    last_polled_at      TEXT,
    last_ok_at          TEXT,
    failures            INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),  -- in a row
    last_error          TEXT,
    failure_reported_at TEXT                -- the moderators were told; cleared on success
);

-- One row per item ever seen, keyed by its canonical URL (scheme, www., tracking
-- parameters and trailing slashes removed), so the same story in two feeds is one item.
-- status: 'waiting' (not yet shown to moderators), 'posted' (in the moderators'
-- channel), 'drafted' (a draft was made from it), 'dismissed'.
CREATE TABLE feed_items (
    url_key     TEXT    PRIMARY KEY,
    link        TEXT    NOT NULL,           -- the link as the feed gave it
    title       TEXT    NOT NULL,
    published   TEXT,                       -- YYYY-MM-DD when the feed says
    feed_id     INTEGER REFERENCES feeds (id) ON DELETE SET NULL,
    first_seen  TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('waiting', 'posted', 'drafted', 'dismissed')),
    status_at   TEXT    NOT NULL,
    status_by   BIGINT,                     -- the moderator who drafted or dismissed it
    channel_id  BIGINT,                     -- where it was posted
    message_id  BIGINT,
    draft_id    TEXT
);
CREATE INDEX feed_items_status ON feed_items (status, first_seen);
CREATE INDEX feed_items_feed ON feed_items (feed_id);
CREATE INDEX feed_items_message ON feed_items (message_id);
