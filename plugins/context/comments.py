"""Context: the readers' comments, which end the article.

A comments heading ("Comments", "12 Comments", "Leave a reply"), and below it a thread of
posts: author-and-date lines that recur, of another shape than the article's own (a
forum's answers are the page's content).
"""

from __future__ import annotations

import re

from cleaner import Category, Document
from cleaner.textstats import phrase_set
from cleaner_plugins.context.headline import HEADLINE_LOOKBACK

# A comments heading ends the article, even above most of the densest run, when at least
# this many author-and-date lines follow it (a thread of readers' posts).
THREAD_BYLINES = 2
# ... the first of them at most this many blocks below it (a "12 comments" link far above
# the posts is no heading of them).
THREAD_START_MAX_GAP = 8

# Headings that open the readers' comments, which end the article.
COMMENT_HEADINGS = phrase_set(
    """
    comments|reader comments|user comments|leave a reply|leave a comment|post a comment|add a comment
    join the discussion|join the conversation|discussion|responses|what do you think
    комментарии|коментарі|comentários|comentarios|commentaires|kommentare|commenti|コメント|评论|댓글
    """
)


# A count of the comments heads them too: "12 Comments", "59 Comments on “Title”",
# "3 Responses to “Title”", "One thought on “Title”" (as blog software prints it).
_COMMENT_COUNT = re.compile(r"^(?:\d+|one)\s+(?:comments?|responses?|replies|thoughts?)(?:\s+(?:on|to)\b.*)?$")


def comments_start(doc: Document, after: int) -> int:
    """The index of the heading of the readers' comments below ``after``, or the page's end."""
    p = doc.view
    for i in p.short:
        if i > after and (p.keys[i] in COMMENT_HEADINGS or _COMMENT_COUNT.match(p.keys[i])):
            return i
    return len(doc.blocks)


def thread_below(decisions, heading: int, first: int) -> bool:
    """Right below the comments heading ``heading``, author-and-date lines recur: a thread
    of readers' posts.

    Not when the article (from ``first`` to the heading) has an author-and-date line of
    the same shape: then it is the first post of a forum thread or an item of a list,
    and the answers are the page's content as much as it is.
    """
    above = {
        _byline_shape(d.block.text)
        for d in decisions[max(0, first - HEADLINE_LOOKBACK) : heading]
        if d.verdict is not None and d.verdict.category is Category.BYLINE
    }
    found = 0
    for d in decisions[heading + 1 :]:
        if not found and d.block.index - heading > THREAD_START_MAX_GAP:
            return False  # the heading is a link far above the posts
        if d.verdict is not None and d.verdict.category is Category.BYLINE:
            if _byline_shape(d.block.text) in above:
                return False
            found += 1
            if found >= THREAD_BYLINES:
                return True
    return False


_RUNS = re.compile(r"(\d+)|[^\W\d_]+")


def shape(text: str) -> str:
    """``text`` with its numbers as 0 and its words as a."""
    return _RUNS.sub(lambda m: "0" if m.group(1) else "a", text)


def _byline_shape(text: str) -> str:
    """An author-and-date line from its first digit on, numbers as 0 and words as a:
    the posts of one thread share it whoever wrote them."""
    start = next((i for i, c in enumerate(text) if c.isdigit()), len(text))
    return shape(text[start:])
