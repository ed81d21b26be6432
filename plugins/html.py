"""html: a page's main text and metadata from its HTML, by trafilatura, for the text stages.

Read top to bottom, as the engine calls it:

* prune: scripts and style sheets go before extraction (nobody reads them; trafilatura
  copies the tree several times, and a smaller tree makes it faster);
* extract: trafilatura's main text (of the page without the site's menus, asides and
  footers, which it drops anyway) with its default options (comments off, tables on,
  balanced: on the benchmark the other options score lower, see BENCHMARKS.md "HTML
  mode"); the later parts of an article body split into containers of one class (around
  ad slots), which trafilatura tends to stop before; the headline put first when the
  main text does not start with it; a list of links after the last paragraph cut off;
  title, author, date, site name and declared language from the page's head and JSON-LD. The
  engine cleans the page's main region as text instead (mainregion: ``<main>`` or the
  body, without menus, banners, footers, asides, form controls and hidden elements) when
  the main text is mere scraps (fewer than MIN_MAIN_WORDS words: a menu, a cookie
  notice) and the region is not just as short, or when the region, cleaned, holds clearly
  more (a listing, a shop, a forum thread, of which trafilatura keeps a part; on a page
  that declares itself an article or a product, only when the main text is short);
* judge: trafilatura's choice is already clean, and there a generic hint is wrong more
  often than right (measured per detector: together the hints cost more recall than
  they buy precision). So from the first paragraph on, this plugin votes to keep every
  line at hint strength, and keeps context from dropping lines: a rule (an
  ``Advertisement`` label, a copyright line, a site plugin's rule) still drops a line, a
  hint (a menu-like line, a duplicate, context) does not, except on a passage the page
  repeats. Above the first paragraph, where a byline, a date or a reading time often
  sits, the hints stand.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
import unicodedata
from typing import Any

import lxml.html
from lxml import etree

from cleaner import Document, Kind, Verdict, hookimpl
from cleaner.model import Extraction, ExtractOptions
from cleaner.textstats import is_prose, label_key
from cleaner_plugins import mainregion, structure

# A main text of fewer words is scraps (a menu, a cookie notice), not an article: the
# page's main region is cleaned as text instead (unless the region holds no more: then
# the page is that short).
MIN_MAIN_WORDS = 50
# A page with more characters of text than this (scripts and style sheets aside) is
# cleaned from its main region as text, without trafilatura: its copies of the tree
# (four to six per page) cost some 40-60 bytes of memory per byte of HTML. No article
# comes near: the most text among the 1,437 development pages is 0.41 million characters.
HUGE_PAGE_CHARS = 1_000_000
# A page is cleaned from its main region (<main> without its header, menus, footer and
# asides) when that region, cleaned as text, has at least this many times the words of
# the extractor's main text: the extractor, which looks for one block of prose, kept only
# a part of a listing, a shop, a forum thread, a service's page.
REGION_MIN_GAIN = 1.2
# A page that declares itself one article or one product (og:type) is about one thing,
# which the extractor finds, and its region adds comments, reviews and other products; it
# is cleaned from its region only when the main text has fewer words than this...
SHORT_ARTICLE_WORDS = 300
# ... and the region, cleaned, this many times its words: a listing or a thread that
# calls itself an article.
REGION_MIN_GAIN_SHORT_ARTICLE = 3
# On extracted text, a second copy of a line of at least this many words, next to another
# copy, is dropped: a passage shown twice (a page's mobile and desktop copies).
COPY_MIN_WORDS = 15
# Lines after the main text's last paragraph that are each mostly (this share of their
# characters) the text of a page's links...
TRAILING_LINK_SHARE = 0.6
# ... at least this many of them...
TRAILING_LINKS_MIN_LINES = 3
# ... with at most this share of the words above them, are a list of other articles.
TRAILING_LINKS_MAX_SHARE = 0.5
# The headline is looked for among this many first lines of the main text.
HEADLINE_LOOKAHEAD = 5
# A line that is the start of the title counts as the headline if it has this many characters.
HEADLINE_PREFIX_MIN_CHARS = 20
# An article body split into containers of one class: each part has this many paragraphs...
SPLIT_BODY_MIN_PARAGRAPHS = 2
# ... of this many characters together.
SPLIT_BODY_MIN_CHARS = 200

# trafilatura's options: its defaults, which score best on the benchmark.
INCLUDE_COMMENTS = False
INCLUDE_TABLES = True
FAVOR_PRECISION = False
FAVOR_RECALL = False
_WORD = re.compile(r"\w+")
# What separates a title from the site's name: "Headline | Site", "Headline - Site".
_TITLE_PARTS = re.compile(r"\s+[|\-–—·•»:]+\s+")
_KEEP_REASON = "in the main text the extractor chose"
# A line whose length differs from the title's by this many characters is no copy of it.
_COPY_SLACK = 8
# Pages that declare themselves one thing (og:type), not a collection of things.
_SINGLE_ITEM_TYPES = frozenset({"article", "product"})
# A link text this short ("Home", "More") says nothing about the line it is found in.
_MIN_LINK_CHARS = 8
# Lines that may follow a list of links at the end of the main text (a copyright line).
_TRAILING_OTHER_LINES = 2
_SPLIT_BODY_CANDIDATES = etree.XPath(
    " | ".join(f"//{tag}[@class][count(p) >= {SPLIT_BODY_MIN_PARAGRAPHS}]" for tag in ("div", "section", "article"))
)
_NOT_BODY = re.compile(r"comment|quote", re.I)
_UNREAD = etree.XPath("//script[not(@type='application/ld+json')] | //style")
_OG_TYPE = etree.XPath("//meta[@property='og:type']")
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
    _strip_control_characters(tree)
    for elem in _UNREAD(tree):
        elem.drop_tree()


# The control characters XML forbids (tab, newline and CR are allowed): lxml's HTML parser lets
# them through, but refuses to set a text that holds one (drop_tree does, and so does trafilatura).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ALL_TEXT = etree.XPath("string()")


def _strip_control_characters(tree) -> None:
    """Take the control characters XML forbids out of the tree's texts (one scan in C first:
    pages almost never hold one)."""
    if not _NOT_XML.search(_ALL_TEXT(tree)):
        return
    for elem in tree.iter():
        if elem.text and _NOT_XML.search(elem.text):
            elem.text = _NOT_XML.sub("", elem.text)
        if elem.tail and _NOT_XML.search(elem.tail):
            elem.tail = _NOT_XML.sub("", elem.tail)


@hookimpl(trylast=True)
def cleaner_extract_html(tree, html: str, url: str | None, options: ExtractOptions) -> Extraction:
    # the text is never longer than the HTML: most pages need no walk through the tree
    if len(html) > HUGE_PAGE_CHARS and _text_over(tree, HUGE_PAGE_CHARS):
        note = (
            f"the page has over {HUGE_PAGE_CHARS:,} characters of text: its main region was cleaned as text, "
            "without trafilatura (whose copies of the tree would take some fifty times the page's size in memory)"
        )
        return _region_instead(page_metadata(tree, url), region_text(tree), note)
    text, body = main_extraction(tree, url)
    return extraction(tree, text, page_metadata(tree, url), url, body=body, options=options)


def _text_over(tree, limit: int) -> bool:
    """The page's text (scripts and style sheets pruned by then) is longer than ``limit``."""
    total = 0
    for piece in tree.itertext():
        total += len(piece)
        if total > limit:
            return True
    return False


def main_text(tree, url: str | None) -> str:
    """trafilatura's main text of the page, one block per line ("" when it finds none).

    The site's menus, asides and footers are removed from the tree first
    (mainregion.strip_site_chrome): trafilatura drops them anyway, and a smaller tree
    makes it faster.
    """
    return main_extraction(tree, url)[0]


def main_extraction(tree, url: str | None) -> tuple[str, Any]:
    """:func:`main_text`, and trafilatura's output tree it was written from (its structure:
    headings, lists, tables...), or None when it found nothing."""
    import trafilatura

    mainregion.strip_site_chrome(tree)
    _quiet()
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=INCLUDE_COMMENTS,
        include_tables=INCLUDE_TABLES,
        favor_precision=FAVOR_PRECISION,
        favor_recall=FAVOR_RECALL,
    )
    if document is None:
        return "", None
    text = document.text  # type: ignore[union-attr]  # as_dict is False (the default): a Document, not a dict
    return unicodedata.normalize("NFC", text or ""), document.body  # type: ignore[union-attr]


def extraction(
    tree,
    text: str,
    metadata: dict[str, Any],
    url: str | None = None,
    *,
    body: Any = None,
    options: ExtractOptions | None = None,
) -> Extraction:
    """What the hook returns: the main text completed (split body, headline, no trailing
    links), its lines' roles (read off trafilatura's output tree ``body``: plugins/structure.py;
    with their links and images as ``options`` ask) and the metadata; or, for the engine to
    clean as page text instead, the page's
    main region: when the main text is mere scraps (fewer than MIN_MAIN_WORDS words) and
    the region is empty (only the site's chrome has text) or holds REGION_MIN_GAIN times as
    many words, or when the region holds clearly more content (richer_region). Consumes
    the tree: the region's chrome is removed from it."""
    words = len(_WORD.findall(text))
    if words < MIN_MAIN_WORDS:
        region = region_text(tree)
        region_words = len(_WORD.findall(region))
        # a region of about the main text's words: the page is that short, and that is it
        if not region_words or region_words >= words * REGION_MIN_GAIN:
            found = f"found fewer than {MIN_MAIN_WORDS} words of main text" if words else "found no main text"
            note = f"trafilatura {found}; the page's main region was cleaned as text instead"
            return _region_instead(metadata, region, note)
    rest = split_body_rest(tree, text)
    if rest:
        text = "\n".join([text, *rest])
    text = without_trailing_links(tree, with_headline(text, metadata.get("title")))
    words = len(_WORD.findall(text))
    richer = richer_region(tree, words, url)
    if richer is not None:
        note = (
            f"the page's main region holds more content than trafilatura's main text ({words} words); "
            "it was cleaned as text instead"
        )
        return _region_instead(metadata, richer, note)
    lines = text.splitlines()
    roles = structure.roles(body, lines)
    if options is not None and (options.links or options.images):
        roles = structure.with_links(tree, lines, roles, url, options)
    return _extraction(metadata, text=text, roles=roles)


def _extraction(metadata: dict[str, Any], **fields: Any) -> Extraction:
    """An :class:`Extraction` of ``metadata`` (its title apart) and ``fields``."""
    rest = {k: v for k, v in metadata.items() if k != "title"}
    return Extraction(title=metadata.get("title"), metadata=rest, **fields)


def _region_instead(metadata: dict[str, Any], region: str, note: str) -> Extraction:
    """The hook's answer when the page's main region is to be cleaned as text, and why."""
    return _extraction(metadata, fulltext=region, note=note)


def region_text(tree) -> str:
    """The page's main region without its chrome (mainregion), as text ("" when the page
    has no body)."""
    region = mainregion.main_region(tree)
    if region is None:
        return ""
    mainregion.strip_chrome(region)
    return mainregion.text(region)


def richer_region(tree, words: int, url: str | None) -> str | None:
    """The page's main region as text, when, cleaned as text, it has REGION_MIN_GAIN times
    the main text's words. A page that declares itself one article or one product
    (og:type) is about one thing, which the extractor finds, and its region adds comments,
    reviews and other products: there the main text must also be short (fewer than
    SHORT_ARTICLE_WORDS words) and the region hold REGION_MIN_GAIN_SHORT_ARTICLE times as
    much (a listing or a thread that calls itself an article).

    An extractor looks for one block of prose; on a listing, a shop, a forum thread or a
    service's page it keeps only a part of what the page shows. The region holds menus
    and lists of links that do not count, so it is measured once cleaned by the built-in
    text stages; its word count before that bounds the result, and most pages stop there.
    """
    if declared_type(tree) not in _SINGLE_ITEM_TYPES:
        needed = words * REGION_MIN_GAIN
    elif words < SHORT_ARTICLE_WORDS:
        needed = words * REGION_MIN_GAIN_SHORT_ARTICLE
    else:
        return None
    region = mainregion.main_region(tree)
    if region is None or len(_WORD.findall(region.text_content())) < needed:
        return None
    mainregion.strip_chrome(region)
    text = mainregion.text(region)
    if len(_WORD.findall(text)) < needed or content_words(text, url) < needed:
        return None
    return text


def declared_type(tree) -> str:
    """The type the page declares for itself (Open Graph ``og:type``: article, website,
    product...), lower-cased; "" when it declares none. Looked for in the whole page: a
    stray element in the head makes the parser put the rest of the head in the body."""
    for elem in _OG_TYPE(tree):
        return (elem.get("content") or "").strip().lower()
    return ""


def content_words(text: str, url: str | None) -> int:
    """The words of ``text`` that the built-in text stages keep as the article."""
    return len(_WORD.findall(_text_cleaner().clean(text, kind="text", url=url).body))


@functools.lru_cache(maxsize=1)
def _text_cleaner():
    # a Cleaner inside a plugin (cleaner.timelimit allows for it), built once per process
    # with the built-in rules only (no judge): a measuring instrument; the page itself is then
    # cleaned by the caller's engine
    from cleaner import Cleaner

    return Cleaner(autoload=False, disable=["judge"])


def without_trailing_links(tree, text: str) -> str:
    """The main text without a list of other articles that the extractor took for the
    article's end: after the last paragraph, at least TRAILING_LINKS_MIN_LINES lines, each
    mostly (TRAILING_LINK_SHARE of its characters) the text of the page's links, and
    together at most TRAILING_LINKS_MAX_SHARE of the words above them. A line or two that
    are neither (a copyright line) may follow the list; they stay, for the text stages."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) <= TRAILING_LINKS_MIN_LINES:
        return text
    links = {key for a in tree.iter("a") if len(key := _link_key(a.text_content())) >= _MIN_LINK_CHARS}

    def linked(n: int) -> bool:
        key = _link_key(lines[filled[n]])
        return sum(len(link) for link in links if link in key) >= TRAILING_LINK_SHARE * len(key)

    last = len(filled) - 1
    while last > len(filled) - 1 - _TRAILING_OTHER_LINES and not is_prose(lines[filled[last]]) and not linked(last):
        last -= 1
    first = last + 1  # the list is filled[first:last + 1]; the paragraph above it, filled[first - 1]
    while first > 0 and linked(first - 1):
        first -= 1
    if last - first + 1 < TRAILING_LINKS_MIN_LINES or first == 0 or not is_prose(lines[filled[first - 1]]):
        return text
    start, end = filled[first], filled[last] + 1
    words_above = len(_WORD.findall("\n".join(lines[:start])))
    if len(_WORD.findall("\n".join(lines[start:end]))) > TRAILING_LINKS_MAX_SHARE * words_above:
        return text
    return "\n".join(lines[:start] + lines[end:])


def _link_key(text: str) -> str:
    return " ".join(text.casefold().split())


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
        for (elem, _paragraphs), was_taken in list(zip(parts, taken, strict=False))[taken.index(True) + 1 :]:
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
    """Title, author, date, site name and declared language from the page's head and JSON-LD."""
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
        # what the page says of itself; metadata["language"] is identified on the cleaned
        # text (plugin language): templates declare "en" on pages in any language
        "declared_language": page_language(tree),
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
    start = next((b.index for b, prose in zip(doc.blocks, doc.view.prose, strict=False) if prose), len(doc.blocks))
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
    paragraph on; but not a second copy of the headline, nor of a repeated passage
    (long_copies): the duplicate rule drops them."""
    if not _extracted(doc):
        return None
    headline, start = _layout(doc)
    title = doc.metadata.get("title")
    title_key = label_key(title) if title else ""
    copies = long_copies(doc)

    def a_title_copy(i: int, text: str) -> bool:
        return (
            bool(title_key) and i != headline and abs(len(text) - len(title_key)) < _COPY_SLACK and label_key(text) == title_key
        )

    return [
        Verdict.keeping(d.block.index, _KEEP_REASON)
        for d in decisions
        if (d.block.index >= start or d.keep) and d.block.index not in copies and not a_title_copy(d.block.index, d.block.text)
    ]


def long_copies(doc: Document) -> set[int]:
    """The blocks of a passage that repeats an earlier one: copies of COPY_MIN_WORDS words
    or more next to another copy (a page's mobile and desktop versions, a tab shown
    twice). A lone copy can repeat for a reason (an interview's question to each guest)."""
    seen: set[str] = set()
    repeats: set[int] = set()
    for b in doc.blocks:
        key = b.text.casefold()
        if doc.counts.get(key, 1) > 1:
            if key in seen:
                repeats.add(b.index)
            seen.add(key)
    return {i for i in repeats if (i - 1 in repeats or i + 1 in repeats) and doc.view.stats[i].words >= COPY_MIN_WORDS}


@hookimpl(tryfirst=True)
def cleaner_title(doc: Document, decisions):
    """On extracted main text the headline is the line that is the page's title."""
    title = doc.metadata.get("title")
    if not _extracted(doc) or not title:
        return None
    kept = [d for d in decisions if d.keep]
    found = headline_index([d.block.text for d in kept], title)
    return kept[found].block.index if found is not None else None
