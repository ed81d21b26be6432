"""debris: lone separators, empty bullets, bare numbers."""

from __future__ import annotations

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import has_letters, is_numberish


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    for i in p.short:
        if p.stats[i].letters > 0:
            continue
        text = doc.blocks[i].text
        if has_letters(text):  # letters the statistics' regex does not count
            continue
        if is_numberish(text):
            yield Verdict.drop(i, Category.DEBRIS, "a bare number")
        else:
            yield Verdict.drop(i, Category.DEBRIS, "punctuation only", Strength.RULE)
