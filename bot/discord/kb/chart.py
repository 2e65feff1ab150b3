"""The ``/kb stats`` chart: stories per month as a small bar chart image.

Moderators see at a glance whether the knowledge is current, which a column of
numbers does not show as well.  Drawn with Pillow (its bundled font), 640x260
pixels, in Discord's dark theme colours so it reads well in an embed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 640, 260
MARGIN_X, TOP, BOTTOM = 24, 40, 44
BACKGROUND = (43, 45, 49)  # Discord's dark embed background
BAR = (79, 124, 255)  # the bot's brand colour (embeds.BRAND)
EMPTY = (88, 91, 99)
TEXT = (219, 222, 225)
FILENAME = "stories-per-month.png"


def stories_chart_png(per_month: Sequence[tuple[str, int]], title: str) -> bytes:
    """A PNG bar chart of ``per_month`` ('YYYY-MM', count), oldest month first."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=13)
    draw.text((MARGIN_X, 10), title, fill=TEXT, font=ImageFont.load_default(size=16))
    peak = max((count for _, count in per_month), default=0)
    slot = (WIDTH - 2 * MARGIN_X) / max(len(per_month), 1)
    floor = HEIGHT - BOTTOM
    for index, (month, count) in enumerate(per_month):
        left = MARGIN_X + index * slot + slot * 0.15
        right = MARGIN_X + (index + 1) * slot - slot * 0.15
        height = (floor - TOP - 18) * count / peak if peak else 0
        top = floor - max(height, 2)
        draw.rectangle((left, top, right, floor), fill=BAR if count else EMPTY)
        centre = (left + right) / 2
        draw.text((centre, top - 4), str(count), fill=TEXT, font=small, anchor="mb")
        draw.text((centre, floor + 6), _month_label(month), fill=TEXT, font=small, anchor="mt")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _month_label(month: str) -> str:
    """'2026-03' -> 'Mar 26'."""
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")
    year, _, number = month.partition("-")
    try:
        return f"{names[int(number) - 1]} {year[2:]}"
    except (ValueError, IndexError):
        return month
