"""Segment: every non-blank line is a block (text mode keeps lines whole)."""

from __future__ import annotations

from cleaner import Block, hookimpl


@hookimpl(trylast=True)
def cleaner_segment(raw: str, normalized: str) -> list[Block]:
    raw_lines = raw.split("\n")
    lines = normalized.split("\n")
    blocks: list[Block] = []
    for i, text in enumerate(lines):
        if not text:
            continue
        raw_line = raw_lines[i]
        blocks.append(
            Block(
                index=len(blocks),
                lineno=i + 1,
                raw=raw_line,
                text=text,
                blank_before=i == 0 or not lines[i - 1],
                blank_after=i + 1 == len(lines) or not lines[i + 1],
                indent=len(raw_line) - len(raw_line.lstrip()),
            )
        )
    return blocks
