"""The Discord adapter: feature packages over the core (``bot.runtime``, ``bot.search``,
``bot.quiz``, ``bot.moderation``, ``bot.storage``), in the style of python-discord's
``exts/<area>/<feature>/``.

Layout
------
- ``bot.py``: :class:`~bot.discord.bot.LabwireBot`; builds :class:`~bot.discord.bot.Services`
  (every service, once) and loads ``EXTENSIONS``, one ``<feature>.cog`` module each.
- One package per feature, each with its cog, views and private helpers:
  ``ask/`` (``/ask``, mentions, ask channels: one delivery path), ``cards/`` (the answer
  card and its buttons; ``/article``, ``/person``, ``/org``, ``/takeaways``, ``/latest``),
  ``risk/``, ``kb/`` (moderators), ``briefing/``, ``privacy/``, ``help/``.
- Shared, written once: ``replies.py`` (every reply, the error reply), ``views.py``
  (:class:`OwnerView`, pages), ``entries.py`` (entry autocomplete and lookup),
  ``refs.py`` (entry references in custom ids), ``limits.py`` (every length limit),
  ``text.py`` (cutting, escaping, mentions), ``embeds.py`` (colours, notices),
  ``moderators.py`` (who may moderate), ``tracking.py`` (one log line per
  interaction, the shutdown drain), ``errors.py`` (a leaf: refusals, error ids).

Adding a feature
----------------
1. Make ``bot/discord/<feature>/`` with a ``cog.py`` holding a ``commands.Cog`` that
   takes the services it uses in its constructor, and ``async def setup(bot)`` that
   passes them from ``bot.services``; append ``"bot.discord.<feature>.cog"`` to
   ``EXTENSIONS`` in ``bot.py``.  A new shared service is built in ``build_services``.
2. In each command: ``async with tracker.span(interaction.id, "name") as span:`` and
   set ``span.outcome``; raise freely, the tree's error handler answers with an error
   id.  Raise ``errors.Refusal("text")`` to refuse politely.  Reply with
   ``replies.reply``/``replies.notice``; cut text with ``text``/``limits``.
3. Per-user components: subclass ``views.OwnerView`` (set ``command``, ``refusal``;
   call ``view.bind(interaction)`` after sending).
4. Settings: add a field to ``bot/settings.py`` and pass the value to your cog.
5. Test it end to end with the fake Discord under ``tests/discord/<feature>/``
   (``tests/README.md``); ``/help`` lists the new command by itself.
"""
