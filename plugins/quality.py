"""quality: two figures of how much of a page was article, for corpus filters (metadata).

* ``kept_share``: the share of the page's lines that were kept, lines kept / lines in,
  counting non-blank lines (the blocks; in HTML mode, the lines of the text the
  extractor gave the text stages). None for a page without a line.
* ``prose_share``: the share of the kept text's characters that are in lines that read
  as prose (``cleaner.textstats.prose``: a sentence of PROSE_MIN_WORDS words and more
  with function words, or a long line of running text), so 1.0 is all paragraphs and
  0.0 all short lines (a list, a table, a menu kept). None when nothing was kept.

Both are rounded to three places, and describe the text the user gets (the metadata
hooks see the settled decisions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cleaner import Decision, Document, hookimpl

# Places the figures are rounded to.
DIGITS = 3


@hookimpl
def cleaner_metadata(doc: Document, decisions: Sequence[Decision]) -> dict[str, Any]:
    kept = [d.block.index for d in decisions if d.keep]
    prose = doc.view.prose
    chars = sum(len(doc.blocks[i].text) for i in kept)
    prose_chars = sum(len(doc.blocks[i].text) for i in kept if prose[i])
    return {
        "kept_share": round(len(kept) / len(decisions), DIGITS) if decisions else None,
        "prose_share": round(prose_chars / chars, DIGITS) if chars else None,
    }
