"""``/help``, written from the registered commands (the extension ``bot.discord.help.cog``)."""
