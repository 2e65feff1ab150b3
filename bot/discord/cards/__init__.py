"""Answer cards: the public card for one entry, its buttons, and ``/article``, ``/person``,
``/org``, ``/takeaways``, ``/latest``.

- ``card.py``: the card, and Key takeaways, Related, 👍/👎 under every card
  (persistent across restarts: the custom id names the entry); :class:`AnswerCards`
  is the service.
- ``cog.py``: the commands and the latest-stories embed (the extension
  ``bot.discord.cards.cog``).
"""
