"""duplicate: a second copy of the headline or of any block already kept."""

from __future__ import annotations

from cleaner import Category, Document, Verdict, hookimpl


@hookimpl
def cleaner_revise(doc: Document, decisions):
    seen: set[str] = set()
    for d in decisions:
        if not d.keep:
            continue
        key = d.block.text.casefold()
        if doc.counts.get(key, 1) > 1:
            if key in seen:
                yield Verdict.drop(d.block.index, Category.DUPLICATE, "a copy of a line already kept")
            seen.add(key)
