"""The one name-folding function: how Labwire decides two spellings are the same name.

Used for aliases and org names in the knowledge model, for autocomplete, and by
the answer engine for every word it indexes or reads, so 'Zoë's', 'zoes' and
'ZOES' meet everywhere.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes: 'Zoë's' -> 'zoes'."""
    text = text.casefold()
    if not text.isascii():  # the accent-stripping pass is the slow part: skip it for ASCII
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("’", "")
    return text.replace("'", "") if "'" in text else text
