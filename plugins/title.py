"""title: the headline is the first kept line when it reads as one."""

from __future__ import annotations

from cleaner import Document, hookimpl
from cleaner.textstats import label_key, line_stats
from cleaner_plugins.context.headline import HEADLINE_MAX_WORDS


@hookimpl(trylast=True)
def cleaner_title(doc: Document, decisions):
    kept = [d for d in decisions if d.keep]
    if len(kept) < 2:
        return None
    wanted = doc.metadata.get("title")
    if wanted:
        key = label_key(wanted)
        for d in kept[:5]:
            if label_key(d.block.text) == key:
                return d.block.index
    first = kept[0].block
    s = line_stats(first.text)
    if 2 <= s.words <= HEADLINE_MAX_WORDS and (not s.sentence_end or first.text.endswith(("?", "!"))):
        return first.index
    return None
