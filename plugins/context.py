"""Context: find where the article is, then judge the doubtful lines around it.

The article is the densest run of prose: the run of lines with the largest total score,
where prose adds and every other line costs; runs elsewhere nearly as dense count too.
It ends at the readers' comments and at a heading over a list of other stories (Related,
More from..., Most read), which would otherwise join teasers and comment threads to it.
Its headline is the headline-like line just above it, its attribution the short sentences
just below it. A short, non-prose line outside the article is boilerplate: before it,
navigation; after it, a related headline or the footer; below the comments heading,
even long paragraphs go. Lines inside the article stay unless a detector dropped them
(sub-headings, labels, lists).
"""

from __future__ import annotations

import re

from cleaner import Category, Document, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.related import is_related_heading
from cleaner_plugins.textstats import headline_like, line_stats, page, phrase_set, section_items
from cleaner_plugins.trending import TRENDING_HEADINGS

# Headings that open the readers' comments, which end the article.
COMMENT_HEADINGS = phrase_set(
    """
    comments|reader comments|user comments|leave a reply|leave a comment|post a comment|add a comment
    join the discussion|join the conversation|discussion|responses|what do you think
    комментарии|коментарі|comentários|comentarios|commentaires|kommentare|commenti|コメント|评论|댓글
    """
)
# Headings of other stories that are far more often a link ("Read more" under a teaser).
LINK_LABELS = phrase_set("read more|read also|read next|see also")
_COMMENT_COUNT = re.compile(r"^\d+\s+(?:comments?|responses?|replies|thoughts? on\b.*)$")


def block_scores(doc: Document, decisions) -> list[float]:
    """What each block adds to a region: long prose much, short prose little, others cost.

    A line that is not prose costs more the longer the run it stands in: a lone short
    line between paragraphs is a sub-heading or a label, a run of them is a menu or a
    list of links.
    """
    p = page(doc)
    scores: list[float] = []
    run = 0
    for i, d in enumerate(decisions):
        keep = d.keep
        if keep and p.prose[i]:
            run = 0
            scores.append(p.stats[i].words - settings.REGION_PROSE_OFFSET)
            continue
        run += 1
        if not keep:
            scores.append(-settings.REGION_DROPPED_PENALTY)
        else:
            scores.append(-settings.REGION_LINE_PENALTY * min(run, settings.REGION_RUN_CAP))
    return scores


def densest(scores: list[float], lo: int, hi: int) -> tuple[int, int, float] | None:
    """The run of blocks in [lo, hi) with the largest total score (Kadane), or None."""
    best: tuple[int, int, float] | None = None
    start, total = lo, 0.0
    for i in range(lo, hi):
        if total <= 0:
            start, total = i, 0.0
        total += scores[i]
        if total > 0 and (best is None or total > best[2]):
            best = (start, i, total)
    return best


def article_regions(doc: Document, decisions) -> tuple[list[tuple[int, int]], int]:
    """The (first, last) block index of each part of the page that is the article, and
    where the readers' comments start (the page's length when there are none).

    The article is the run of blocks with the largest score (Body Text Extraction's idea,
    on lines): prose adds, everything else costs. Runs on either side nearly as dense
    (forum posts, a story split by a gallery) are part of it too.
    """
    scores = block_scores(doc, decisions)
    main = densest(scores, 0, len(scores))
    if main is None or main[2] < settings.REGION_MIN_SCORE:
        return [], len(scores)  # no clear article (a listing, a product page): when unsure, keep
    end = _comments_start(doc, main[0])
    if end <= main[1]:  # the readers' comments are not the article...
        before = densest(scores, main[0], end)
        if before is not None and (before[2] >= main[2] / 2 or _thread_below(decisions, end, before[0])):
            main = before
        else:  # ...unless "comments" is only a link above most of the story
            end = len(scores)
    other = _other_content_start(doc, main[0], main[1])
    if other < main[1]:  # a list of other stories: the article ends above it, if enough is left
        before = densest(scores, main[0], other)
        if before is not None and before[2] >= main[2] * settings.REGION_OTHER_HEADING_SHARE:
            main = before
    regions = [main]
    # more of the article is looked for above it, and below it up to the comments or a list of other stories
    below = _other_content_start(doc, main[1], end)
    for lo, hi in ((0, main[0]), (main[1] + 1, below)):
        while lo < hi:
            extra = densest(scores, lo, hi)
            if extra is None or extra[2] < main[2] * settings.REGION_SECONDARY_SHARE:
                break
            regions.append(extra)
            lo = extra[1] + 1
    prose = page(doc).prose
    regions = sorted(_with_touching_prose(decisions, prose, a, b, below) for a, b, _ in regions)
    first, last = regions[0][0], regions[-1][1]
    headline = _headline_above(doc, decisions, first)
    if headline is not None:
        regions[0] = (headline, regions[0][1])
    regions[-1] = (regions[-1][0], _attribution_below(decisions, last, below))
    return regions, end


def _comments_start(doc: Document, after: int) -> int:
    """The index of the heading of the readers' comments below ``after``, or the page's end."""
    p = page(doc)
    for i in p.short:
        if i > after and (p.keys[i] in COMMENT_HEADINGS or _COMMENT_COUNT.match(p.keys[i])):
            return i
    return len(doc.blocks)


def _thread_below(decisions, heading: int, first: int) -> bool:
    """Right below the comments heading ``heading``, author-and-date lines recur: a thread
    of readers' posts.

    Not when the article (from ``first`` to the heading) has an author-and-date line of
    the same shape: then it is the first post of a forum thread or an item of a list,
    and the answers are the page's content as much as it is.
    """
    above = {
        _byline_shape(d.block.text)
        for d in decisions[max(0, first - settings.HEADLINE_LOOKBACK) : heading]
        if d.verdict is not None and d.verdict.category is Category.BYLINE
    }
    found = 0
    for d in decisions[heading + 1 :]:
        if not found and d.block.index - heading > settings.THREAD_START_MAX_GAP:
            return False  # the heading is a link far above the posts
        if d.verdict is not None and d.verdict.category is Category.BYLINE:
            if _byline_shape(d.block.text) in above:
                return False
            found += 1
            if found >= settings.THREAD_BYLINES:
                return True
    return False


_RUNS = re.compile(r"(\d+)|[^\W\d_]+")


def _byline_shape(text: str) -> str:
    """An author-and-date line from its first digit on, numbers as 0 and words as a:
    the posts of one thread share it whoever wrote them."""
    start = next((i for i, c in enumerate(text) if c.isdigit()), len(text))
    return _RUNS.sub(lambda m: "0" if m.group(1) else "a", text[start:])


def _other_content_start(doc: Document, after: int, stop: int) -> int:
    """The index of the first heading of other stories (Related, Trending...) below ``after``.

    It heads a list, and is not a link label: "Read more" stands under every teaser of a
    listing, and right above a paragraph of a story.
    """
    p = page(doc)
    for i in p.short:
        if after < i < stop and (
            is_related_heading(p.keys[i], p.stats[i].words)
            or p.keys[i] in TRENDING_HEADINGS and p.stats[i].words <= settings.HEADING_MAX_WORDS
        ) and p.keys[i] not in LINK_LABELS and section_items(doc, i):
            return i
    return stop


def _with_touching_prose(decisions, prose, first: int, last: int, stop: int) -> tuple[int, int]:
    """The region grown over the prose lines that touch it (lines dropped between aside).

    A short paragraph adds little to the score, but one right next to the article is
    part of it: never drop a paragraph to get rid of its neighbours.
    """
    i = first - 1
    while i >= 0 and (not decisions[i].keep or prose[i]):
        if decisions[i].keep:
            first = i
        i -= 1
    i = last + 1
    while i < stop and (not decisions[i].keep or prose[i]):
        if decisions[i].keep:
            last = i
        i += 1
    return first, last


def _headline_above(doc: Document, decisions, first: int) -> int | None:
    """The headline-like kept line just above the article, skipping dropped lines.

    Pages often print the headline twice (a title bar, then above the article); the
    first copy is the headline, and the second goes as a duplicate.
    """
    for d in reversed(decisions[max(0, first - settings.HEADLINE_LOOKBACK) : first]):
        if not d.keep:
            continue
        s = line_stats(d.block.text)
        if s.words > settings.HEADLINE_MAX_WORDS or (s.sentence_end and not d.block.text.endswith(("?", "!"))):
            return None
        found = d.block.index
        if doc.counts.get(d.block.text.casefold(), 1) > 1:
            for e in decisions[max(0, found - settings.HEADLINE_LOOKBACK) : found]:
                if e.keep and e.block.text.casefold() == d.block.text.casefold():
                    return e.block.index
        return found
    return None


def _attribution_below(decisions, last: int, stop: int) -> int:
    """The last of the short sentences (``(Reuters)``, ``(With inputs...)``) right below the article."""
    end = last
    for d in decisions[last + 1 : stop]:
        if not d.keep:
            continue
        text = d.block.text
        s = line_stats(text)
        if s.words <= settings.ATTRIBUTION_MAX_WORDS and (s.sentence_end or text[:1] == "(" and text[-1:] == ")"):
            end = d.block.index
            continue
        break
    return end


@hookimpl
def cleaner_revise(doc: Document, decisions):
    regions, comments = article_regions(doc, decisions)
    if not regions:
        return None
    inside = [False] * len(decisions)
    for a, b in regions:
        for i in range(a, b + 1):
            inside[i] = True
    start, end = regions[0][0], regions[-1][1]
    p = page(doc)
    verdicts = []
    for i, d in enumerate(decisions):
        if inside[i] or not d.keep:
            continue
        if p.prose[i] and (start < i < end or i < comments and p.stats[i].words >= settings.OUTSIDE_PROSE_KEEP_WORDS):
            continue  # prose between two parts of the article, or a real paragraph: when unsure, keep
        if i < start:
            verdicts.append(Verdict.drop(i, Category.NAV, "above the article, not prose"))
        elif headline_like(p.stats[i]):
            verdicts.append(Verdict.drop(i, Category.RELATED, "below the article, a headline-like line"))
        else:
            verdicts.append(Verdict.drop(i, Category.FOOTER, "below the article, not prose"))
    return verdicts
