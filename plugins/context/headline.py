"""Context: the article's headline, among the lines just above it.

Of the headline-like lines there, the one in the URL's slug, else the longest (not the
author, date or "2 min read" line between them); when none is in the slug, a line further
up that reads as the slug.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from cleaner import Document

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
# A headline has at most this many words.
HEADLINE_MAX_WORDS = 30


def headline_above(doc: Document, decisions, first: int) -> int | None:
    """The headline of the article that starts at ``first``, among the kept lines above it.

    Between a headline and its story stand short lines of another kind: the author, the
    date, "2 min read", "Updated: ...", a share bar. So the headline is looked for among
    the headline-like lines (a few words, mostly letters, no sentence end) of the
    HEADLINE_LOOKBACK blocks above the story, up to a sentence: the one whose words are
    the URL's slug ("/2024/05/council-approves-budget"), else the longest, else the
    nearest. When none of them is in the slug, a line further up that reads as the slug
    is (HEADLINE_SLUG_LOOKBACK). No headline when the line right above the story is a
    sentence. Pages often print the headline twice (a title bar, then above the article);
    the first copy is the headline, and the second goes as a duplicate.
    """
    p = doc.view
    slug = _slug_words(doc.url)
    found = best = None
    nearest = True
    for d in reversed(decisions[max(0, first - HEADLINE_LOOKBACK) : first]):
        if not d.keep:
            continue
        text = d.block.text
        s = p.stats[d.block.index]
        if s.words > HEADLINE_MAX_WORDS or (s.sentence_end and not text.endswith(("?", "!"))):
            if nearest:
                return None
            break
        nearest = False
        if s.words < 2 or s.letters < HEADLINE_MIN_LETTERS:
            continue
        shared = _in_slug(slug, text)
        key = (shared >= HEADLINE_SLUG_MIN_WORDS and shared >= s.words * HEADLINE_SLUG_MIN_SHARE, s.words)
        if best is None or key > best:
            found, best = d.block.index, key
    if slug and (best is None or not best[0]):
        far = _slug_line_above(p, decisions, slug, first)
        if far is not None:
            found = far
    if found is None:
        return None
    text = decisions[found].block.text.casefold()
    if doc.counts.get(text, 1) > 1:
        for e in decisions[max(0, found - HEADLINE_LOOKBACK) : found]:
            if e.keep and e.block.text.casefold() == text:
                return e.block.index
    return found


def _slug_line_above(p, decisions, slug: frozenset[str], first: int) -> int | None:
    """The nearest kept line further above the story (a table of contents, a teaser, a
    gallery between them) that reads as the URL's slug, or None."""
    top = max(0, first - HEADLINE_SLUG_LOOKBACK)
    for d in reversed(decisions[top : max(top, first - HEADLINE_LOOKBACK)]):
        if not d.keep:
            continue
        s = p.stats[d.block.index]
        if not 2 <= s.words <= HEADLINE_MAX_WORDS:
            continue
        shared = _in_slug(slug, d.block.text)
        if shared >= HEADLINE_FAR_SLUG_MIN_WORDS and shared >= s.words * HEADLINE_FAR_SLUG_MIN_SHARE:
            return d.block.index
    return None


_SLUG_PART = re.compile(r"[^\W_]+")


def _in_slug(slug: frozenset[str], text: str) -> int:
    """How many of the distinct words of ``text`` are words of the slug."""
    return len(slug.intersection(_SLUG_PART.findall(text.casefold()))) if slug else 0


def _slug_words(url: str | None) -> frozenset[str]:
    """The words of the URL's slug: the segment of its path with the most words (numbers
    aside), when it has SLUG_MIN_WORDS or more; else none."""
    if not url:
        return frozenset()
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return frozenset()
    best: list[str] = []
    for segment in path.split("/"):
        words = [w for w in _SLUG_PART.findall(segment.casefold()) if not w.isdigit()]
        if len(words) > len(best):
            best = words
    return frozenset(best) if len(best) >= SLUG_MIN_WORDS else frozenset()
