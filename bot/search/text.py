"""Text normalisation shared by indexing and querying.

Both sides go through the same steps, so 'Zoë', 'zoe' and 'ZOE' meet, emoji,
links and markdown vanish, and 'resigned', 'resigns' and 'resignation' all
become 'resign'.
"""

from __future__ import annotations

import re

from bot.folding import fold

MAX_QUERY_CHARS = 400

# Mentions are the adapter's business (bot.discord strips them before asking); custom
# emoji and links are markup in any text, and so is raw mention syntax that reaches
# the engine some other way: its number is never what a question is about.
_MARKUP = re.compile(r"<a?:\w+:\d+>|<[@#][!&]?\d+>|https?://\S+")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
# Letters, digit runs (with decimals) and currency/percent signs are separate tokens,
# so '$30bn' -> '$', '30', 'bn' and '295%' -> '295', '%'.
# Single letters are kept: some carry meaning ('Series G', 'X' the platform); the
# matcher ignores a single letter the knowledge base never uses.
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?|[$€%]")

# Function words, question words and chat filler: they say nothing about which
# story a question is about, so they neither match nor count as unmatched.
STOPWORDS = frozenset(
    """
a about above actually after again against ago all also am an and any anyone anything are
aren around as ask asking at be because been before being below between both but by can cant
could couldnt did didnt do does doesnt doing done dont down dumb during each else even ever
every explain few for from further get gets getting give go going gone got had hadnt has
hasnt have havent having he hed hell hello her here hers herself hey hi him himself his how
however i id ill im in into is isnt it its itself ive just keep kind know knows lets like
lot me mean means meant mine more most much must my myself need no nor not now of off ok
okay on once one only or other our ours ourselves out over own please pls question quick
really right said say says see seem seems she should shouldnt so some someone something
sorry still such summary tell than thank thanks that thats the their theirs them themselves
then there theres these they theyre thing things think this those though through thx to too
u under until up ur us very wait want was wasnt way we were werent what whats when whens
where wheres which while who whod whom whos whose why will with wont would wouldnt ya yeah
yes yet you youd youll your youre yours yourself yourselves hear heard hearing happened
happen happening anybody guy guys person stuff again bit basically literally true truth info
information details detail story news
if labwire rn lol lmao everyone everybody anyone anybody someone somebody idk imo tbh btw
ngl omg yo folks pls plz lowkey highkey
""".split()  # noqa: SIM905 (a word list reads better as text)
)


def strip_markup(text: str) -> str:
    """Remove custom emoji, links and invisible characters."""
    text = _INVISIBLE.sub("", text)
    return _MARKUP.sub(" ", text)


def words(text: str, *, markup: bool = True) -> list[str]:
    """Folded word tokens, markup and punctuation removed; numbers split from units.

    ``markup=False`` skips Discord-markup removal, for our own curated text.
    """
    folded = fold(strip_markup(text)[:MAX_QUERY_CHARS * 4] if markup else text)
    return _TOKEN.findall(folded)


def stem(word: str) -> str:
    """A light suffix stripper: enough to join inflections, never to a stub."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                continue  # 'leaves' is 'leave' + 's'; only 'watches' loses 'es'
            if suffix in ("ied", "ies"):
                base += "y"
            elif suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] \
                    and base[-1] not in "lsz":
                base = base[:-1]  # 'quitting' -> 'quit', 'running' -> 'run'
            return _drop_final_e(base)
    return _drop_final_e(word)


def _drop_final_e(word: str) -> str:
    # 'leave', 'leaves' and 'leaving' all meet at 'leav'.
    return word[:-1] if len(word) >= 5 and word.endswith("e") else word


# Spelled-out and abbreviated forms meet at one term ('Feb 2025' = 'february 2025').
SYNONYMS = {
    "january": "jan", "february": "feb", "march": "mar", "april": "apr", "june": "jun",
    "july": "jul", "august": "aug", "september": "sep", "sept": "sep", "october": "oct",
    "november": "nov", "december": "dec", "billion": "bn", "million": "mn", "trillion": "tn",
    "percent": "%", "pct": "%", "dollars": "$", "usd": "$", "department": "dept",
}


class _TermTable(dict[str, str]):
    """word -> index term, filled on first sight; stopwords map to ''.

    Looking words up through ``map(table.__getitem__, ...)`` keeps the per-word
    work in C for every word seen before, which is nearly all of them.
    """

    MAX_SIZE = 500_000

    def __missing__(self, word: str) -> str:
        if len(self) >= self.MAX_SIZE:
            self.clear()
        term = "" if word in STOPWORDS else (SYNONYMS.get(word) or stem(word))
        self[word] = term
        return term


_TERMS = _TermTable()


def content_terms(text: str, *, markup: bool = True) -> list[str]:
    """Stemmed tokens without stopwords: what a question is actually about."""
    return list(filter(None, map(_TERMS.__getitem__, words(text, markup=markup))))
