"""debris: lone separators, empty bullets, bare numbers."""

from __future__ import annotations

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins.textstats import has_letters, is_numberish


@hookimpl
def cleaner_judge(doc: Document):
    for block in doc.blocks:
        text = block.text
        if has_letters(text):
            continue
        if is_numberish(text):
            yield Verdict.drop(block.index, Category.DEBRIS, "a bare number")
        else:
            yield Verdict.drop(block.index, Category.DEBRIS, "punctuation only", Strength.RULE)
