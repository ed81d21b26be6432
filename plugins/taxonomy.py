"""taxonomy: tag and category lists (``Tags: ...``, ``• Country: • United States``, glued tag links)."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import is_prose, line_stats

_TAG_LABEL = re.compile(
    r"^[•·*\-–]?\s*(?:tags?|topics?|categories|category|filed under|keywords|themen|schlagwörter|temas|tópicos|argomenti|теги|темы|теми|мітки|country|countries|region|regions|section)\s*:",
    re.I,
)
# "• Region:" alone: a bulleted one- or two-word key that ends in a colon (a facts box).
_KEY_ONLY = re.compile(r"^[•·*\-–]\s*\w+(?:\s\w+)?\s*:$")
# A lower-case letter glued to an upper-case one ("KoreaUkraine"), or capitals glued to a word ("USANorth").
_GLUE = re.compile(r"[a-zа-яёіїєґ][A-ZА-ЯЁІЇЄҐ]|[A-ZА-ЯЁІЇЄҐ]{2}[a-zа-яёіїєґ]")


def _is_tag(text: str) -> bool:
    s = line_stats(text)
    return 1 <= s.words <= settings.TAG_MAX_WORDS and not s.sentence_end and not text.endswith(":")


@hookimpl
def cleaner_judge(doc: Document):
    blocks = doc.blocks
    for block in blocks:
        text = block.text
        if _TAG_LABEL.match(text) and line_stats(text).words <= settings.LABEL_MAX_WORDS * 3 and not is_prose(text):
            yield Verdict.drop(block.index, Category.TAXONOMY, "a tag or category label", Strength.RULE)
            tags = _following_tags(blocks, block.index)
        elif _KEY_ONLY.match(text):
            tags = _following_tags(blocks, block.index)
            if not tags:
                continue
            yield Verdict.drop(block.index, Category.TAXONOMY, "a key whose values are short tags")
        elif len(text) <= settings.LABEL_MAX_CHARS and len(_GLUE.findall(text)) >= settings.GLUED_MIN_JOINS and line_stats(text).words <= settings.LABEL_MAX_WORDS and not line_stats(text).sentence_end:
            yield Verdict.drop(block.index, Category.TAXONOMY, "tag links glued together without spaces")
            continue
        else:
            continue
        for i in tags:
            yield Verdict.drop(i, Category.TAXONOMY, "a tag under a tag label")


def _following_tags(blocks, start: int) -> list[int]:
    """Short tag lines right after a label; none if the label is followed by sentences."""
    tags = []
    for block in blocks[start + 1 : start + 1 + 20]:
        if not _is_tag(block.text):
            break
        tags.append(block.index)
    return tags
