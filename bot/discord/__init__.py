"""The Discord adapter: a thin layer over ``bot.runtime.KnowledgeService`` and ``bot.quiz``.

Layout
------
- ``client.py``: :class:`~bot.discord.client.LabwireBot` (an ``AutoShardedBot``)
  and ``EXTENSIONS``, the list of feature cogs loaded at start.
- ``config.py``: settings from the environment / ``.env``, validated at start.
- ``cogs/``: one module per feature (ask, cards, risk, help).
- ``answers.py``: the public answer message, its persistent buttons, "Did you mean…".
- ``views.py``: :class:`~bot.discord.views.OwnerView`, the base for per-user flows.
- ``embeds.py`` / ``text.py``: embed builders; limits, truncation with "…", escaping.
- ``errors.py``: the one error handler (ephemeral message with an error id).
- ``tracking.py``: one INFO line per interaction and the graceful-shutdown drain.
- ``safety.py``: cooldown and the 60-second duplicate-answer rule.

Adding a feature (e.g. moderator tools)
---------------------------------------
1. Write ``bot/discord/cogs/<feature>.py`` with a ``commands.Cog`` and
   ``async def setup(bot: LabwireBot)``; append its dotted name to
   ``client.EXTENSIONS``.
2. Use the shared pieces on the bot: ``bot.service`` (read ``.engine``/``.kb``
   once per request; ``reload`` via ``asyncio.to_thread``), ``bot.db``
   (``Database``; put queries in a repository under ``bot/storage``),
   ``bot.questions`` (question log + feedback), ``bot.config`` (feature settings
   from ``bot.config.env`` with ``config.parse_ids``/``parse_float``).
3. In each command: ``async with bot.tracker.span(interaction.id, "name") as span:``
   and set ``span.outcome``; raise freely, ``LabwireTree.on_error`` answers with
   an error id.  Raise ``errors.Refusal("text")`` from a check to refuse politely.
4. Per-user components: subclass ``OwnerView`` (set ``command``, ``refusal``;
   call ``view.bind(interaction)`` after sending).  Send everything with
   ``allowed_mentions=errors.NO_MENTIONS`` and build embeds with ``embeds``/``text``.
5. Test it end to end with the fake Discord: see ``tests/README.md``.
"""
