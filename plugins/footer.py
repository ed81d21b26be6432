"""footer: copyright, legal links, contact e-mail and phone lines."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import phrase_set, label_key, line_stats

FOOTER_LABELS = phrase_set(
    """
    terms of use|terms of service|terms and conditions|terms|privacy|privacy policy|cookie policy|cookies
    cookie settings|disclaimer|contact|contact us|about|about us|imprint|impressum|legal|legal notice
    sitemap|site map|advertise|advertise with us|careers|jobs|accessibility|help|faq|rss feeds
    all rights reserved|do not sell my personal information|manage cookies|your privacy choices
    """
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|\bвсе права защищены\b|\bвсі права захищені\b", re.I)
_LEGAL = re.compile(r"\b(?:terms of (?:use|service)|privacy policy|cookie policy|disclaimer|impressum)\b", re.I)
_CONTACT = re.compile(
    r"^(?:e-?mail|phone|tel|telephone|fax|contact|address|тел|телефон)\.?\s*:|^[\w.+-]+@[\w-]+\.[\w.]+$", re.I
)


@hookimpl
def cleaner_judge(doc: Document):
    for block in doc.blocks:
        text = block.text
        if len(text) > settings.LABEL_MAX_CHARS:
            continue
        s = line_stats(text)
        if s.words > settings.LABEL_MAX_WORDS * 2:
            continue
        if _COPYRIGHT.search(text):
            yield Verdict.drop(block.index, Category.FOOTER, "a copyright line", Strength.RULE)
        elif label_key(text) in FOOTER_LABELS:
            yield Verdict.drop(block.index, Category.FOOTER, "a footer link", Strength.RULE)
        elif _LEGAL.search(text) and not s.sentence_end:
            yield Verdict.drop(block.index, Category.FOOTER, "legal links", Strength.RULE)
        elif _CONTACT.search(text):
            yield Verdict.drop(block.index, Category.FOOTER, "a contact line (e-mail, phone)")
