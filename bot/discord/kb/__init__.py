"""``/kb``: moderators reload, upload, download, audit, revert and teach the knowledge base.

``cog.py`` declares the commands (the extension ``bot.discord.kb.cog``) and
hands each to the module for its job:

- ``reload.py``: ``/kb reload`` and the file watcher (``LABWIRE_WATCH``);
- ``edits.py``: ``upload``, ``download``, ``history``, ``revert`` and how an edit is shown;
- ``teach.py``: ``teach`` and the ``unanswered`` queue with its Teach picker;
- ``stats.py``: ``stats``;
- ``roles.py``: ``config mod-role``;
- ``drafting.py``: ``draft`` and ``drafts``, the draft card and its Review / Edit YAML modals;
- ``feeds.py``: ``feed add|list|remove`` and the feed poster in the moderators' channel;
- ``chart.py``: the stories-per-month chart ``stats`` attaches;
- ``curation.py``: what drafting and feeds share (drafts directory, feed store, guard);
- ``context.py``: what every job needs (services, settings).

The work itself is :class:`bot.moderation.editor.KnowledgeEditor`; who may use
the commands is :mod:`bot.discord.moderators`.
"""
