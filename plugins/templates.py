"""templates: a line on many of its site's pages is the site's template, not the article.

The engine hands a page its site's template when the Cleaner has templates
(``Cleaner(templates=...)``, ``clean --learn-templates`` / ``--templates FILE``): on how
many of the site's pages each line occurs (:mod:`cleaner.templates`). A line on at least
:data:`MIN_SHARE` of them (and on :data:`MIN_PAGES` pages or more) is the site's:

* above the page's own text (its first prose line that is not the site's), it goes as
  navigation; below the last, as the footer;
* inside the page's own text, it goes in a run of :data:`INSIDE_RUN` or more (a menu, a
  box), and stays alone (a label of the page type: "Description", "Reviews");
* a page without prose of its own is left to the rules: nothing tells its template from
  its content.

A site with fewer than :data:`MIN_SITE_PAGES` pages changes nothing: too few to tell a
template from a coincidence.
"""

from __future__ import annotations

import math

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.templates import MIN_SITE_PAGES  # a smaller site has no template

# A line is the site's template when it is on this share of the site's pages...
MIN_SHARE = 0.5
# ... and on at least this many of them.
MIN_PAGES = 3
# A template line is dropped with this strength: over the detectors' hints to keep it.
STRENGTH = Strength.RULE
# Inside the page's own text (from its first to its last prose line that is not the
# site's), a template line goes only in a run of this many: a menu or a box; a lone one
# there is the page type's own label ("Description", "Specifications").
INSIDE_RUN = 2


def needed(pages: int) -> int:
    """On how many of a site's ``pages`` a line must be to be its template."""
    return max(MIN_PAGES, math.ceil(MIN_SHARE * pages))


@hookimpl
def cleaner_judge(doc: Document):
    template = doc.template
    if template is None or template.pages < MIN_SITE_PAGES or not doc.blocks:
        return None
    need = needed(template.pages)
    counts = template.pages_with([b.text for b in doc.blocks])
    common = [n >= need for n in counts]
    if not any(common):
        return None
    prose = doc.view.prose
    own = [i for i, p in enumerate(prose) if p and not common[i]]
    if not own:  # nothing of the page's own to tell the template from: leave it to the rules
        return None
    first, last = own[0], own[-1]
    run = _runs(common)
    verdicts = []
    for i, n in enumerate(counts):
        if not common[i] or first < i < last and run[i] < INSIDE_RUN:
            continue
        category = Category.NAV if i < first else Category.FOOTER
        reason = f"on {n} of {template.pages} pages of this site"
        verdicts.append(Verdict.drop(i, category, reason, STRENGTH))
    return verdicts


def _runs(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of true flags it is in (0 where false)."""
    runs = [0] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        runs[i:j] = [j - i] * (j - i)
        i = j
    return runs
