"""``/privacy export-me`` and ``/privacy forget-me`` (the extension ``bot.discord.privacy.cog``)."""
