"""Which words are ordinary English.

A question word the knowledge base has never seen is strong evidence that the
question is about something else when it is a name or a term of art
('aschenbrenner', 'kokotajlo'), and almost none when it is ordinary English
('deleting', 'dramatic', 'hype'): people wrap questions in everyday words the
curated text never uses.  SCOWL's word lists (see data/NOTICE) tell the two apart.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def common_english() -> frozenset[str]:
    """About 63 000 lower-case English words (SCOWL sizes 10-50, no proper names)."""
    data = resources.files("bot.search").joinpath("data/common-english.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("ascii").split())


@lru_cache(maxsize=1)
def common_terms() -> frozenset[str]:
    """The same words as index terms (stemmed), to test question terms against."""
    from bot.search.text import content_terms

    return frozenset(t for word in common_english() for t in content_terms(word, markup=False))
