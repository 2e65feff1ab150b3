"""The one error family of drafting: each message is a single line for the moderator."""

from __future__ import annotations


class LinkError(Exception):
    """A link could not be fetched or turned into a draft; ``str(error)`` says why."""
