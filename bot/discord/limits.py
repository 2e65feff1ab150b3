"""Discord's length limits, and the caps Labwire puts on what users type and what it shows.

Every number the adapter cuts text to lives here, so a reader can see at a glance
what fits where.  Discord rejects a message that breaks one of its limits; ours
keep messages readable and the answer engine's work bounded.
"""

from __future__ import annotations

from bot.yamldocs import fields as _content

# ---------------------------------------------------------------------- Discord's limits
# Those the knowledge and quiz schemas also hold content to are defined there, once.

CONTENT_MAX = 2000
EMBED_TITLE_MAX = _content.EMBED_TITLE_MAX
EMBED_DESCRIPTION_MAX = _content.EMBED_DESCRIPTION_MAX
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = _content.EMBED_FIELD_MAX
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
EMBED_FIELDS_MAX = 25
BUTTON_LABEL_MAX = 80
SELECT_LABEL_MAX = 100
SELECT_DESCRIPTION_MAX = _content.DISCORD_SELECT_DESCRIPTION_MAX
SELECT_PLACEHOLDER_MAX = _content.DISCORD_SELECT_PLACEHOLDER_MAX
SELECT_OPTIONS_MAX = _content.DISCORD_SELECT_OPTIONS_MAX
CHOICE_NAME_MAX = _content.DISCORD_CHOICE_NAME_MAX
CHOICE_VALUE_MAX = 100
CHOICES_MAX = 25  # autocomplete answers at most this many choices
CUSTOM_ID_MAX = 100

# ---------------------------------------------------------------------- questions

# A question is cut to this before the engine sees it: the /ask option's maximum,
# and what a mention or a plain message is cut to.
QUESTION_MAX = 300
# How much of a question a reply quotes back (the "Asked: …" footer, "Did you mean").
QUOTED_QUESTION_MAX = 200
# The answer engine then reads at most bot.search.text.MAX_QUERY_CHARS (400) characters
# after removing markup from at most four times that (1600), so markup cannot hide a
# question and a pasted essay cannot cost more than a short one.

# ---------------------------------------------------------------------- what we show

ENTRY_OPTION_MAX = 200  # a typed title or name in /article, /person, /kb download, …
DESCRIPTION_BUDGET = 4000  # a list in an embed description, leaving room for "… and N more"
PAGE_CHARS = 3800  # one page of a long list; the rest of the 4096 is a header line
TITLE_IN_TEXT_MAX = 200  # a title quoted inside a sentence
LINK_TITLE_MAX = 80  # a source's or a person's title in a compact, inline list
