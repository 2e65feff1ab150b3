"""Answer cards: the public card for one entry, its buttons, and ``/article``, ``/person``,
``/org``, ``/takeaways``, ``/latest``.

- ``embeds.py``: the card, its takeaways and related entries, the latest stories.
- ``buttons.py``: Key takeaways, Related, 👍/👎 under every card (persistent across
  restarts: the custom id names the entry); :class:`AnswerCards` is the service.
- ``cog.py``: the commands (the extension ``bot.discord.cards.cog``).
"""
