-- Feed ids come from the database, not from MAX(id) + 1 in the application (two
-- processes adding a feed at once could pick the same number).  SQLite already
-- numbers an INTEGER PRIMARY KEY by itself, so there is nothing to change there;
-- PostgreSQL gets an identity column (0008_feed_ids.postgresql.sql).
SELECT 1;
