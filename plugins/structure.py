"""structure: what each line of an HTML page's main text is (heading, list item, table row,
quote, code), and, when asked, its links and images. Not a plugin: a helper of the html
plugin, for the Markdown output (``Result.markdown``).

trafilatura runs once, for the text the engine judges; its output tree (the ``body`` of
``bare_extraction``: ``head``, ``list``/``item``, ``table``/``row``/``cell``, ``quote``,
``code``, ``p``) holds the structure of that text. :func:`roles` walks the tree into
units in page order, each with its role, and aligns the text's lines with them: a line
belongs to the unit whose letters and digits it continues. The text is not changed: a
line added to trafilatura's (a headline, a split body's later part) or one that no unit
matches gets no role, and is read as a text line (a paragraph, or an item when it starts
with a bullet).

Links and images: trafilatura keeps them only when asked to, and then extracts another
text (measured on the development bench: on two pages in three, "include_links" changes
the text besides adding links), so they are read from the page itself (:func:`with_links`):
a line's links are those of the page's element whose text is the line's, rendered as
Markdown; an image is shown in its line, or before the line that follows it in the page.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from cleaner.markdown import escape_start
from cleaner.model import ExtractOptions, Role, Structure
from cleaner.textstats import WORD

# A line is looked for among this many units after the last one matched (a line the
# html plugin removed from trafilatura's text skips units).
LOOKAHEAD_UNITS = 64
# At most this many images are shown between two lines (a gallery's first ones).
MAX_IMAGES_BETWEEN = 8
# An image this small (width or height in pixels, as the page declares) is a tracking
# pixel or an icon, not content.
MIN_IMAGE_PIXELS = 16

_NOT_KEY = re.compile(r"[\W_]+")
_RULE_LINE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
_ITEM_MARKER = re.compile(r"^\s*- ")
_HEADING_LEVEL = re.compile(r"^h([1-6])$")
# The page's elements that can hold a line of the main text, and those that lay out apart.
_LINE_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "figcaption", "pre", "td", "th")
_NESTED_BLOCKS = frozenset({"ul", "ol", "table", "dl"})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg"})


def key(text: str) -> str:
    """What a line and a unit are compared by: their letters and digits, case-folded."""
    return _NOT_KEY.sub("", unicodedata.normalize("NFC", text).casefold())


@dataclass(frozen=True, slots=True)
class _Unit:
    key: str
    role: Role


def units(body) -> list[_Unit]:
    """The units of trafilatura's output tree, in page order, each with its role."""
    found: list[_Unit] = []
    groups = itertools.count(1)

    def add(elem, role: Role, text: str | None = None) -> None:
        k = key(text if text is not None else "".join(elem.itertext()))
        if k:
            found.append(_Unit(k, role))

    def items(lst, depth: int, group: int) -> None:
        ordered = lst.get("rend") == "ol"
        for n, item in enumerate(lst.iterchildren("item"), 1):
            own = [item.text or ""]
            for child in item:
                if child.tag != "list":
                    own.append("".join(child.itertext()))
                own.append(child.tail or "")
            add(item, Role(Structure.ITEM, level=depth, number=n if ordered else 0, group=group), "".join(own))
            for child in item:
                if child.tag == "list":
                    items(child, depth + 1, group)

    def walk(elem, quote: int) -> None:
        for child in elem:
            tag = child.tag
            if tag == "head":
                match = _HEADING_LEVEL.match(child.get("rend") or "")
                add(child, Role(Structure.HEADING, level=int(match[1]) if match else 2))
            elif tag == "list":
                items(child, 0, next(groups))
            elif tag == "table":
                group = next(groups)
                for row in child.iter("row"):
                    header = any(cell.get("role") == "head" for cell in row.iterchildren("cell"))
                    add(row, Role(Structure.ROW, header=header, group=group))
            elif tag == "quote":
                group = next(groups)
                if any(c.tag in ("p", "head", "list", "quote") for c in child):
                    walk(child, group)
                else:
                    add(child, Role(Structure.QUOTE, group=group))
            elif tag == "code":
                add(child, Role(Structure.CODE, group=next(groups)))
            elif tag in ("div", "body", "article", "section"):
                walk(child, quote)
            else:
                add(child, Role(Structure.QUOTE, group=quote) if quote else Role())

    walk(body, 0)
    return found


def roles(body, lines: Sequence[str]) -> tuple[Role | None, ...]:
    """The role of each line (None: no unit matched it, or a blank line)."""
    found = units(body) if body is not None else []
    out: list[Role | None] = []
    u = offset = 0
    last: Role | None = None
    for line in lines:
        k = key(_ITEM_MARKER.sub("", line, count=1))
        if not k:
            is_rule = last is not None and last.kind is Structure.ROW and _RULE_LINE.match(line.strip())
            out.append(Role(Structure.RULE, group=last.group) if is_rule and last is not None else None)
            continue
        match = _match(found, u, offset, k)
        if match is None:
            out.append(None)
            continue
        j, end = match
        role = found[j].role
        u, offset = (j + 1, 0) if end >= len(found[j].key) else (j, end)
        out.append(role)
        last = role
    return tuple(out)


def _match(found: Sequence[_Unit], u: int, offset: int, k: str) -> tuple[int, int] | None:
    """The unit a line of key ``k`` belongs to and where in that unit's key the line ends:
    the current unit continued, else the next unit that starts with it, else the current
    unit further on (a piece of it trafilatura put elsewhere)."""
    if u < len(found) and found[u].key.startswith(k, offset):
        return u, offset + len(k)
    start = u + 1 if offset else u
    for j in range(start, min(len(found), start + LOOKAHEAD_UNITS)):
        if found[j].key.startswith(k):
            return j, len(k)
        if k.startswith(found[j].key) and j == start:  # one line holding two units (or more)
            return j, len(found[j].key)
    if u < len(found) and (pos := found[u].key.find(k, offset)) >= 0:
        return u, pos + len(k)
    return None


# -- links and images, from the page -----------------------------------------------------


def with_links(
    tree, lines: Sequence[str], line_roles: Sequence[Role | None], url: str | None, options: ExtractOptions
) -> tuple[Role | None, ...]:
    """The roles with each line's links and images as Markdown (``Role.markdown``) and the
    images between two lines of the page (``Role.images``), as ``options`` ask.

    A line's element is the first of the page's (not yet taken) whose text is the line's;
    a line of no element keeps its plain text. Table rows and code keep their text."""
    if not (options.links or options.images):
        return tuple(line_roles)
    base = _base_url(tree, url)
    index: dict[str, list] = {}
    for elem in tree.iter(*_LINE_TAGS):
        k = key(_plain_text(elem))
        if k:
            index.setdefault(k, []).append(elem)
    order = {elem: n for n, elem in enumerate(tree.iter())} if options.images else {}
    pictures = [img for img in tree.iter("img") if _shown(img)] if options.images else []
    texts = sorted(order[elem] for elems in index.values() for elem in elems) if options.images else []
    out = list(line_roles)
    previous_end = None
    for i, (line, role) in enumerate(zip(lines, line_roles, strict=True)):
        if role is not None and role.kind in (Structure.ROW, Structure.RULE, Structure.CODE):
            continue
        text = _ITEM_MARKER.sub("", line, count=1) if role is not None and role.kind is Structure.ITEM else line
        if role is None and _ITEM_MARKER.match(line):
            continue  # a bulleted line without a role is read as a text line
        k = key(text)
        candidates = index.get(k) if k else None
        if not candidates:
            continue
        elem = candidates.pop(0)
        markdown, plain = _inline(elem, base, options)
        if _words(plain) != _words(text):  # white space too: the Markdown's words are the line's
            continue
        images: tuple[str, ...] = ()
        if options.images:
            start = order[elem]
            if previous_end is not None and _next_to(elem, previous_end, start, texts, order):
                between = [img for img in pictures if previous_end < order[img] < start]
                images = tuple(_image(img, base) for img in between[:MAX_IMAGES_BETWEEN])
            previous_end = order[_last_descendant(elem)]
        inline = markdown if markdown.startswith("\\[") else escape_start(markdown)
        out[i] = replace(role or Role(), markdown=inline, images=images)
    return tuple(out)


def _next_to(elem, previous_end: int, start: int, texts: Sequence[int], order: dict) -> bool:
    """No text of the page stands between the previous line's element (which ends at
    ``previous_end``) and ``elem`` (at ``start``) but that of ``elem``'s own containers:
    what lies between them is the article's (a figure), not the page's other parts."""
    if start <= previous_end:
        return False
    lo, hi = bisect.bisect_right(texts, previous_end), bisect.bisect_left(texts, start)
    if lo >= hi:
        return True
    containers = {order[a] for a in elem.iterancestors()}
    return all(pos in containers for pos in texts[lo:hi])


def _words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text))


def _base_url(tree, url: str | None) -> str:
    for base in tree.iter("base"):
        href = base.get("href")
        if href:
            return urljoin(url or "", href)
    return url or ""


def _plain_text(elem) -> str:
    """An element's text, without its nested lists and tables (lines of their own)."""
    return _inline(elem, "", ExtractOptions())[1]


def _inline(elem, base: str, options: ExtractOptions) -> tuple[str, str]:
    """The element's content as inline Markdown (links and images as ``options`` ask) and
    as plain text, white space folded; nested lists and tables left out."""
    md: list[str] = []
    plain: list[str] = []

    def text(value: str | None) -> None:
        if value:
            md.append(_escape_inline(value))
            plain.append(value)

    def walk(node, in_link: bool) -> None:
        text(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in _SKIPPED and not (tag in _NESTED_BLOCKS and child is not elem):
                href = child.get("href") if tag == "a" else None
                if href and options.links and not in_link and not href.lower().startswith(("javascript:", "mailto:")):
                    inner_md, inner_plain = _inline(child, base, replace(options, links=False))
                    label = " ".join(inner_plain.split())
                    if label:
                        # white space at the ends of a link's text stays outside its brackets
                        before = " " if inner_plain[:1].isspace() else ""
                        after = " " if inner_plain[-1:].isspace() else ""
                        md.append(f"{before}[{_escape_label(label)}]({_target(urljoin(base, href))}){after}")
                        plain.append(inner_plain)
                    else:
                        md.append(inner_md)  # an image that is a link: the image
                elif tag == "img":
                    if options.images and _shown(child):
                        md.append(_image(child, base))
                elif tag == "br":
                    text(" ")
                else:
                    walk(child, in_link)
            text(child.tail)

    walk(elem, False)
    return " ".join("".join(md).split()), " ".join("".join(plain).split())


def _escape_inline(text: str) -> str:
    """Brackets escaped, so that a page's text makes no link by accident."""
    return text.replace("[", "\\[").replace("]", "\\]")


def _escape_label(text: str) -> str:
    return _escape_inline(text)


def _target(url: str) -> str:
    """A link's destination, in angle brackets when it holds what would end it."""
    if any(c in url for c in " <>()"):
        return "<" + url.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>") + ">"
    return url


def _src(img) -> str:
    for name in ("src", "data-src", "data-lazy-src", "data-original"):
        value = (img.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return ""


def _shown(img) -> bool:
    """An image worth showing: it has a source, and is not a pixel or an icon."""
    if not _src(img):
        return False
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_IMAGE_PIXELS:
            return False
    return True


def _image(img, base: str) -> str:
    alt = " ".join((img.get("alt") or img.get("title") or "").split())
    return f"![{_escape_label(alt)}]({_target(urljoin(base, _src(img)))})"


def _last_descendant(elem):
    """The element's last descendant in page order (itself when it has none)."""
    return collections.deque(elem.iter(), maxlen=1)[0]
