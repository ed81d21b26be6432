"""footer: copyright, legal links, contact e-mail and phone lines."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import page, phrase_set

FOOTER_LABELS = phrase_set(
    """
    terms of use|terms of service|terms and conditions|terms|privacy|privacy policy|cookie policy|cookies
    cookie settings|disclaimer|contact|contact us|about|about us|imprint|impressum|legal|legal notice
    sitemap|site map|advertise|advertise with us|careers|jobs|accessibility|help|faq|rss feeds
    all rights reserved|do not sell my personal information|manage cookies|your privacy choices
    """
)
# These run on the case-folded line.
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|copyright|all rights reserved|все права защищены|всі права захищені")
_LEGAL = re.compile(r"terms of (?:use|service)|privacy policy|cookie policy|disclaimer|impressum")
_CONTACT = re.compile(
    r"^(?:e-?mail|phone|tel|telephone|fax|contact|address|тел|телефон)\.?\s*:|^[\w.+-]+@[\w-]+\.[\w.]+$", re.I
)


@hookimpl
def cleaner_judge(doc: Document):
    p = page(doc)
    for i in p.short:
        s, low = p.stats[i], p.lows[i]
        if s.words > settings.LABEL_MAX_WORDS * 2:
            continue
        if _COPYRIGHT.search(low):
            yield Verdict.drop(i, Category.FOOTER, "a copyright line", Strength.RULE)
        elif p.keys[i] in FOOTER_LABELS:
            yield Verdict.drop(i, Category.FOOTER, "a footer link", Strength.RULE)
        elif not s.sentence_end and _LEGAL.search(low):
            yield Verdict.drop(i, Category.FOOTER, "legal links", Strength.RULE)
        elif _CONTACT.match(low):
            yield Verdict.drop(i, Category.FOOTER, "a contact line (e-mail, phone)")
