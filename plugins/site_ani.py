"""ANI wire copy on aggregator pages: the story ends in (ANI); separators after it go.

This site stays Python, unlike devdiscourse and pravda (rules files in plugins/sites/):
its rules hang on the *last* "(ANI)" sign-off of the page, and judge lines by what they
hold, not by a marker: lines of prose (long enough to be the story) up to the sign-off are
kept, and after it only lines with no letters at all are dropped. A rules file says "from
this marker line to that one"; it does not count words or pick the last of several markers.
"""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import has_letters

NAME = "ani"
_SIGNOFF = re.compile(r"\(ANI\)$")
# A line before the sign-off with at least this many words is the wire story.
STORY_MIN_WORDS = 8


@hookimpl
def cleaner_claim(doc: Document):
    if doc.host and doc.host.endswith("aninews.in"):
        return NAME
    if any(_SIGNOFF.search(b.text) for b in doc.blocks):
        return NAME
    return None


@hookimpl
def cleaner_judge(doc: Document):
    if doc.site != NAME:
        return
    ends = [b.index for b in doc.blocks if _SIGNOFF.search(b.text)]
    if not ends:
        return
    last = ends[-1]
    for b in doc.blocks[: last + 1]:
        if has_letters(b.text) and len(b.text.split()) >= STORY_MIN_WORDS:
            yield Verdict.keeping(b.index, "ani: the wire story", Strength.RULE)
    for b in doc.blocks[last + 1 :]:
        if not has_letters(b.text):
            yield Verdict.drop(b.index, Category.DEBRIS, "ani: aggregator separator after the story", Strength.RULE)
