"""Answer cards: the public card for one entry, its buttons, and ``/article``, ``/person``,
``/org``, ``/takeaways``, ``/latest``.

- ``card.py``: the card (its body is ``bot.search.render.answer_text``, the ``text`` of
  ``ask --json``), the latest-stories embed, and More, Key takeaways, Related, 👍/👎
  under every card (persistent across restarts: the custom id names the entry);
  :class:`AnswerCards` is the service.
- ``cog.py``: the commands (the extension ``bot.discord.cards.cog``).
"""
