"""duplicate: a second copy of the headline or of any block already kept."""

from __future__ import annotations

from collections import Counter

from cleaner import Category, Document, Verdict, hookimpl

REASON = "a copy of a line already kept"
# A verdict cannot change: one per block index serves every page (the engine judges a
# long page in windows, so these are at most WINDOW_LINES).
_verdicts: dict[int, Verdict] = {}


def _copy(index: int) -> Verdict:
    return _verdicts.setdefault(index, Verdict.drop(index, Category.DUPLICATE, REASON))


def _folded(doc: Document) -> list[str]:
    """The case-folded text of every block (the keys of doc.counts)."""
    folded = list(doc.view.lows)  # the short blocks'; "" for the others
    i = -1
    try:
        while True:
            i = folded.index("", i + 1)
            folded[i] = doc.blocks[i].text.casefold()
    except ValueError:
        return folded


@hookimpl
def cleaner_revise(doc: Document, decisions):
    # A block is a copy when its case-folded text (the key of doc.counts) is that of a
    # block kept before it; only a block whose text occurs more than once can be.
    folded = _folded(doc)
    counts = Counter(folded)
    if len(counts) == len(folded):  # nothing repeats
        return None
    repeated = {key for key, n in counts.items() if n > 1}
    copies = []
    seen: set[str] = set()
    for i in [i for i, key in enumerate(folded) if key in repeated]:
        if decisions[i].keep:  # decisions[i] is block i's
            key = folded[i]
            if key in seen:
                copies.append(_verdicts.get(i) or _copy(i))
            else:
                seen.add(key)
    return copies
