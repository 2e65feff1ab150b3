"""Feature cogs; each module has ``async def setup(bot)`` and is listed in ``client.EXTENSIONS``."""
