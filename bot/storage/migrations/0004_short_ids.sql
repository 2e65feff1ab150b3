-- Short, stable knowledge ids (issue 10 item 5): every article id was the last
-- segment of its story's URL (up to 125 characters); it is now
-- YYYY-MM-DD-short-topic. The knowledge files keep each old id in previous_ids, so
-- the bot still resolves it; this migration rewrites the ids stored in existing
-- databases so logs, feedback, revisions and the watcher's snapshot name the
-- entries by their new ids. People and organisations kept their ids.
--
-- Plain, portable SQL (SQLite and PostgreSQL): a rename table, UPDATEs with
-- correlated subqueries, and the table dropped again. Rows whose id is not in the
-- table (other entries, or ids unknown to this knowledge base) are left alone.

CREATE TABLE short_id_renames (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL UNIQUE
);

INSERT INTO short_id_renames (old_id, new_id) VALUES
    ('anthropic-ceo-says-company-cannot-accede-pentagons-request-in-ai-safeguards-dispute',
     '2026-02-27-amodei-cannot-accede-pentagon'),
    ('anthropic-sues-pentagon-over-ai-blacklisting',
     '2026-03-09-anthropic-sues-pentagon'),
    ('anthropic-waters-down-core-ai-safety-rules',
     '2026-02-25-anthropic-rsp-v3-drops-pause'),
    ('asml-becomes-biggest-mistral-investor-in-boost-europes-ai-ambitions',
     '2025-09-09-asml-invests-in-mistral'),
    ('chatgpt-or-quitgpt-openais-app-uninstall-rate-jumps-295-percent-after-pentagon-deal',
     '2026-03-03-chatgpt-uninstalls-up-295-percent'),
    ('elon-musk-merges-spacex-and-xai-into-1-trillion-company',
     '2026-02-02-spacex-acquires-xai'),
    ('eu-commission-proposes-delay-to-ai-act-to-2027-amid-digital-omnibus-proposal',
     '2025-11-19-eu-proposes-ai-act-delay'),
    ('google-deepmind-and-openai-employees-demand-anthropic-style-red-lines-on-pentagon-surveillance-and-autonomous-weapons',
     '2026-02-27-we-will-not-be-divided-letter'),
    ('google-quietly-drops-promise-to-keep-ai-out-of-warfare-and-spying',
     '2025-02-05-google-drops-ai-weapons-pledge'),
    ('google-signs-secret-pentagon-ai-deal-staff-opposition',
     '2026-04-28-google-classified-pentagon-deal'),
    ('googles-gemini-3-launch-why-it-matters',
     '2025-11-18-google-releases-gemini-3'),
    ('ilya-sutskever-ceo-safe-superintelligence',
     '2025-07-03-sutskever-becomes-ssi-ceo'),
    ('india-the-new-battleground-for-global-ai-giants',
     '2026-02-24-ai-labs-bet-on-india'),
    ('meta-ai-chief-yann-lecun-to-leave-company',
     '2025-11-12-lecun-to-leave-meta'),
    ('meta-makes-major-ai-move-143-billion-stake-scale-hires-ceo',
     '2025-06-13-meta-buys-stake-in-scale-ai'),
    ('meta-reality-labs-cuts-2026',
     '2026-01-meta-reality-labs-cuts'),
    ('meta-refuses-to-sign-the-eus-ai-code-of-practice',
     '2025-07-30-meta-refuses-eu-ai-code'),
    ('microsofts-bold-bet-on-humanist-superintelligence',
     '2025-11-10-microsoft-superintelligence-team'),
    ('nvidia-s-market-value-plummets-amid-deepseek-ai-model-s-buzz',
     '2025-01-28-deepseek-r1-sinks-nvidia'),
    ('openai-122-billion-funding-852-billion-valuation-amazon-agi-clause-2026',
     '2026-03-31-openai-round-amazon-agi-clause'),
    ('openai-adopts-new-business-model-keeps-microsoft-as-key-partner',
     '2025-10-29-openai-becomes-pbc'),
    ('openai-caitlin-kalinowski-robotics-resignation-pentagon-deal-2026',
     '2026-03-07-kalinowski-quits-openai'),
    ('openai-lands-pentagon-deal-hours-after-trump-blacklists-anthropic',
     '2026-02-28-openai-lands-pentagon-deal'),
    ('openai-raises-122b-at-an-852b-valuation',
     '2026-03-31-openai-raises-122b'),
    ('openai-researcher-zoe-hitzig-resigns-concerns-ads-chatgpt',
     '2026-02-12-zoe-hitzig-quits-over-chatgpt-ads'),
    ('openai-robotics-chief-departs-over-pentagon-partnership',
     '2026-03-09-openai-robotics-chief-departs'),
    ('openai-to-amend-pentagon-ai-deal-to-bar-domestic-surveillance-freezes-intelligence-agency-use',
     '2026-03-03-openai-amends-pentagon-deal'),
    ('openai-vs-anthropic-vs-ssi-three-visions-for-safe-ai',
     'undated-three-visions-for-safe-ai'),
    ('openais-pentagon-deal-definitely-rushed-says-ceo-sam-altman',
     '2026-03-02-altman-says-deal-was-rushed'),
    ('pentagon-awards-800m-in-ai-contracts-to-openai-google-anthropic-and-xai',
     '2025-07-14-pentagon-awards-800m-ai-contracts'),
    ('pentagon-musks-xai-reach-agreement-to-use-grok-in-classified-systems-report',
     '2026-02-24-xai-grok-classified-deal'),
    ('pentagon-releases-artificial-intelligence-strategy',
     '2026-01-09-pentagon-ai-strategy'),
    ('restoring-department-of-war',
     '2025-09-05-department-of-war-order'),
    ('sam-altman-says-gpt-5-critics-are-wrong-calls-it-a-big-leap-toward-real-scientific-ai-2798430-2025-10-06',
     '2025-10-06-altman-defends-gpt-5'),
    ('sutskever-deposition-details-52-page-memo-behind-altman-ouster',
     '2025-10-01-sutskever-deposition-memo'),
    ('the-ai-gold-rush-anthropics-380bn',
     '2026-02-anthropic-series-g'),
    ('trump-orders-federal-agencies-to-ditch-woke-claude',
     '2026-02-27-trump-orders-agencies-off-claude'),
    ('us-district-judge-rita-lin-blocks-pentagon-designation-of-anthropic-supply-chain--Story_20260326_JudgeRitaFLinOrdersT989de991',
     '2026-03-26-judge-lin-blocks-designation'),
    ('us-used-anthropics-claude-during-the-venezuela-raid-wsj-reports',
     '2026-02-14-claude-used-in-maduro-raid'),
    ('world-is-in-peril-anthropic-ai-safety-researcher-resigns-warns-of-global-risks',
     '2026-02-11-mrinank-sharma-quits-anthropic');

UPDATE question_log
   SET entry_id = (SELECT r.new_id FROM short_id_renames r WHERE r.old_id = question_log.entry_id)
 WHERE entry_kind = 'article'
   AND entry_id IN (SELECT old_id FROM short_id_renames);

UPDATE feedback
   SET entry_id = (SELECT r.new_id FROM short_id_renames r WHERE r.old_id = feedback.entry_id)
 WHERE entry_kind = 'article'
   AND entry_id IN (SELECT old_id FROM short_id_renames);

-- kb_revisions.entry holds one key, 'article:<id>', for an article.
UPDATE kb_revisions
   SET entry = (SELECT 'article:' || r.new_id FROM short_id_renames r
                 WHERE 'article:' || r.old_id = kb_revisions.entry)
 WHERE entry IN (SELECT 'article:' || old_id FROM short_id_renames);

UPDATE kb_revisions
   SET file = (SELECT 'articles/' || r.new_id || '.yaml' FROM short_id_renames r
                WHERE 'articles/' || r.old_id || '.yaml' = kb_revisions.file)
 WHERE file IN (SELECT 'articles/' || old_id || '.yaml' FROM short_id_renames);

-- The watcher's snapshot: the renamed file takes over the old file's row, so the
-- next reload records the rename as one change to the new file. If a row for the
-- new name already exists, it is newer: the stale old row goes.
DELETE FROM kb_files_seen
 WHERE file IN (SELECT 'articles/' || r.old_id || '.yaml' FROM short_id_renames r
                 WHERE EXISTS (SELECT 1 FROM kb_files_seen s
                                WHERE s.file = 'articles/' || r.new_id || '.yaml'));

UPDATE kb_files_seen
   SET file = (SELECT 'articles/' || r.new_id || '.yaml' FROM short_id_renames r
                WHERE 'articles/' || r.old_id || '.yaml' = kb_files_seen.file)
 WHERE file IN (SELECT 'articles/' || old_id || '.yaml' FROM short_id_renames);

DROP TABLE short_id_renames;
