"""Moderator tools, with no Discord imports: permissions, validated knowledge edits
with an audit trail, the unanswered-questions queue, stats, the weekly briefing,
privacy export/forget and the knowledge-directory watcher.

The Discord cogs in ``bot/discord/cogs`` and the terminal commands in
``bot/terminal/moderation.py`` are thin adapters over this package.
"""
