"""The Markdown of a cleaned page (``Result.markdown``, ``clean --format markdown``).

It is made from the same kept blocks as ``Result.text``, in the same order, so a line the
engine dropped is not in the Markdown either, and the Markdown's words are the text's.

* The headline is a ``#`` title.
* On an HTML page each line carries its :class:`~cleaner.model.Role`, which the html
  plugin read off trafilatura's output: headings are ``#`` to ``######`` by their level,
  list items ``- `` or ``1. `` (nested ones indented), the rows of a table a Markdown
  table (a header row, then the ``---`` line; cells with ``|`` escaped, short rows padded;
  a table whose header row was dropped takes its first kept row as header), quotes
  ``> ``, code a fenced block. A line's links and images are there when the Cleaner was
  asked for them (``Role.markdown``, ``Role.images``).
* A line without a role (any line of a text page) is a paragraph, or a list item when it
  starts with a bullet (``•``, ``*``, ``-``, ``–`` and a space).

Blocks are separated by a blank line, the paragraph separator of ``Result.text`` (and
Markdown's); the items of one list, the rows of one table and the lines of one code block
are on consecutive lines. A character that would make a line markup by accident (``#``,
``>``, ``-``, ``1.``... at its start) is escaped with a backslash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from cleaner.model import Block, Decision, Role, Structure

# A text line that is a list item: a bullet and a space before its text.
_BULLET = re.compile(r"^[•*\-–]\s+(?=\S)")
# What makes the start of a line markup: a heading, a quote, a list item or thematic
# break, a setext underline, a table, a fence, an HTML block, an escape; "1." / "1)".
_MARKUP_START = re.compile(r"[#>+\-*_=|~`<\\]|\d{1,9}[.)](?=\s|$)")
# Markdown's list items nest by indentation; four spaces a level nest under "- " and "10. " alike.
_NEST_INDENT = "    "
# A table row's cells are split at a "|" that no backslash escapes.
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TRAILING_HASHES = re.compile(r"(\s)(#+)$")
_BACKTICKS = re.compile(r"`+")
# A list item's line, as the html plugin's extractor writes it: its marker first.
_ITEM_MARKER = "- "


def render(decisions: Sequence[Decision], title_index: int | None) -> str:
    """The Markdown of the kept blocks: the headline (block ``title_index``) first, as a
    ``#`` title, then the others in page order."""
    title: Block | None = None
    body: list[Block] = []
    for d in decisions:
        if not d.keep:
            continue
        if title is None and d.block.index == title_index:
            title = d.block
        else:
            body.append(d.block)
    chunks = [] if title is None else [heading(title.text, 1, title.role)]
    chunks.extend(_chunks(body))
    return "\n\n".join(chunks)


def escape_start(text: str) -> str:
    """``text`` with a backslash before what would make it markup at a line's start."""
    match = _MARKUP_START.match(text)
    if match is None:
        return text
    if match.group()[0].isdigit():  # "1." and "1)": the dot or parenthesis
        pos = match.end() - 1
        return f"{text[:pos]}\\{text[pos:]}"
    return f"\\{text}"


def heading(text: str, level: int, role: Role | None = None) -> str:
    """A heading of ``level`` (1 to 6): trailing ``#`` characters, which Markdown would take
    for the closing sequence, escaped."""
    content = role.markdown if role is not None and role.markdown is not None else text
    content = _TRAILING_HASHES.sub(lambda m: f"{m[1]}\\{m[2]}", content)
    return f"{'#' * min(max(level, 1), 6)} {content}"


def _chunks(blocks: Sequence[Block]) -> Iterator[str]:
    """The body's Markdown blocks: runs of list items, of table rows, of quoted lines and of
    code lines of one group become one block each."""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = _kind(block)
        end = i + 1
        if kind in (Structure.ITEM, Structure.ROW, Structure.QUOTE, Structure.CODE):
            group = _group(block)
            while end < len(blocks) and _same_run(kind, group, blocks[end]):
                end += 1
        run = blocks[i:end]
        images = [image for b in run for image in (b.role.images if b.role is not None else ())]
        if images:
            yield "\n".join(images)
        if kind is Structure.ITEM:
            yield _list(run)
        elif kind is Structure.ROW:
            yield _table(run)
        elif kind is Structure.QUOTE:
            yield "\n>\n".join(f"> {_inline(b)}" for b in run)
        elif kind is Structure.CODE:
            yield _code(b.text for b in run)
        elif kind is Structure.HEADING:
            assert block.role is not None
            yield heading(block.text, block.role.level, block.role)
        elif kind is not Structure.RULE:
            yield _inline(block)
        i = end


def _kind(block: Block) -> Structure:
    """What the block is: its role's kind; without a role, an item when it starts with a
    bullet, else a paragraph. A table's ``---`` line or a row without cells is a rule."""
    role = block.role
    if role is None:
        return Structure.ITEM if _BULLET.match(block.text) else Structure.PARAGRAPH
    if role.kind is Structure.ROW and not block.text.startswith("|"):
        return Structure.PARAGRAPH  # not the "| a | b |" line a row should be
    return role.kind


def _group(block: Block) -> int:
    return block.role.group if block.role is not None else 0


def _same_run(kind: Structure, group: int, block: Block) -> bool:
    """``block`` continues a run of ``kind`` blocks of ``group``. A table's ``---`` line
    continues its table; lines without a role continue a run of bullets (group 0)."""
    other = _kind(block)
    if kind is Structure.ROW and other is Structure.RULE:
        return _group(block) == group
    return other is kind and _group(block) == group


def _inline(block: Block) -> str:
    """A line's content: its links and images when the extractor gave them, else its text,
    escaped at the start."""
    role = block.role
    if role is not None and role.markdown is not None:
        return role.markdown
    return escape_start(block.text)


def _list(run: Sequence[Block]) -> str:
    """List items, nested by their depth (a level at most below the item above), and the
    continuation lines of an item (a line break in it) indented under it."""
    lines: list[str] = []
    depth = -1
    for block in run:
        role = block.role
        if role is None:  # a text line with a bullet
            depth = 0
            content = escape_start(_BULLET.sub("", block.text, count=1))
            lines.append(f"- {_inline_content(block, content)}")
            continue
        if not block.text.startswith(_ITEM_MARKER) and lines:  # the item's next line
            lines.append(_NEST_INDENT * (depth + 1) + _inline_content(block, escape_start(block.text)))
            continue
        depth = min(role.level, depth + 1)
        marker = f"{role.number}. " if role.number else "- "
        content = block.text[len(_ITEM_MARKER) :] if block.text.startswith(_ITEM_MARKER) else block.text
        lines.append(_NEST_INDENT * depth + marker + _inline_content(block, escape_start(content)))
    return "\n".join(lines)


def _inline_content(block: Block, escaped: str) -> str:
    role = block.role
    return role.markdown if role is not None and role.markdown is not None else escaped


def cells(line: str) -> list[str]:
    """The cells of a table row's line ``| a | b |``, stripped (a ``\\|`` stays in its cell)."""
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [cell.strip() for cell in _CELL_SPLIT.split(inner)]


def _table(run: Sequence[Block]) -> str:
    """A Markdown table of the run's rows: the header row (or the first kept row), the
    ``---`` line, the others; every row padded to the widest."""
    rows = [(cells(b.text), b.role is not None and b.role.header) for b in run if _kind(b) is Structure.ROW]
    width = max(len(r) for r, _header in rows)
    lines = []
    for n, (row, _header) in enumerate(rows):
        padded = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(padded) + " |")
        if n == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)


def _code(lines: Iterable[str]) -> str:
    """A fenced code block, its fence longer than any run of backticks in it."""
    body = list(lines)
    longest = max((len(m.group()) for line in body for m in _BACKTICKS.finditer(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence, *body, fence])
