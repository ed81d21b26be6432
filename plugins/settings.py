"""Every tunable threshold of the built-in detectors, in one place, with its meaning (those of
the line statistics and the page view live beside them, in cleaner.textstats).

Change a number here and run the benchmark (BENCHMARKS.md) before and after.
"""

# -- headline-like lines (related and trending lists) -------------------------------
# A run of at least this many headline-like lines outside prose is a list of headlines.
HEADLINE_RUN_MIN = 3

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
CAPTION_MAX_CHARS = 500

# -- taxonomy -----------------------------------------------------------------------
# A tag under a "Tags:" / "Country:" label has at most this many words.
TAG_MAX_WORDS = 4
# Words glued by missing spaces ("USANorth KoreaUkraine") needed for a tag run.
GLUED_MIN_JOINS = 2

# -- context (the article region) ---------------------------------------------------
# A prose line adds its words minus this to the article's score (short prose adds little).
REGION_PROSE_OFFSET = 10
# A kept line that is not prose costs this much (in words) times its place in a run of
# such lines, up to REGION_RUN_CAP (a lone sub-heading costs little, a menu a lot) ...
REGION_LINE_PENALTY = 3
REGION_RUN_CAP = 2
# ... and a line a detector dropped (an ad label inside the story) costs this.
REGION_DROPPED_PENALTY = 1
# Below this score the densest run is no clear article, and context drops nothing.
REGION_MIN_SCORE = 40
# Clusters of prose whose size is at least this share of the main one are kept as well.
REGION_SECONDARY_SHARE = 0.3
# A heading of other stories (Related, More from..., Trending) inside the densest run ends the
# article there when the run above it scores at least this share of the whole run.
REGION_OTHER_HEADING_SHARE = 0.5
# A comments heading ends the article, even above most of the densest run, when at least
# this many author-and-date lines follow it (a thread of readers' posts).
THREAD_BYLINES = 2
# ... the first of them at most this many blocks below it (a "12 comments" link far above
# the posts is no heading of them).
THREAD_START_MAX_GAP = 8
# The uninterrupted run of lines right below the article (no detector drops one) is the
# page's list (a listing under its introduction) when it has at least this many lines...
TAIL_LIST_MIN_LINES = 5
# ... and at least this many times the article's words, and its lines have at least this
# many words on average (a tag cloud or a list of links has fewer).
TAIL_LIST_MIN_SHARE = 0.6
TAIL_LIST_MIN_MEAN_WORDS = 3.5
# The uninterrupted run of lines right above the article, from its highest prose line down,
# is content too (steps and code above a documentation page's densest prose) when at least
# this share of its lines is prose (a menu has none)...
LEAD_MIN_PROSE_SHARE = 0.1
# ... and it has at least this share of the article's words.
LEAD_MIN_SHARE = 0.15
# Repeated records (a shop's grid, a list of results): a short line (at most this many
# words) recurring ...
RECORD_LABEL_MAX_WORDS = 6
# ... at least this many times ...
RECORD_MIN_REPEATS = 3
# ... every this many lines or more, and at most RECORD_MAX_PERIOD (median interval) ...
RECORD_MIN_PERIOD = 3
RECORD_MAX_PERIOD = 20
# ... with at least RECORD_REGULAR_SHARE of its intervals within the median divided and
# multiplied by RECORD_PERIOD_SPREAD, marks a run of records, kept when its words outside
# the article are at least RECORD_MIN_SHARE times the article's.
RECORD_REGULAR_SHARE = 0.75
RECORD_PERIOD_SPREAD = 1.5
RECORD_MIN_SHARE = 1.0
# ... and at most this share of its kept lines is prose (readers' comments are prose).
RECORD_MAX_PROSE_SHARE = 0.2
# ... and its kept lines have at least RECORD_MIN_MEAN_WORDS words on average (no list of
# months) and, when only a date or number shape recurs, at most RECORD_MAX_MEAN_WORDS (no
# headlines with teasers).
RECORD_MIN_MEAN_WORDS = 2.5
RECORD_MAX_MEAN_WORDS = 8
# A copyright line ("© 2025 ...", "Copyright ... All rights reserved") of at most this many
# words, at least this far down the page (share of its lines), starts the footer: the
# article is not looked for below it (legal text and cookie notices are prose too).
FOOTER_COPYRIGHT_MAX_WORDS = 40
FOOTER_MIN_POSITION = 0.6
# The lines between two parts of the article are part of it when no detector drops one
# and they have at least this many words on average (no menu of single words).
GAP_MIN_MEAN_WORDS = 4
# Prose of at least this many words is kept even outside the article (never drop a paragraph)...
OUTSIDE_PROSE_KEEP_WORDS = 80
# ...unless it stands below the article past at least this many lines that are not kept
# prose (menus, lists of links): down there a paragraph is the footer's fine print.
OUTSIDE_PROSE_MAX_GAP = 10
# Before the article, look back this many blocks for its headline...
HEADLINE_LOOKBACK = 8
# ...a line of at least this share of letters (not "12:30 | 05.06.2024")...
HEADLINE_MIN_LETTERS = 0.5
# ...preferring the one with at least this many of its words, and this share of them, in
# the URL's slug: the segment of the URL's path with the most words, if it has at least
# SLUG_MIN_WORDS ("council-approves-budget"; not "/news/" nor "/itm/276702815108").
HEADLINE_SLUG_MIN_WORDS = 2
HEADLINE_SLUG_MIN_SHARE = 0.5
SLUG_MIN_WORDS = 3
# When no line of the lookback is in the slug, the headline is the nearest line of this
# many blocks above the story with at least this many words, and this share of them, in
# the slug (a table of contents or a gallery stands between them).
HEADLINE_SLUG_LOOKBACK = 40
HEADLINE_FAR_SLUG_MIN_WORDS = 3
HEADLINE_FAR_SLUG_MIN_SHARE = 0.6
# Below the article, short lines that close it ("(Reuters)") have at most this many words.
ATTRIBUTION_MAX_WORDS = 12
# A headline has at most this many words.
HEADLINE_MAX_WORDS = 30

# -- HTML mode (plugins/html.py, plugins/mainregion.py) -------------------------------
# A main text of fewer words is scraps (a menu, a cookie notice), not an article: the
# page's main region is cleaned as text instead (unless the region holds no more: then
# the page is that short).
MIN_MAIN_WORDS = 50
# A page with more characters of text than this (scripts and style sheets aside) is
# cleaned from its main region as text, without trafilatura: its copies of the tree
# (four to six per page) cost some 40-60 bytes of memory per byte of HTML. No article
# comes near: the most text among the 1,437 development pages is 0.41 million characters.
HUGE_PAGE_CHARS = 1_000_000
# A page is cleaned from its main region (<main> without its header, menus, footer and
# asides) when that region, cleaned as text, has at least this many times the words of
# the extractor's main text: the extractor, which looks for one block of prose, kept only
# a part of a listing, a shop, a forum thread, a service's page.
REGION_MIN_GAIN = 1.2
# A page that declares itself one article or one product (og:type) is about one thing,
# which the extractor finds, and its region adds comments, reviews and other products; it
# is cleaned from its region only when the main text has fewer words than this...
SHORT_ARTICLE_WORDS = 300
# ... and the region, cleaned, this many times its words: a listing or a thread that
# calls itself an article.
REGION_MIN_GAIN_SHORT_ARTICLE = 3
# An element of the region's chrome (<header>, <nav>, <aside>...) holding more than this
# share of the region's text stays: that is an unclosed tag swallowing the page, not chrome.
REGION_CHROME_MAX_SHARE = 0.9
# On extracted text, a second copy of a line of at least this many words, next to another
# copy, is dropped: a passage shown twice (a page's mobile and desktop copies).
COPY_MIN_WORDS = 15
# Lines after the main text's last paragraph that are each mostly (this share of their
# characters) the text of a page's links...
TRAILING_LINK_SHARE = 0.6
# ... at least this many of them...
TRAILING_LINKS_MIN_LINES = 3
# ... with at most this share of the words above them, are a list of other articles.
TRAILING_LINKS_MAX_SHARE = 0.5
# The headline is looked for among this many first lines of the main text.
HEADLINE_LOOKAHEAD = 5
# A line that is the start of the title counts as the headline if it has this many characters.
HEADLINE_PREFIX_MIN_CHARS = 20
# An article body split into containers of one class: each part has this many paragraphs...
SPLIT_BODY_MIN_PARAGRAPHS = 2
# ... of this many characters together.
SPLIT_BODY_MIN_CHARS = 200
