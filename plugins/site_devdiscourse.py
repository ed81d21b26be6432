"""devdiscourse.com: its menu label, byline, TRENDING list, teasers and footer."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl

NAME = "devdiscourse"
_BYLINE = re.compile(r"\|\s*Updated:\s*\d{2}-\d{2}-\d{4}.*\|\s*Created:")
_IMAGE_CREDIT = re.compile(r"Image Credit:")
# (first line, last line or None for "to the end", category) of the blocks around the article.
_SECTIONS = (
    ("TRENDING", "OPINION / BLOG / INTERVIEW", Category.TRENDING),
    ("OPINION / BLOG / INTERVIEW", "DevShots", Category.RELATED),
    ("DevShots", "Connect us on", Category.RELATED),
    ("Connect us on", "SECTORS", Category.SOCIAL),
    ("SECTORS", None, Category.FOOTER),
)


@hookimpl
def cleaner_claim(doc: Document):
    if doc.host and (doc.host == "devdiscourse.com" or doc.host.endswith(".devdiscourse.com")):
        return NAME
    if any(_BYLINE.search(b.text) and b.text.startswith("Devdiscourse") for b in doc.blocks[:20]):
        return NAME
    return None


@hookimpl
def cleaner_judge(doc: Document):
    if doc.site != NAME:
        return
    texts = [b.text for b in doc.blocks]
    for b in doc.blocks:
        if b.text == "Left Menu":
            yield Verdict.drop(b.index, Category.NAV, "devdiscourse: the menu button", Strength.RULE)
        elif _BYLINE.search(b.text):
            yield Verdict.drop(b.index, Category.BYLINE, "devdiscourse: the Updated/Created byline", Strength.RULE)
        elif _IMAGE_CREDIT.search(b.text):
            yield Verdict.drop(b.index, Category.CAPTION, "devdiscourse: the image caption", Strength.RULE)
    for first, last, category in _SECTIONS:
        if first not in texts:
            continue
        start = texts.index(first)
        stop = texts.index(last, start) if last in texts[start:] else len(texts)
        for i in range(start, stop):
            yield Verdict.drop(i, category, f"devdiscourse: the {first!r} block", Strength.RULE)
