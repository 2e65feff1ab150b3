"""The one way Labwire tells the time of day: timezone-aware UTC.

Code that needs "now" takes a :data:`Clock` (default :func:`utc_now`), so tests
can set the time instead of waiting for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
