"""footer: copyright, legal links, contact e-mail and phone lines, cookie notices."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import phrase_set
from cleaner_plugins.social import LABEL_MAX_WORDS

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
_CONTACT = re.compile(r"^(?:e-?mail|phone|tel|telephone|fax|contact|address|тел|телефон)\.?\s*:|^[\w.+-]+@[\w-]+\.[\w.]+$", re.I)

# A cookie notice speaks for the site ("we use cookies", "this website uses cookies") or
# describes its cookie categories and their consent ("necessary cookies", "this cookie is
# set by ..."); an article about cookies does neither. Run on the case-folded line.
_COOKIE_NOTICE = re.compile(
    # the site's own voice: "we use cookies", "this website uses cookies", in a few languages
    r"\b(?:we (?:use|are using)|(?:nous )?utilisons|usamos|utilizamos|utilizziamo|wir (?:verwenden|nutzen)"
    r"|(?:мы )?используем|(?:ми )?використовуємо"
    r"|(?:site|sitio|sito|webseite|website|сайт|portal) (?:web )?(?:uses|utilise|utiliza|utilizza|usa|verwendet|nutzt"
    r"|использует|використовує))(?: (?:des|los|i|os|файлы|файли))? cookies?\b"
    # the categories of a consent form and their descriptions
    r"|\b(?:necessary|essential|functional|performance|analytics?|analytical|advertisement|advertising|marketing"
    r"|targeting|these|strictly necessary) cookies (?:are|is|help|allow|enable|track|ensure|collect|may)\b"
    r"|\b(?:this|the) cookie is (?:set|used)\b|\bcookie consent\b|\baccept (?:all )?cookies\b"
)
_COOKIE = re.compile("cookie", re.IGNORECASE)


def is_cookie_notice(text: str) -> bool:
    """A line of a site's cookie notice or consent form, of any length."""
    return _COOKIE_NOTICE.search(text.casefold()) is not None


def _judge_line(doc: Document, p, i: int) -> Verdict | None:
    """The rule, on the short line ``i`` of the page ``p``."""
    s, low = p.stats[i], p.lows[i]
    if s.words > LABEL_MAX_WORDS * 2:
        return None
    if _COPYRIGHT.search(low):
        return Verdict.drop(i, Category.FOOTER, "a copyright line", Strength.RULE)
    if p.keys[i] in FOOTER_LABELS:
        return Verdict.drop(i, Category.FOOTER, "a footer link", Strength.RULE)
    if not s.sentence_end and _LEGAL.search(low):
        return Verdict.drop(i, Category.FOOTER, "legal links", Strength.RULE)
    if _CONTACT.match(low):
        return Verdict.drop(i, Category.FOOTER, "a contact line (e-mail, phone)")
    return None


# The rule runs only on the lines that pass one of these cheap tests, which every line it
# drops passes:
# - a footer link is a key (label_key) of FOOTER_LABELS;
# - _COPYRIGHT and _LEGAL find "©", or in the case-folded line "(c)", "right", "права",
#   "terms of", "policy", "disclaimer" or "impressum";
# - _CONTACT finds "@", or a ":" after one of _CONTACT_WORDS at the start (its IGNORECASE
#   also takes the dotless "ı" that case-folding keeps for an "i").
# "©", "@" and ":" are found in the page's text with ``str.find``: case-folding leaves
# them as they are and makes them of no other character.
_CONTACT_WORDS = ("e-mail", "email", "e-maıl", "emaıl", "phone", "tel", "fax", "contact", "address", "тел")


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    keys, lows = p.keys, p.lows
    found = {
        i
        for i, low in enumerate(lows)
        if keys[i] in FOOTER_LABELS
        or "(c)" in low
        or "right" in low
        or "права" in low
        or "terms of" in low
        or "policy" in low
        or "disclaimer" in low
        or "impressum" in low
    }
    found.update(p.lines_holding("©"))
    found.update(p.lines_holding("@"))
    found.update(i for i in p.lines_holding(":") if lows[i].startswith(_CONTACT_WORDS))
    judged = set()
    for i in sorted(found):
        if lows[i]:  # a short line (Page.short): the others have no case-folded text
            verdict = _judge_line(doc, p, i)
            if verdict is not None:
                judged.add(i)
                yield verdict
    # a cookie notice holds "cookie" (IGNORECASE finds it in every line whose case-folded
    # text holds it, and in a few more)
    for i in p.lines_with(_COOKIE):
        if i not in judged and is_cookie_notice(doc.blocks[i].text):
            yield Verdict.drop(i, Category.FOOTER, "a cookie notice")
