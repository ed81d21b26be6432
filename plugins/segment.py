"""Segment: every non-blank line is a block (text mode keeps lines whole)."""

from __future__ import annotations

import re

from cleaner import Block, hookimpl

_INDENT = re.compile(r"\s*")


@hookimpl(trylast=True)
def cleaner_segment(raw: str, normalized: str) -> list[Block]:
    raw_lines = raw.split("\n")
    lines = normalized.split("\n")
    last = len(lines) - 1
    blocks: list[Block] = []
    for i, text in enumerate(lines):
        if not text:
            continue
        raw_line = raw_lines[i]
        if raw_line == text:  # most lines need no normalising: hold one string, not two
            raw_line, indent = text, 0  # (and a normalised line starts with no space)
        else:
            indent = _INDENT.match(raw_line).end()  # type: ignore[union-attr]  # r"\s*" matches every string
        blocks.append(
            Block(len(blocks), i + 1, raw_line, text, i == 0 or not lines[i - 1], i == last or not lines[i + 1], indent)
        )
    return blocks
