"""caption: image captions and credits; the captions are returned as metadata."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import line_stats

# Credit markers that only captions carry.
CREDIT = re.compile(
    r"\b(?:photo|photos|image|images|picture|pictures|foto|fotos|фото|світлина|illustration|video|credit|credits|source)"
    r"\s*(?:credits?)?\s*:\s*\S"
    r"|\((?:image|photo|picture)\s+credit"
    r"|\b(?:getty\s+images|shutterstock|istock(?:photo)?|ap\s+photo|afp(?:\s+photo)?\s*/|reuters\s*/|epa(?:-efe)?\s*/|dpa\s*/|alamy|unsplash|pixabay)\b",
    re.I,
)
# Every credit above holds one of these; a cheap test before the pattern.
_CREDIT_WORDS = ("photo", "image", "picture", "foto", "фото", "світлина", "illustration", "video", "credit", "source",
                 "getty", "shutterstock", "istock", "afp", "reuters", "epa", "dpa", "alamy", "unsplash", "pixabay")
# "Source: ..." alone is an article label (see the policy); it is a credit only with an image word.
_SOURCE_ONLY = re.compile(r"^source\s*:", re.I)


def is_caption(text: str) -> bool:
    if len(text) > settings.CAPTION_MAX_CHARS:
        return False
    if line_stats(text).words > settings.CAPTION_MAX_WORDS:
        return False
    low = text.casefold()
    if not any(map(low.__contains__, _CREDIT_WORDS)) or not CREDIT.search(text):
        return False
    if _SOURCE_ONLY.match(text) and not re.search(r"\b(?:getty|shutterstock|photo|image)\b", text, re.I):
        return False
    return True


@hookimpl
def cleaner_judge(doc: Document):
    for block in doc.blocks:
        if is_caption(block.text):
            yield Verdict.drop(block.index, Category.CAPTION, "an image caption or credit", Strength.HINT)


@hookimpl
def cleaner_metadata(doc: Document, decisions):
    captions = [
        d.block.text for d in decisions if d.verdict is not None and d.verdict.category is Category.CAPTION
    ]
    return {"captions": captions} if captions else None
