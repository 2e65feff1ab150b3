-- Questions asked in the terminal (labwire chat, labwire ask) are logged like
-- Discord's, with source 'terminal' and user_id 0: the terminal user (Discord ids
-- are never 0). PostgreSQL named the column's CHECK constraint
-- question_log_source_check; it is replaced in place (rows and ids untouched).
ALTER TABLE question_log DROP CONSTRAINT question_log_source_check;
ALTER TABLE question_log ADD CONSTRAINT question_log_source_check
    CHECK (source IN ('slash', 'mention', 'channel', 'terminal'));
