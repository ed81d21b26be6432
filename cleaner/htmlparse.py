"""Parsing a page's HTML into the tree the HTML hooks share (``lxml.html``).

libxml2 stops at its limits (nesting depth, huge text nodes) and drops the rest of the
page silently; :func:`parse` notices (see :mod:`cleaner.htmldepth`) and parses again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cleaner import htmldepth
from cleaner.errors import ConfigError

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["parse"]


def parse(html: str) -> HtmlElement | None:
    """The page as an ``lxml.html`` tree (comments and processing instructions left out,
    as trafilatura parses it), or None when there is nothing to parse."""
    try:
        import lxml.html
        from lxml.etree import ParserError
    except ImportError as exc:  # pragma: no cover - lxml comes with trafilatura
        raise ConfigError(f"HTML needs lxml: {exc}") from None
    if not html.strip():
        return None
    tree = None
    for huge in (False, True):
        parser = lxml.html.HTMLParser(
            collect_ids=False,
            default_doctype=False,
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            huge_tree=huge,
        )
        try:
            try:
                tree = lxml.html.document_fromstring(html, parser=parser)
            except ValueError:  # a str with an encoding declaration: lxml wants bytes then
                tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
        except (ParserError, ValueError):
            return None
        # past its limits libxml2 drops the rest of the page: parse again (see cleaner.htmldepth)
        limit = htmldepth.limit_hit(parser)
        if limit is None or huge:
            return tree
        if limit == "depth":
            html = htmldepth.flatten(html)
    return tree
