"""Questions: ``/ask``, @mentions and plain questions in ask channels.

One answer path, three doors:

- ``cog.py``: the ``/ask`` command and the message listener (the extension
  ``bot.discord.ask.cog``); each turns what arrived into a door and hands it on.
- ``delivery.py``: :class:`AnswerDelivery`, the one path both share: cooldown,
  the engine (off the event loop), the 60-second duplicate rule, the public card,
  "Did you mean…", the question log; and the two doors (an interaction, or a
  message to reply to) that say where replies go.
- ``suggestions.py``: "Did you mean…" and its picker.
- ``pacing.py``: the per-user cooldown and the duplicate rule.
- ``followups.py``: which earlier answer a question follows (a reply to it, a thread
  on it, the same user within two minutes), passed to the engine as ``context``.
"""
