"""Context: the article's region, the parts of the page that are the article.

The densest run of prose (block scores: prose adds, other lines cost; the run with the
largest total), the parts on either side nearly as dense, the prose touching them, the
unbroken content just above (a documentation page's steps), the attribution lines and the
long unbroken list just below (a listing), the lines between two parts, and the repeated
records (a shop's grid) that outweigh the article. Its headline, the readers' comments
and the footer are found by their own modules (``headline``, ``comments``, ``footer``).
"""

from __future__ import annotations

import re

from cleaner import Category, Document
from cleaner.textstats import (
    HEADING_MAX_WORDS,
    PROSE_MIN_FUNCTION_SHARE,
    PROSE_MIN_WORDS,
    is_code,
    phrase_set,
    section_items,
)
from cleaner_plugins.context.comments import comments_start, shape, thread_below
from cleaner_plugins.context.footer import OUTSIDE_PROSE_MAX_GAP, footer_start, links_between
from cleaner_plugins.context.headline import headline_above
from cleaner_plugins.related import is_related_heading
from cleaner_plugins.trending import TRENDING_HEADINGS

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
# The lines between two parts of the article are part of it when no detector drops one
# and they have at least this many words on average (no menu of single words).
GAP_MIN_MEAN_WORDS = 4
# Below the article, short lines that close it ("(Reuters)") have at most this many words.
ATTRIBUTION_MAX_WORDS = 12

# Headings of other stories that are far more often a link ("Read more" under a teaser).
LINK_LABELS = phrase_set("read more|read also|read next|see also")


def block_scores(doc: Document, decisions) -> list[float]:
    """What each block adds to a region: long prose much, short prose little, others cost.

    A line that is not prose costs more the longer the run it stands in: a lone short
    line between paragraphs is a sub-heading or a label, a run of them is a menu or a
    list of links.
    """
    p = doc.view
    stats, prose = p.stats, p.prose
    scores: list[float] = []
    run = 0
    for i, d in enumerate(decisions):
        keep = d.keep
        if keep and prose[i]:
            run = 0
            scores.append(stats[i].words - REGION_PROSE_OFFSET)
            continue
        if keep and _introduces(d.block.text, stats[i]):
            run = 0
            scores.append(max(0, stats[i].words - REGION_PROSE_OFFSET))
            continue
        if keep and is_code(d.block.text):
            scores.append(0.0)  # a line of a code listing: part of what it stands in
            continue
        run += 1
        if not keep:
            scores.append(-REGION_DROPPED_PENALTY)
        else:
            scores.append(-REGION_LINE_PENALTY * min(run, REGION_RUN_CAP))
    return scores


def _introduces(text: str, s) -> bool:
    """A sentence that introduces what follows ("To install it, run:"): prose without its end
    (``s``: the line's statistics)."""
    if not text.endswith(":"):
        return False
    return s.words >= PROSE_MIN_WORDS and s.function_share >= PROSE_MIN_FUNCTION_SHARE


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


def article_regions(doc: Document, decisions) -> tuple[list[tuple[int, int]], int, int | None]:
    """The (first, last) block index of each part of the page that is the article, where
    the readers' comments start (the page's length when there are none), and the index of
    its headline (a part of its own, the first) or None.

    The article is the run of blocks with the largest score (Body Text Extraction's idea,
    on lines): prose adds, everything else costs. Runs on either side nearly as dense
    (forum posts, a story split by a gallery) are part of it too.
    """
    scores = block_scores(doc, decisions)
    main = densest(scores, 0, len(scores))
    foot = footer_start(doc, decisions)
    if main is not None and main[0] >= foot:  # the legal text under the copyright line is no article
        main = densest(scores, 0, foot)
    if main is None or main[2] < REGION_MIN_SCORE:
        return [], len(scores), None  # no clear article (a listing, a product page): when unsure, keep
    end = comments_start(doc, main[0])
    if end <= main[1]:  # the readers' comments are not the article...
        before = densest(scores, main[0], end)
        if before is not None and (before[2] >= main[2] / 2 or thread_below(decisions, end, before[0])):
            main = before
        else:  # ...unless "comments" is only a link above most of the story
            end = len(scores)
    other = _other_content_start(doc, main[0], main[1])
    if other < main[1]:  # a list of other stories: the article ends above it, if enough is left
        before = densest(scores, main[0], other)
        if before is not None and before[2] >= main[2] * REGION_OTHER_HEADING_SHARE:
            main = before
    scored = [main]
    # more of the article is looked for above it, and below it up to the comments or a list of other stories
    below = _other_content_start(doc, main[1], end)
    if main[1] < foot:
        below = min(below, foot)
    p = doc.view
    for lo, hi in ((0, main[0]), (main[1] + 1, below)):
        while lo < hi:
            extra = densest(scores, lo, hi)
            if extra is None or extra[2] < main[2] * REGION_SECONDARY_SHARE:
                break
            if lo > main[1] and extra[0] == extra[1] and links_between(p, decisions, lo, extra[0]) >= OUTSIDE_PROSE_MAX_GAP:
                break  # a lone paragraph past the links below the article: the footer's fine print
            scored.append(extra)
            lo = extra[1] + 1
    regions = sorted(_with_touching_prose(decisions, p.prose, a, b, below) for a, b, _ in scored)
    top = _prose_above(p, decisions, regions)
    if top is not None:
        regions[0] = (top, regions[0][1])
    first, last = regions[0][0], regions[-1][1]
    headline = headline_above(doc, decisions, first)
    if headline is not None:  # a part of its own: the short lines between it and the story go
        regions.insert(0, (headline, headline))
    regions[-1] = (regions[-1][0], _attribution_below(p, decisions, last, below))
    tail = _list_below(p, decisions, regions, end)
    if tail is not None:
        regions[-1] = (regions[-1][0], tail)
    return regions, end, headline


def _article_words(p, decisions, regions) -> int:
    """The words of the kept lines of the article's regions."""
    return sum(p.stats[i].words for a, b in regions for i in range(a, b + 1) if decisions[i].keep)


def _prose_above(p, decisions, regions) -> int | None:
    """The first line of the content right above the article that belongs with it, or None.

    A page of steps, code and short paragraphs (documentation, a service's page) has its
    densest run of prose low on the page, under more of its content: lines no detector
    drops, among which some are prose (a menu has none), running without a break up to the
    article. From the highest of those prose lines down they are content when they hold a
    fair share of the article's words.
    """
    run = []
    for d in reversed(decisions[: regions[0][0]]):
        if not d.keep:
            if d.verdict.category is Category.DEBRIS:
                continue
            break
        run.append(d)
    prose = [k for k, d in enumerate(run) if p.prose[d.block.index]]
    if not prose:
        return None
    run = run[: prose[-1] + 1]
    words = sum(p.stats[d.block.index].words for d in run if d.keep)
    if len(prose) >= LEAD_MIN_PROSE_SHARE * len(run) and words >= LEAD_MIN_SHARE * _article_words(p, decisions, regions):
        return run[-1].block.index
    return None


def _list_below(p, decisions, regions, stop: int) -> int | None:
    """The end of the list right below the article that is the page's main content, or None.

    A listing, a directory, a table of results often opens with a paragraph of prose and
    then lists what the page is about. Its list follows the paragraph without a break: no
    detector drops a line of it (a list of other stories has its heading, a footer its
    links and copyright), and it is longer than the prose above it. A list of related
    headlines or a comment thread below a news story is shorter than the story, or is
    headed by a line a detector drops; a tag cloud's or a menu's items are a few words each.
    """
    last = regions[-1][1]
    article_words = _article_words(p, decisions, regions)
    words = lines = 0
    end = last
    for d in decisions[last + 1 : stop]:
        if not d.keep:
            if d.verdict.category is Category.DEBRIS:
                continue
            break
        words += p.stats[d.block.index].words
        lines += 1
        end = d.block.index
    if (
        lines >= TAIL_LIST_MIN_LINES
        and words >= article_words * TAIL_LIST_MIN_SHARE
        and words >= TAIL_LIST_MIN_MEAN_WORDS * lines
    ):
        return end
    return None


def _other_content_start(doc: Document, after: int, stop: int) -> int:
    """The index of the first heading of other stories (Related, Trending...) below ``after``.

    It heads a list, and is not a link label: "Read more" stands under every teaser of a
    listing, and right above a paragraph of a story.
    """
    p = doc.view
    for i in p.short:
        if (
            after < i < stop
            and (
                is_related_heading(p.keys[i], p.stats[i].words)
                or p.keys[i] in TRENDING_HEADINGS
                and p.stats[i].words <= HEADING_MAX_WORDS
            )
            and p.keys[i] not in LINK_LABELS
            and section_items(doc, i)
        ):
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


def _attribution_below(p, decisions, last: int, stop: int) -> int:
    """The last of the short sentences (``(Reuters)``, ``(With inputs...)``) right below the article."""
    end = last
    for d in decisions[last + 1 : stop]:
        if not d.keep:
            continue
        text = d.block.text
        s = p.stats[d.block.index]
        if s.words <= ATTRIBUTION_MAX_WORDS and (s.sentence_end or text[:1] == "(" and text[-1:] == ")"):
            end = d.block.index
            continue
        break
    return end


# A line that starts with a label of a few words and a colon ("Location: Paris").
_LABEL = re.compile(r"^(\w+(?: \w+){0,2}):\s+\S")
_DIGIT = re.compile(r"\d")


def record_spans(doc: Document, decisions, regions) -> list[tuple[int, int]]:
    """The spans of repeated records (the products of a shop's grid, the entries of a list
    of results) outside the article, when they outweigh it.

    A record repeats its labels ("Add to cart", "Key features", "Reply"): a short line
    that recurs at least RECORD_MIN_REPEATS times at a nearly regular interval of a few
    lines marks a run of records, from its first occurrence to its last. The records are
    the page's content when the lines that no detector drops hold more words than the
    article (a news story's list of related teasers is shorter than the story) and few of
    them are prose (a thread of readers' comments is mostly prose), and they are no list of
    single words (an archive's months, year after year) nor, when only a date or a number
    recurs, of headlines with their teasers (other stories, each with its date).
    """
    p = doc.view
    keys, lows, stats = p.keys, p.lows, p.stats
    max_words = RECORD_LABEL_MAX_WORDS
    where: dict[str, list[int]] = {}
    for i in p.short:
        low = lows[i]
        if keys[i] and stats[i].words <= max_words:
            where.setdefault(low, []).append(i)
            if _DIGIT.search(low):  # a price, a count, a date: its shape recurs
                where.setdefault("\0" + shape(low), []).append(i)
        if ":" in low:
            label = _LABEL.match(low)
            if label:  # "Location: ...", "Price: ...": the label recurs, not the value
                where.setdefault("\1" + label.group(1), []).append(i)
    spans = []
    for key, found in where.items():
        if len(found) < RECORD_MIN_REPEATS:
            continue
        gaps = sorted(b - a for a, b in zip(found, found[1:], strict=False))
        period = gaps[len(gaps) // 2]
        if not RECORD_MIN_PERIOD <= period <= RECORD_MAX_PERIOD:
            continue
        spread = RECORD_PERIOD_SPREAD
        regular = sum(period / spread <= g <= period * spread for g in gaps)
        if regular < RECORD_REGULAR_SHARE * len(gaps):
            continue
        dated = key[:1] == "\0"  # marked by a date or a number only, as teasers of other stories are
        spans.append((max(0, found[0] - period + 1), min(len(decisions) - 1, found[-1] + period - 1), dated))
    if not spans:
        return []
    spans.sort()
    merged: list[list[int]] = [list(spans[0])]
    for a, b, dated in spans[1:]:
        if a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
            merged[-1][2] = merged[-1][2] and dated
        else:
            merged.append([a, b, dated])
    article = _article_words(p, decisions, regions)
    inside = {i for a, b in regions for i in range(a, b + 1)}
    out = []
    for a, b, teaser in merged:
        kept = [i for i in range(a, b + 1) if decisions[i].keep and i not in inside]
        words = sum(p.stats[i].words for i in kept)
        prose = sum(p.prose[i] for i in kept)
        if (
            words >= article * RECORD_MIN_SHARE
            and prose <= RECORD_MAX_PROSE_SHARE * len(kept)
            and words >= RECORD_MIN_MEAN_WORDS * len(kept)
            and (not teaser or words <= RECORD_MAX_MEAN_WORDS * len(kept))
        ):
            out.append((a, b))
    return out


def gap_is_content(p, decisions, lo: int, hi: int) -> bool:
    """Whether the lines between two parts of the article (``lo`` to ``hi``, excluded) are
    part of it too: a table, a list, the steps between two paragraphs.

    They are when no detector drops one of them (fragments and copies aside: a list of
    other stories has its bylines, a footer its links) and they are no list of single
    words (a menu): their kept lines have GAP_MIN_MEAN_WORDS words on average; and some
    of them is prose (a list of headlines has none).
    """
    kept = words = prose = 0
    for d in decisions[lo:hi]:
        if not d.keep:
            if d.verdict.category in (Category.DEBRIS, Category.DUPLICATE):
                continue
            return False
        kept += 1
        words += p.stats[d.block.index].words
        prose += p.prose[d.block.index]
    return prose > 0 and words >= GAP_MIN_MEAN_WORDS * kept
