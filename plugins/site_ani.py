"""ANI wire copy on aggregator pages: the story ends in (ANI); separators after it go."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins.textstats import has_letters

NAME = "ani"
_SIGNOFF = re.compile(r"\(ANI\)$")


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
        if has_letters(b.text) and len(b.text.split()) >= 8:
            yield Verdict.keeping(b.index, "ani: the wire story", Strength.RULE)
    for b in doc.blocks[last + 1 :]:
        if not has_letters(b.text):
            yield Verdict.drop(b.index, Category.DEBRIS, "ani: aggregator separator after the story", Strength.RULE)
