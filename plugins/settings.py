"""Every tunable threshold of the built-in detectors, in one place, with its meaning.

Change a number here and run the benchmark (BENCHMARKS.md) before and after.
"""

# -- what counts as prose (textstats.is_prose) ---------------------------------------
# A line of at least this many words that ends a sentence reads as prose.
PROSE_MIN_WORDS = 8
# ... or of at least this many words even without a sentence end (long paragraphs).
PROSE_LONG_WORDS = 30
# Scripts written without spaces (CJK, Thai): characters that count as one word.
CJK_CHARS_PER_WORD = 2
# Share of function words (the, и, de, der...) above which a line reads as running text.
PROSE_MIN_FUNCTION_SHARE = 0.08

# -- headline-like lines (related and trending lists) -------------------------------
# A list item is a line of at most this many words that does not end a sentence.
LIST_ITEM_MAX_WORDS = 25
# A run of at least this many headline-like lines outside prose is a list of headlines.
HEADLINE_RUN_MIN = 3
# A section heading (TRENDING, Related...) has at most this many words.
HEADING_MAX_WORDS = 6
# The list under a section heading ends after this many items at most.
SECTION_MAX_ITEMS = 60

# -- short labels (nav, ad, social, footer) -----------------------------------------
# A whole-line label (Advertisement, Menu, Share) has at most this many words.
LABEL_MAX_WORDS = 8
# Menu items separated by | / · have at most this many words each.
MENU_ITEM_MAX_WORDS = 4
# ... and a menu line has at least this many items.
MENU_MIN_ITEMS = 3

# -- bylines and captions -----------------------------------------------------------
# A byline (author, date) has at most this many words.
BYLINE_MAX_WORDS = 24
# A caption with a credit (Photo: ..., Getty Images) has at most this many words.
CAPTION_MAX_WORDS = 60

# -- taxonomy -----------------------------------------------------------------------
# A tag under a "Tags:" / "Country:" label has at most this many words.
TAG_MAX_WORDS = 4
# Words glued by missing spaces ("USANorth KoreaUkraine") needed for a tag run.
GLUED_MIN_JOINS = 2

# -- context (the article region) ---------------------------------------------------
# Two prose blocks belong to one article if at most this many blocks lie between them.
REGION_MAX_GAP = 10
# Clusters of prose whose size is at least this share of the main one are kept as well.
REGION_SECONDARY_SHARE = 0.5
# Before the article, look back this many blocks for its headline.
HEADLINE_LOOKBACK = 8
# A headline has at most this many words.
HEADLINE_MAX_WORDS = 30
