"""mainregion: the part of an HTML page that its markup marks as the main one, as text.

A page marks its parts: ``<main>`` (or ``role="main"``) holds what the page is about;
``<header>``, ``<nav>``, ``<footer>``, ``<aside>``, form controls and hidden elements hold
the site around it. On a page that is no article (a listing, a shop's category or
product, a forum thread, a service's landing page) there is often no single block of
prose, and an extractor that looks for one keeps only a part of the content; there the
main region, without its chrome, is the better reading of the page (plugins/html.py
decides when). Not a plugin: a helper of the html plugin.
"""

from __future__ import annotations

import re

from lxml import etree

# An element of the region's chrome (<header>, <nav>, <aside>...) holding more than this
# share of the region's text stays: that is an unclosed tag swallowing the page, not chrome.
REGION_CHROME_MAX_SHARE = 0.9

_MAIN = etree.XPath("//main | //*[@role='main']")
# The site around the content, and what shows no text: banners, menus, footers, asides,
# form controls (not <form> itself: some sites wrap the whole page in one).
_CHROME_TAGS = ("header", "nav", "footer", "aside", "button", "select", "input", "textarea", "noscript", "template", "svg")
# Of those, the ones that are the site's rather than the page's (removed before extraction).
_SITE_CHROME_TAGS = ("nav", "aside", "footer")
# ... and elements marked as such, or hidden (hidden by style: left to the layout, below).
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo"})
_MARKED = etree.XPath(".//*[@role or @aria-hidden or @hidden]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# How elements lay out as text: a block starts a new line, one with margins (a paragraph,
# a heading, a list, a table) stands between blank lines; what nobody reads is skipped.
_BLOCKS = frozenset(
    """address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol option p pre section summary table
    tbody tfoot thead tr ul""".split()
)
_MARGINS = frozenset("blockquote dl figure h1 h2 h3 h4 h5 h6 hr ol p pre table ul".split())
_CELLS = frozenset({"td", "th"})
_UNREAD = frozenset({"script", "style", "template", "head", "title"})
_BLANK = "\n\0\n"  # a blank line, kept apart from the line breaks in the page's own text
_SPACE = re.compile(r"\s+")


def main_region(tree):
    """The page's main region: its first ``<main>`` (or ``role="main"``) element, else its
    ``<body>``; None when it has neither."""
    found = _MAIN(tree)
    return found[0] if found else tree.find("body")


def strip_site_chrome(tree) -> None:
    """Remove the site's menus, asides and footers from the whole page, in place (the
    html plugin has removed the scripts but JSON-LD by then).

    trafilatura drops them from what it extracts anyway; removed first, they make it
    faster (it copies the tree several times), and its fallbacks (readability, jusText,
    its own baseline) do not see them either.
    """
    body = tree.find("body")
    if body is not None:
        # (one holding JSON-LD stays: the page's metadata is read from it after this)
        _drop(body, [elem for elem in body.iter(*_SITE_CHROME_TAGS) if elem.find(".//script") is None])


def strip_chrome(region) -> None:
    """Remove the region's chrome (see the module's doc), in place."""
    _drop(region, [*region.iter(*_CHROME_TAGS), *(elem for elem in _MARKED(region) if _marked_chrome(elem))])


def _drop(container, elems) -> None:
    """Remove the elements from the container, except any that holds more than
    REGION_CHROME_MAX_SHARE of its text: that is an unclosed tag that swallowed the rest of
    the page, not chrome."""
    if not elems:
        return
    limit = REGION_CHROME_MAX_SHARE * len(container.text_content())
    for elem in elems:
        # (an element can be listed twice: <nav role="navigation">)
        if elem is not container and elem.getparent() is not None and len(elem.text_content()) <= limit:
            elem.drop_tree()


def _marked_chrome(elem) -> bool:
    return elem.get("role") in _CHROME_ROLES or elem.get("aria-hidden") == "true" or elem.get("hidden") is not None


def text(elem) -> str:
    """The element's text as a browser lays it out: one block per line, blank lines around
    paragraphs, headings, lists and tables, ``* `` before list items.

    A light renderer (a third of inscriptis' time, which matters since it runs on many
    pages): no style sheets (but inline ``display: none``), tables row by row.
    """
    parts: list[str] = []
    pre = 0  # inside <pre>, line breaks are the page's own
    bullet = False

    def add(value: str | None) -> None:
        nonlocal bullet
        if not value:
            return
        if not pre:
            value = _SPACE.sub(" ", value)
        if bullet and value.strip():
            parts.append("* ")
            bullet = False
        parts.append(value)

    walk = etree.iterwalk(elem, events=("start", "end"))
    for event, node in walk:
        tag = node.tag
        if not isinstance(tag, str) or tag in _UNREAD or _hidden(node):  # (not a str: a comment)
            if event == "start":
                walk.skip_subtree()
            elif node is not elem:
                add(node.tail)
            continue
        if event == "start":
            parts.append(_BLANK if tag in _MARGINS else "\n" if tag in _BLOCKS else " " if tag in _CELLS else "")
            pre += tag == "pre"
            bullet = bullet or tag == "li"
            add(node.text)
        else:
            pre -= tag == "pre"
            parts.append(_BLANK if tag in _MARGINS else "\n" if tag in _BLOCKS else " " if tag in _CELLS else "")
            if node is not elem:
                add(node.tail)
    return _lines("".join(parts))


def _hidden(node) -> bool:
    style = node.get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


def _lines(raw: str) -> str:
    """One block per line, spaces collapsed, at most one blank line in a row, none at the ends."""
    lines: list[str] = []
    blank = False
    for line in raw.split("\n"):
        if line.strip() == "\0":
            blank = True
            continue
        line = " ".join(line.replace("\0", "").split())
        if line:
            if blank and lines:
                lines.append("")
            lines.append(line)
            blank = False
    return "\n".join(lines)
