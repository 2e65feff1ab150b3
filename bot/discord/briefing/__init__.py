"""``/briefing``: a weekly embed of new and updated stories in a channel moderators choose.

- ``poster.py``: :class:`BriefingPoster`, which posts every due briefing (a
  background loop every ``LABWIRE_BRIEFING_POLL_SECONDS``).
- ``embeds.py``: the briefing and its schedule line.
- ``cog.py``: ``/briefing channel|preview|off`` (the extension ``bot.discord.briefing.cog``).

The scheduling rules are :mod:`bot.moderation.briefing`.
"""
