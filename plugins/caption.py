"""caption: image captions and credits; the captions are returned as metadata."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import LineStats, Page, line_stats

# A caption with a credit (Photo: ..., Getty Images) has at most this many words.
CAPTION_MAX_WORDS = 60
CAPTION_MAX_CHARS = 500

# Credit markers that only captions carry.
CREDIT = re.compile(
    r"\b(?:photo|photos|image|images|picture|pictures|foto|fotos|фото|світлина|illustration|video|credit|credits|source)"
    r"\s*(?:credits?)?\s*:\s*\S"
    r"|\((?:image|photo|picture)\s+credit"
    r"|\b(?:getty\s+images|shutterstock|istock(?:photo)?|ap\s+photo|afp(?:\s+photo)?\s*/|reuters\s*/|epa(?:-efe)?\s*/|dpa\s*/|alamy|unsplash|pixabay)\b",
    re.I,
)
# Every credit above holds one of these; a cheap test before the pattern.
_CREDIT_WORDS = (
    "photo",
    "image",
    "picture",
    "foto",
    "фото",
    "світлина",
    "illustration",
    "video",
    "credit",
    "source",
    "getty",
    "shutterstock",
    "istock",
    "afp",
    "reuters",
    "epa",
    "dpa",
    "alamy",
    "unsplash",
    "pixabay",
)
# CREDIT needs a ":" and then a non-space (its first form), "(image", "(photo" or "(picture"
# (its second), a "/" (after afp, reuters, epa and dpa) or another agency's name, which
# case-folded holds one of _AGENCY_PARTS ("xabay" for pixabay: re.I also matches "i" to "ı"
# and "İ", which casefold keeps apart; "ſ" and the Kelvin sign, which re.I matches to "s"
# and "k", fold to them). Each mark has a first character that a scan jumps to (and
# [^\S\n] is CREDIT's \s: a block holds no line break).
_CREDIT_MARKS = (re.compile(r":[^\S\n]*\S"), re.compile(r"\((?:image|photo|picture)", re.I), re.compile("/"))
_AGENCY_PARTS = ("getty", "stock", "photo", "alamy", "unsplash", "xabay")
# "Source: ..." alone is an article label (see the policy); it is a credit only with an image word.
_SOURCE_ONLY = re.compile(r"^source\s*:", re.I)


def is_caption(text: str, s: LineStats | None = None) -> bool:
    """An image caption or credit. ``s``: the line's statistics, when the caller has them."""
    if len(text) > CAPTION_MAX_CHARS:
        return False
    if s is None:
        s = line_stats(text)
    if s.words > CAPTION_MAX_WORDS:
        return False
    low = text.casefold()
    if not any(map(low.__contains__, _CREDIT_WORDS)) or not CREDIT.search(text):
        return False
    if _SOURCE_ONLY.match(text) and not re.search(r"\b(?:getty|shutterstock|photo|image)\b", text, re.I):
        return False
    return True


def lines_that_may_hold_a_credit(p: Page) -> list[int]:
    """The indexes of the blocks with one of _CREDIT_MARKS or, case-folded, _AGENCY_PARTS,
    in order: the lines CREDIT can match, the only ones that need the full test.

    The parts are looked for in the whole case-folded page: ``str.casefold`` folds each
    character on its own, never to "" nor to a line break, so the case-folded page is the
    blocks' case-folded texts joined by "\n", each one where ``p.starts`` says unless a
    character folded to several ("ß" to "ss").
    """
    found = {i for mark in _CREDIT_MARKS for i in p.lines_with(mark)}
    folded = p.joined.casefold()
    starts: Sequence[int]
    if len(folded) == len(p.joined):
        starts = p.starts
    else:
        starts = list(accumulate((len(line) + 1 for line in folded.split("\n")), initial=0))
    for part in _AGENCY_PARTS:
        at = folded.find(part)
        while at >= 0:
            found.add(bisect_right(starts, at) - 1)
            at = folded.find(part, at + 1)
    return sorted(found)


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    for i in lines_that_may_hold_a_credit(p):
        if is_caption(doc.blocks[i].text, p.stats[i]):
            yield Verdict.drop(i, Category.CAPTION, "an image caption or credit", Strength.HINT)


@hookimpl
def cleaner_metadata(doc: Document, decisions):
    captions = [d.block.text for d in decisions if d.verdict is not None and d.verdict.category is Category.CAPTION]
    return {"captions": captions} if captions else None
