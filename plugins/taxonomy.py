"""taxonomy: tag and category lists (``Tags: ...``, ``• Country: • United States``, glued tag links)."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import LABEL_MAX_CHARS, line_stats, prose
from cleaner_plugins.social import LABEL_MAX_WORDS

# A tag under a "Tags:" / "Country:" label has at most this many words.
TAG_MAX_WORDS = 4
# Words glued by missing spaces ("USANorth KoreaUkraine") needed for a tag run.
GLUED_MIN_JOINS = 2

_TAG_WORDS = (
    r"tags?|topics?|categories|category|filed under|keywords|themen|schlagwörter|temas|tópicos|argomenti|теги|темы|теми|мітки"
    r"|country|countries|region|regions|section"
)
_TAG_LABEL = re.compile(rf"^[•·*\-–]?\s*(?:{_TAG_WORDS})\s*:", re.I)
# "• Region:" alone: a bulleted one- or two-word key that ends in a colon (a facts box).
_KEY_ONLY = re.compile(r"^[•·*\-–]\s*\w+(?:\s\w+)?\s*:$")
# A lower-case letter glued to an upper-case one ("KoreaUkraine"), or capitals glued to a word ("USANorth").
_GLUE = re.compile(r"[a-zа-яёіїєґ][A-ZА-ЯЁІЇЄҐ]|[A-ZА-ЯЁІЇЄҐ]{2}[a-zа-яёіїєґ]")
# A web address has such joins too ("amzn.to/2iJFhRj"), but it is no tag list.
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def _is_tag(text: str) -> bool:
    s = line_stats(text)
    return 1 <= s.words <= TAG_MAX_WORDS and not s.sentence_end and not text.endswith(":")


# The candidates of the three tests below, each found in one scan of the page: a _TAG_LABEL
# line starts with a bullet, a space or a label word, a _KEY_ONLY line with a bullet, and a
# line with a _GLUE join holds a capital right after a lower-case letter, or two capitals
# before one (the same joins found from the capital, a rarer letter the scan jumps to).
_LABEL_OR_BULLET = re.compile(rf"[•·*\-–]|[^\S\n]|(?i:{_TAG_WORDS})")
_GLUE_CAPITAL = re.compile(r"[A-ZА-ЯЁІЇЄҐ](?:(?<=[a-zа-яёіїєґ].)|[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ])")


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    blocks = doc.blocks
    for index in sorted({*p.lines_starting_with(_LABEL_OR_BULLET), *p.lines_with(_GLUE_CAPITAL)}):
        block = blocks[index]
        text = block.text
        s = p.stats[index]
        if _TAG_LABEL.match(text) and s.words <= LABEL_MAX_WORDS * 3 and not prose(s):
            yield Verdict.drop(block.index, Category.TAXONOMY, "a tag or category label", Strength.RULE)
            tags = _following_tags(blocks, block.index)
        elif _KEY_ONLY.match(text):
            tags = _following_tags(blocks, block.index)
            if not tags:
                continue
            yield Verdict.drop(block.index, Category.TAXONOMY, "a key whose values are short tags")
        elif (
            len(text) <= LABEL_MAX_CHARS
            and s.words <= LABEL_MAX_WORDS
            and not s.sentence_end
            and len(_GLUE.findall(text)) >= GLUED_MIN_JOINS
            and not _URL.match(text)
        ):
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
