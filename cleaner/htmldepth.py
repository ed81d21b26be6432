"""HTML that lxml cannot parse whole: nested too deep, or a text too long.

libxml2, lxml's parser, stops at limits meant to stop hostile documents: 256 nested
elements, and 10 MB in one text node. Past a limit it drops the rest of the page and
logs an error the caller never sees unless it looks: a page nested 300 deep (unclosed
``<font>`` or ``<div>`` tags repeated, generated markup) lost everything below its 256th
level. The engine looks (:func:`limit_hit`) and parses again: a page nested too deep is
first flattened (:func:`flatten`), then parsed without libxml2's size limits.

Flattening cuts absurd nesting into runs: an element that would open deeper than
MAX_DEPTH opens at RESET_DEPTH instead, the elements between being closed first. Every
tag and every character of text stays, in order; only the nesting changes. (Opening it as
a sibling of the innermost element, as browsers do, would leave the rest of the page
under MAX_DEPTH ancestors, and trafilatura's cost in time and memory grows with the text
under each element: 400 MB for a 1 MB page nested 2000 deep.)

The tokenizer is a few linear regular expressions, not an HTML parser: it runs only on
pages lxml gave up on, and must stay linear on any input (Python's html.parser is
quadratic on some malformed input, e.g. ``<a<a<a...``).
"""

from __future__ import annotations

import re

# No element of a flattened page is deeper than this (libxml2 stops at 256; articles sit
# less than 40 deep; a 1 MB page nested 2000 deep takes trafilatura 75 MB flattened to 64,
# 143 MB to 200) ...
MAX_DEPTH = 64
# ... one that would be opens at this depth, below the page's outer wrappers.
RESET_DEPTH = 10
# An end tag closes the element it names among this many innermost open elements; a stray
# end tag further up is passed on to lxml (bounded, so that a long run of them stays linear).
END_TAG_LOOKBACK = 32
_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# Elements a new sibling of the same name closes (<p>a<p>b: two paragraphs, not nested).
_SIBLING_CLOSES = frozenset("p li dt dd option tr td th".split())
# Elements whose content is text up to their end tag, never markup.
_RAW_TEXT = frozenset("script style textarea title xmp".split())
# A comment, a doctype or processing instruction, or a start or end tag ('>' inside a
# quoted attribute ends the tag early: harmless here, and it keeps the scan linear).
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<[!?][^>]*>?|<(/?)([A-Za-z][^\s/>]*)[^>]*>?", re.S)


def limit_hit(parser) -> str | None:
    """``"depth"`` or ``"size"`` if the last parse with this lxml parser stopped at a limit."""
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in entry.message:
            return "depth" if "depth" in entry.message.lower() else "size"
    return None


def flatten(html: str, max_depth: int = MAX_DEPTH, reset_depth: int = RESET_DEPTH) -> str:
    """``html`` with no element nested deeper than ``max_depth``; all tags and text kept."""
    out: list[str] = []
    stack: list[list] = []  # [tag, open] for each element not yet ended; open: its end tag is still to come
    opened: list[int] = []  # indexes in `stack` of the open ones (the depth is their number)
    pos = 0
    end = len(html)
    while pos < end:
        m = _TOKEN.search(html, pos)
        if m is None:
            out.append(html[pos:])
            break
        out.append(html[pos : m.start()])
        pos = m.end()
        name = m.group(2)
        if name is None:  # a comment, a doctype
            out.append(m.group())
            continue
        tag = name.lower()
        if m.group(1):  # an end tag
            for i in range(len(stack) - 1, max(-1, len(stack) - 1 - END_TAG_LOOKBACK), -1):
                if stack[i][0] == tag:
                    if stack[i][1]:
                        out.append(m.group())
                    del stack[i:]
                    while opened and opened[-1] >= i:
                        opened.pop()
                    break
            else:
                out.append(m.group())  # a stray end tag: lxml knows what to do with it
            continue
        if tag in _VOID or m.group().endswith("/>"):
            out.append(m.group())
            continue
        if tag in _SIBLING_CLOSES and stack and stack[-1][0] == tag:
            if stack[-1][1]:
                opened.pop()
            stack.pop()
        if len(opened) >= max_depth:  # too deep: close the elements below reset_depth, open this there
            while len(opened) > reset_depth:
                innermost = stack[opened.pop()]
                innermost[1] = False
                out.append(f"</{innermost[0]}>")
        stack.append([tag, True])
        opened.append(len(stack) - 1)
        out.append(m.group())
        if tag in _RAW_TEXT:  # its text runs to its end tag
            close = re.compile(rf"</{re.escape(tag)}\s*>", re.I).search(html, pos)
            stop = close.start() if close else end
            out.append(html[pos:stop])
            pos = stop
    return "".join(out)
