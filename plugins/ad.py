"""ad: advertisement labels, sponsored markers, donation and subscription prompts."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import page, phrase_set

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
    r"^(?:please\s+)?(?:support\s+(?:us|our)\b|donate\b|make a donation|subscribe now\b|become an?\s+(?:patron|member|supporter|subscriber)\b)"
    r"|\bbecome\s+(?:a|an|our)\s+(?:patron|member|supporter)s?\b",
    re.I,
)


# Every prompt above holds one of these words; a cheap test before the pattern.
_HINT = re.compile(r"support|donat|subscri|patron|member")


@hookimpl
def cleaner_judge(doc: Document):
    p = page(doc)
    for i in p.short:
        if p.keys[i] in AD_LABELS:
            yield Verdict.drop(i, Category.AD, "an advertisement label", Strength.RULE)
        elif p.stats[i].words <= settings.LABEL_MAX_WORDS and _HINT.search(p.lows[i]) and _PROMPT.search(doc.blocks[i].text):
            yield Verdict.drop(i, Category.AD, "a donation or subscription prompt")
