"""Context: find where the article is, then judge the doubtful lines around it.

The article is the densest run of prose: the run of lines with the largest total score,
where prose adds and every other line costs; runs elsewhere nearly as dense count too.
It ends at the readers' comments and at a heading over a list of other stories (Related,
More from..., Most read), which would otherwise join teasers and comment threads to it.
Its headline is a headline-like line just above it (the one in the URL's slug, else the
longest: not the author, date or "2 min read" between them), its attribution the short
sentences just below it. A short, non-prose line outside the article is boilerplate:
before it, navigation; after it, a related headline or the footer; below the comments heading,
even long paragraphs go. Lines inside the article stay unless a detector dropped them
(sub-headings, labels, lists). Lines of code and sentences that introduce what follows
("To install it, run:") cost nothing in the score; the unbroken content right above the
densest run (steps and code of a documentation page) and the long unbroken list right
below a short introduction (a listing) are part of the article, and so are the lines
between two of its parts when no detector drops one and some are prose. The article is
not looked for under the copyright line low on the page (legal text, cookie notices),
nor, alone, past a run of links below it: a paragraph down there is the footer's fine print.
Repeated records (a shop's grid, a list of results: short lines that recur at a regular
interval) that outweigh the article are kept with it.

The parts, by what each finds, with their thresholds: ``region`` (the article's parts:
scores, the densest run, the parts beside it, the content above and the list below it,
repeated records), ``headline``, ``comments`` (comment headings, threads) and ``footer``
(the copyright line, the fine print). This module holds the hook.
"""

from __future__ import annotations

from cleaner import Category, Document, Verdict, hookimpl
from cleaner.textstats import headline_like
from cleaner_plugins.context.comments import COMMENT_HEADINGS
from cleaner_plugins.context.footer import OUTSIDE_PROSE_KEEP_WORDS, OUTSIDE_PROSE_MAX_GAP
from cleaner_plugins.context.region import (
    LINK_LABELS,
    article_regions,
    block_scores,
    densest,
    gap_is_content,
    record_spans,
)

# what other code imports from here (the names of the parts that find the article)
__all__ = [
    "COMMENT_HEADINGS",
    "LINK_LABELS",
    "article_regions",
    "block_scores",
    "cleaner_revise",
    "densest",
    "record_spans",
]


@hookimpl
def cleaner_revise(doc: Document, decisions):
    regions, comments, headline = article_regions(doc, decisions)
    if not regions:
        return None
    inside = [False] * len(decisions)
    for a, b in regions:
        for i in range(a, b + 1):
            inside[i] = True
    start, end = regions[0][0], regions[-1][1]
    p = doc.view
    for (_, a), (b, _) in zip(regions, regions[1:], strict=False):
        if gap_is_content(p, decisions, a + 1, b):
            for i in range(a + 1, b):
                inside[i] = True
    for a, b in record_spans(doc, decisions, regions):
        for i in range(a, b + 1):
            inside[i] = True
    verdicts = []
    links = 0  # the lines below the article so far that are not kept prose
    for i, d in enumerate(decisions):
        if i > end and not (d.keep and p.prose[i]):
            links += 1
        if inside[i] or not d.keep:
            continue
        if p.prose[i] and (start < i < end or i < comments and p.stats[i].words >= OUTSIDE_PROSE_KEEP_WORDS):
            if links < OUTSIDE_PROSE_MAX_GAP:
                continue  # prose between two parts of the article, or a real paragraph near it: when unsure, keep
            verdicts.append(Verdict.drop(i, Category.FOOTER, "a paragraph far below the article, past its links"))
            continue
        if i < start:
            verdicts.append(Verdict.drop(i, Category.NAV, "above the article, not prose"))
        elif headline is not None and i < regions[1][0]:
            verdicts.append(Verdict.drop(i, Category.NAV, "between the headline and the article, not prose"))
        elif headline_like(p.stats[i]):
            verdicts.append(Verdict.drop(i, Category.RELATED, "below the article, a headline-like line"))
        else:
            verdicts.append(Verdict.drop(i, Category.FOOTER, "below the article, not prose"))
    return verdicts
