"""ad: advertisement labels, sponsored markers, donation and subscription prompts."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import phrase_set
from cleaner_plugins.social import LABEL_MAX_WORDS

# Whole-line ad labels, in the languages the web writes most.
AD_LABELS = phrase_set(
    """
    advertisement|advertisements|advertising|advert|ad|ads|sponsored|sponsored content|sponsored by
    promoted|promoted content|paid content|paid post|partner content|in partnership with
    anzeige|werbung|publicidad|publicidade|publicité|publicite|pubblicità|pubblicita|реклама|реклама
    reklama|reklam|advertentie|mainos|annonce|annons|広告|광고|广告|廣告|sponsorisé|patrocinado
    story continues below advertisement|article continues below advertisement|continue reading below
    scroll to continue with content|advertisement scroll to continue|content continues below
    """
)

# Prompts that ask the reader for money or a subscription.
_PROMPT = re.compile(
    r"^(?:please\s+)?(?:support\s+(?:us|our)\b|donate\b|make a donation|subscribe now\b"
    r"|become an?\s+(?:patron|member|supporter|subscriber)\b)"
    r"|\bbecome\s+(?:a|an|our)\s+(?:patron|member|supporter)s?\b",
    re.I,
)


# Every prompt above holds one of these words; a cheap test before the pattern.
_HINT = re.compile(r"support|donat|subscri|patron|member")


def _judge_line(doc: Document, p, i: int) -> Verdict | None:
    """The rule, on the short line ``i`` of the page ``p``."""
    if p.keys[i] in AD_LABELS:
        return Verdict.drop(i, Category.AD, "an advertisement label", Strength.RULE)
    if p.stats[i].words <= LABEL_MAX_WORDS and _HINT.search(p.lows[i]) and _PROMPT.search(doc.blocks[i].text):
        return Verdict.drop(i, Category.AD, "a donation or subscription prompt")
    return None


# The rule runs only on the lines whose key (label_key: the case-folded line without the
# punctuation around it) is a label of AD_LABELS, holds "become" or starts as one of
# _PROMPT_HEADS, which every line it drops does: a _PROMPT line starts with please,
# support, donate, make, subscribe or become, or holds "become". (Its IGNORECASE takes
# for an ASCII letter only the letter's two cases, "ſ", the Kelvin sign and the dotted and
# dotless "i": case-folding turns all but the i's into the letter, and no head has an "i".)
_HEAD = 4
_PROMPT_HEADS = frozenset(word[:_HEAD] for word in ("please", "support", "donate", "make", "subscribe", "become"))


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    for i in [i for i, key in enumerate(p.keys) if key in AD_LABELS or key[:_HEAD] in _PROMPT_HEADS or "become" in key]:
        verdict = _judge_line(doc, p, i)
        if verdict is not None:
            yield verdict
