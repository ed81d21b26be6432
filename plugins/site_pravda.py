"""pravda.com.ua (English edition): switcher, support prompts, byline, tags and news lists."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl

NAME = "pravda"
_SWITCHER = re.compile(r"^Укр Рус Eng\b")
_BYLINE = re.compile(r"^\S.*?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{1,2} \w+ \d{4}, \d{2}:\d{2}$")
_LABELS = {
    "All Sections": Category.NAV,
    "Support Us": Category.AD,
    "Follow us on Instagram!": Category.SOCIAL,
    "Advertisement:": Category.AD,
    "Support UP or become our patron!": Category.AD,
    "All News": Category.NAV,
}


@hookimpl
def cleaner_claim(doc: Document):
    if doc.host and (doc.host == "pravda.com.ua" or doc.host.endswith(".pravda.com.ua")):
        return NAME
    if any(_SWITCHER.match(b.text) for b in doc.blocks[:10]) and any(b.text == "Support UP or become our patron!" for b in doc.blocks):
        return NAME
    return None


@hookimpl
def cleaner_judge(doc: Document):
    if doc.site != NAME:
        return
    blocks = doc.blocks
    texts = [b.text for b in blocks]
    for b in blocks:
        if _SWITCHER.match(b.text):
            yield Verdict.drop(b.index, Category.NAV, "pravda: the language switcher", Strength.RULE)
        elif b.text in _LABELS:
            yield Verdict.drop(b.index, _LABELS[b.text], f"pravda: the {b.text!r} label", Strength.RULE)
        elif _BYLINE.match(b.text):
            yield Verdict.drop(b.index, Category.BYLINE, "pravda: author and date", Strength.RULE)
        elif b.text.endswith("Photo: Getty Images") or re.search(r"\. Photo: ", b.text):
            yield Verdict.drop(b.index, Category.CAPTION, "pravda: the photo caption", Strength.RULE)
    # The tag run follows the patron prompt; then come the related headlines to the end.
    if "Support UP or become our patron!" in texts:
        start = texts.index("Support UP or become our patron!") + 1
        if start < len(blocks):
            yield Verdict.drop(start, Category.TAXONOMY, "pravda: the tags after the article", Strength.RULE)
        for i in range(start + 1, len(blocks)):
            if texts[i] not in _LABELS:
                yield Verdict.drop(i, Category.RELATED, "pravda: the news lists after the article", Strength.RULE)
