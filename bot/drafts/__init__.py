"""Keeping the knowledge current: draft an article entry from a link (issue 14).

Fetching (:mod:`bot.drafts.fetch`, guarded by :mod:`bot.drafts.guard`),
extraction with trafilatura (:mod:`bot.drafts.extract`), the draft builder
(:mod:`bot.drafts.builder`), drafts on disk (:mod:`bot.drafts.store`), and
publishing through the moderators' validated edit path (:mod:`bot.drafts.service`).
No Discord imports: the terminal and the Discord cogs are thin adapters over this.
"""
