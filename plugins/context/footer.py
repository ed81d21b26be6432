"""Context: the page's footer, where the article is not looked for.

The copyright line low on the page starts it (legal text and cookie notices below it are
prose too), and below the article, past a run of links, a lone paragraph is its fine print.
"""

from __future__ import annotations

import re

from cleaner import Document

# A copyright line ("© 2025 ...", "Copyright ... All rights reserved") of at most this many
# words, at least this far down the page (share of its lines), starts the footer: the
# article is not looked for below it (legal text and cookie notices are prose too).
FOOTER_COPYRIGHT_MAX_WORDS = 40
FOOTER_MIN_POSITION = 0.6
# Prose of at least this many words is kept even outside the article (never drop a paragraph)...
OUTSIDE_PROSE_KEEP_WORDS = 80
# ...unless it stands below the article past at least this many lines that are not kept
# prose (menus, lists of links): down there a paragraph is the footer's fine print.
OUTSIDE_PROSE_MAX_GAP = 10


def links_between(p, decisions, lo: int, hi: int) -> int:
    """How many of the lines from ``lo`` to ``hi`` (excluded) are not kept prose: menus,
    lists of links, lines a detector dropped."""
    return sum(not (decisions[i].keep and p.prose[i]) for i in range(lo, hi))


_COPYRIGHT_START = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved")


def footer_start(doc: Document, decisions) -> int:
    """The index of the copyright line that starts the page's footer (in the lower part of
    the page), or the page's length."""
    p = doc.view
    low = int(len(decisions) * FOOTER_MIN_POSITION)
    for i in range(low, len(decisions)):
        if p.stats[i].words <= FOOTER_COPYRIGHT_MAX_WORDS and _COPYRIGHT_START.search(decisions[i].block.text.casefold()):
            return i
    return len(decisions)
