"""html: a page's main text and metadata from its HTML, by trafilatura, for the text stages.

Read top to bottom, as the engine calls it:

* prune: scripts and style sheets go before extraction (nobody reads them; trafilatura
  copies the tree several times, and a smaller tree makes it faster);
* extract: trafilatura's main text with its default options (comments off, tables on,
  balanced: on the benchmark the other options score lower, see BENCHMARKS.md "HTML
  mode"); the later parts of an article body split into containers of one class (around
  ad slots), which trafilatura tends to stop before; the headline put first when the
  main text does not start with it; title, author, date, site name and language from
  the page's head and JSON-LD. When the main text is missing or mere scraps (fewer than
  MIN_MAIN_WORDS words: a menu, a cookie notice), the page's whole visible text is
  rendered instead (inscriptis) and the engine cleans it as text;
* judge: trafilatura's choice is already clean, and there a generic hint is wrong more
  often than right (measured per detector: together the hints cost more recall than
  they buy precision). So from the first paragraph on, this plugin votes to keep every
  line at hint strength, and keeps context from dropping lines: a rule (an
  ``Advertisement`` label, a copyright line, a site plugin's rule) still drops a line, a
  hint (a menu-like line, a duplicate, context) does not. Above the first paragraph,
  where a byline, a date or a reading time often sits, the hints stand.
"""

from __future__ import annotations

import copy
import logging
import re
import unicodedata
from typing import Any

import lxml.html
from lxml import etree

from cleaner import Document, Kind, Verdict, hookimpl
from cleaner_plugins.textstats import is_prose, label_key

# trafilatura's options: its defaults, which score best on the benchmark.
INCLUDE_COMMENTS = False
INCLUDE_TABLES = True
FAVOR_PRECISION = False
FAVOR_RECALL = False
# A main text of fewer words is scraps (a menu, a cookie notice), not an article: the
# page's full text is cleaned instead (on the benchmark, that is better on most such pages).
MIN_MAIN_WORDS = 50
# ... provided the full text has this many times as many words (else the page is that short).
FULLTEXT_MIN_GAIN = 2
_WORD = re.compile(r"\w+")
# The headline is looked for among this many first lines of the main text.
HEADLINE_LOOKAHEAD = 5
# A line that is the start of the title counts as the headline if it has this many characters.
HEADLINE_PREFIX_MIN_CHARS = 20
# What separates a title from the site's name: "Headline | Site", "Headline - Site".
_TITLE_PARTS = re.compile(r"\s+[|\-–—·•»:]+\s+")
_KEEP_REASON = "in the main text the extractor chose"
# A line whose length differs from the title's by this many characters is no copy of it.
_COPY_SLACK = 8
# An article body split into containers of one class: each part has this many paragraphs...
SPLIT_BODY_MIN_PARAGRAPHS = 2
# ... of this many characters together.
SPLIT_BODY_MIN_CHARS = 200
_SPLIT_BODY_CANDIDATES = etree.XPath(
    " | ".join(f"//{tag}[@class][count(p) >= {SPLIT_BODY_MIN_PARAGRAPHS}]" for tag in ("div", "section", "article"))
)
_NOT_BODY = re.compile(r"comment|quote", re.I)
_UNREAD = etree.XPath("//script[not(@type='application/ld+json')] | //style")
_TEXT_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})


def _quiet() -> None:
    # trafilatura logs each page it finds nothing in at WARNING, which Python prints to
    # stderr when the application set up no logging; the notes say it instead.
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# -- extraction ------------------------------------------------------------------------


@hookimpl(trylast=True)
def cleaner_prune_html(tree, url: str | None, site: str | None) -> None:
    """Remove the scripts (JSON-LD aside) and style sheets: no extractor reads them, and a
    smaller tree makes trafilatura, which copies the tree several times, faster."""
    for elem in _UNREAD(tree):
        elem.drop_tree()


@hookimpl(trylast=True)
def cleaner_extract_html(tree, html: str, url: str | None) -> dict[str, Any]:
    return extraction(tree, main_text(tree, url), page_metadata(tree, url))


def main_text(tree, url: str | None) -> str:
    """trafilatura's main text of the page, one block per line ("" when it finds none)."""
    import trafilatura

    _quiet()
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=INCLUDE_COMMENTS,
        include_tables=INCLUDE_TABLES,
        favor_precision=FAVOR_PRECISION,
        favor_recall=FAVOR_RECALL,
    )
    return unicodedata.normalize("NFC", document.text or "") if document is not None else ""


def extraction(tree, text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """What the hook returns: the main text completed (split body, headline) and the
    metadata; or, when the main text is missing or mere scraps, the page's full text."""
    words = len(_WORD.findall(text))
    if words < MIN_MAIN_WORDS:
        full = fulltext(tree)
        if not words or len(_WORD.findall(full)) >= words * FULLTEXT_MIN_GAIN:
            return {**metadata, "text": "", "fulltext": full}
    rest = split_body_rest(tree, text)
    if rest:
        text = "\n".join([text, *rest])
    return {**metadata, "text": with_headline(text, metadata.get("title"))}


def with_headline(text: str, title: str | None) -> str:
    """The main text, with the page's title put first when none of its first lines is the title."""
    if title and headline_index(text.split("\n"), title) is None:
        return f"{title}\n\n{text}"
    return text


def split_body_rest(tree, text: str) -> list[str]:
    """The lines of an article body's later parts, when the body is split into several
    containers of one class (around ad slots) and the extractor took only some of them.

    A part is a container of that class with at least SPLIT_BODY_MIN_PARAGRAPHS paragraphs
    of SPLIT_BODY_MIN_CHARS characters together; a part the extractor took has one of its
    paragraphs in the main text. The parts after the first one taken are added, in order.
    Comment containers are left out (comments are off), and quotes (a quote repeats a post).
    """
    groups: dict[tuple[str, str], list[tuple[Any, list[str]]]] = {}
    for elem in _SPLIT_BODY_CANDIDATES(tree):
        cls = elem.get("class", "")
        if _NOT_BODY.search(cls):
            continue
        paragraphs = [t for t in (_flat(p.text_content()) for p in elem.iterchildren("p")) if t]
        if len(paragraphs) >= SPLIT_BODY_MIN_PARAGRAPHS and sum(map(len, paragraphs)) >= SPLIT_BODY_MIN_CHARS:
            groups.setdefault((elem.tag, cls), []).append((elem, paragraphs))
    flat = None
    lines: list[str] = []
    for parts in groups.values():
        if len(parts) < 2:
            continue
        flat = flat if flat is not None else _flat(text)
        taken = [any(p in flat for p in paragraphs) for _elem, paragraphs in parts]
        if not any(taken):
            continue
        for (elem, _paragraphs), was_taken in list(zip(parts, taken))[taken.index(True) + 1 :]:
            if not was_taken:
                lines.extend(_block_lines(elem))
    return lines


def _block_lines(elem) -> list[str]:
    """The text of a container's paragraphs, headings, quotes and list items, one per line.

    A list item that is nothing but a link is left out: a list of links in the body is
    a list of other articles.
    """
    lines = []
    for child in elem:
        if child.tag in ("ul", "ol"):
            for item in child.iter("li"):
                text = _flat(item.text_content())
                links = "".join(_flat(a.text_content()) for a in item.iter("a"))
                if text and links.replace(" ", "") != text.replace(" ", ""):
                    lines.append(f"- {text}")
        elif child.tag in _TEXT_BLOCKS and (text := _flat(child.text_content())):
            lines.append(text)
    return lines


def _flat(text: str) -> str:
    return " ".join(text.split())


def page_metadata(tree, url: str | None) -> dict[str, Any]:
    """Title, author, date, site name and language from the page's head and JSON-LD."""
    from trafilatura import metadata as meta

    found = meta.examine_meta(tree)
    try:
        found = meta.extract_meta_json(tree, found)
    except Exception:  # noqa: BLE001 - malformed JSON-LD is the page's fault; the rest stands
        pass
    title = found.title or meta.extract_title(tree)
    sitename = found.sitename or meta.extract_sitename(tree)
    return {
        "title": _tidy(title),
        "author": _tidy(found.author),
        "date": page_date(tree, url),
        "sitename": _tidy(sitename),
        "language": page_language(tree),
    }


def page_date(tree, url: str | None) -> str | None:
    """The publication date the URL or the page's head gives (htmldate on the head alone:
    searching the whole page costs as much as the extraction itself)."""
    from htmldate import find_date

    head = tree.find("head")
    if head is None:
        return None
    page = lxml.html.Element("html")
    small_head = etree.SubElement(page, "head")
    for elem in head:
        if elem.tag in ("meta", "link", "title") or (elem.tag == "script" and elem.get("type") == "application/ld+json"):
            small_head.append(copy.copy(elem))
    try:
        return find_date(page, extensive_search=False, original_date=True, url=url)
    except Exception:  # noqa: BLE001 - a date is a nicety; a malformed one is the page's fault
        return None


def page_language(tree) -> str | None:
    """The language the page declares (``<html lang>``, or a content-language meta tag)."""
    lang = tree.get("lang") or tree.get("xml:lang")
    if not lang:
        for elem in tree.iterfind(".//head/meta[@http-equiv]"):
            if elem.get("http-equiv", "").lower() == "content-language":
                lang = elem.get("content")
                break
    lang = (lang or "").strip().split(",")[0].strip()
    return lang or None


def fulltext(tree) -> str:
    """The page's visible text, one block per line, as a browser lays it out (inscriptis)."""
    from inscriptis import Inscriptis

    return Inscriptis(tree).get_text()


def headline_index(lines, title: str) -> int | None:
    """The index of the line among the first non-blank ones that is the page's title."""
    title_key = label_key(title)
    parts = [label_key(p) for p in _TITLE_PARTS.split(title)]
    wanted = {title_key, parts[0]} - {""}
    seen = 0
    for i, line in enumerate(lines):
        key = label_key(line)
        if not key:
            continue
        if key in wanted or (len(key) >= HEADLINE_PREFIX_MIN_CHARS and title_key.startswith(key)):
            return i
        seen += 1
        if seen >= HEADLINE_LOOKAHEAD:
            break
    return None


def _tidy(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


# -- judging the extracted main text ---------------------------------------------------


def _extracted(doc: Document) -> bool:
    return doc.kind is Kind.HTML


def _layout(doc: Document) -> tuple[int | None, int]:
    """The headline's index (or None), and the index of the first block of prose (the
    article's start; the number of blocks when none is prose)."""
    title = doc.metadata.get("title")
    headline = headline_index([b.text for b in doc.blocks], title) if title else None
    start = next((b.index for b in doc.blocks if is_prose(b.text)), len(doc.blocks))
    return headline, start


@hookimpl
def cleaner_judge(doc: Document):
    """Keep the headline and every line from the first paragraph on, at hint strength.

    Above the first paragraph the extractor often keeps a byline, a date or a reading
    time: there the other detectors' hints stand.
    """
    if not _extracted(doc):
        return None
    headline, start = _layout(doc)
    return [Verdict.keeping(b.index, _KEEP_REASON) for b in doc.blocks if b.index >= start or b.index == headline]


@hookimpl
def cleaner_revise(doc: Document, decisions):
    """Keep, against context, every line the first pass kept and every line from the first
    paragraph on; but not a second copy of the headline (the duplicate rule drops it)."""
    if not _extracted(doc):
        return None
    headline, start = _layout(doc)
    title = doc.metadata.get("title")
    title_key = label_key(title) if title else ""

    def a_title_copy(i: int, text: str) -> bool:
        return bool(title_key) and i != headline and abs(len(text) - len(title_key)) < _COPY_SLACK and label_key(text) == title_key

    return [
        Verdict.keeping(d.block.index, _KEEP_REASON)
        for d in decisions
        if (d.block.index >= start or d.keep) and not a_title_copy(d.block.index, d.block.text)
    ]


@hookimpl(tryfirst=True)
def cleaner_title(doc: Document, decisions):
    """On extracted main text the headline is the line that is the page's title."""
    title = doc.metadata.get("title")
    if not _extracted(doc) or not title:
        return None
    kept = [d for d in decisions if d.keep]
    found = headline_index([d.block.text for d in kept], title)
    return kept[found].block.index if found is not None else None
