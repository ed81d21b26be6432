"""The stages of cleaning, one hook each, in the order the engine runs them.

A hook's docstring is its contract. Implement a hook in a plugin module or class with
``@cleaner.hookimpl``; the engine fixes the order of the stages, whatever the order in
which plugins were registered.

Stages, by phase:

* **load**: ``cleaner_decode`` (bytes to str), ``cleaner_sniff`` (text or HTML);
* **html** (HTML only): ``cleaner_prune_html``, ``cleaner_extract_html``;
* **segment**: ``cleaner_normalize``, ``cleaner_segment``;
* **identify**: ``cleaner_claim`` (which site plugin the page belongs to);
* **judge**: ``cleaner_judge`` (verdicts per block, every plugin);
* **revise**: ``cleaner_revise`` (verdicts revised with context);
* **weigh**: ``cleaner_weigh`` (a judge that weighs all the evidence: the learned model);
* **assemble**: ``cleaner_title``, ``cleaner_metadata``.

Judging hooks never mutate what they are given (it is immutable anyway): they return
:class:`~cleaner.model.Verdict` objects, and the engine applies them.

The engine calls the implementations itself, not through pluggy's hook caller, in
pluggy's order (the last registered first; ``tryfirst`` and ``trylast`` move one). A hook
marked "Stops at first non-None result" (``firstresult``) is answered by the first
implementation that returns something; every implementation of the others is called.
Wrappers (``wrapper=True``, ``hookwrapper=True``) are refused when a plugin registers:
a plugin returns a result, it does not wrap another's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from cleaner.model import Block, Decision, Document, Evidence, Extraction, ExtractOptions, Kind, Verdict

PROJECT = "cleaner"
hookspec = pluggy.HookspecMarker(PROJECT)


# -- load ---------------------------------------------------------------------------


@hookspec(firstresult=True)
def cleaner_decode(data: bytes) -> str | None:
    """Decode the raw bytes of a page into text.

    :param data: the bytes as read from a file, a record or a caller.
    :return: the decoded text, or None if this plugin cannot tell the encoding.
        Raise :class:`cleaner.InputError` for content that is not text at all
        (binary data, a compressed file).

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def cleaner_sniff(content: str, filename: str | None) -> Kind | None:
    """Tell whether the content is page text or HTML, when the caller did not say.

    :param content: the decoded content.
    :param filename: the file's name, when it came from a file.
    :return: ``Kind.TEXT`` or ``Kind.HTML``, or None to let another plugin decide
        (the engine treats undecided content as text).

    Stops at first non-None result.
    """


# -- html ---------------------------------------------------------------------------


@hookspec
def cleaner_prune_html(tree: HtmlElement, url: str | None, site: str | None) -> None:
    """Remove elements from a page's HTML tree before the main text is extracted.

    This is the one hook allowed to change what it is given: the tree is a private
    copy, parsed for this call chain only. A site plugin uses it to fix the extractor's
    mistakes at the source (drop a related-links box by CSS selector, say).

    :param tree: the parsed page (``lxml.html``), to prune in place.
    :param url: the page's URL, when known.
    :param site: the name of the site plugin that claimed the page by URL, or None.
    :return: nothing; every plugin is called.
    """


@hookspec(firstresult=True)
def cleaner_extract_html(tree: HtmlElement, html: str, url: str | None, options: ExtractOptions) -> Extraction | None:
    """Extract the main text and metadata from a page's (pruned) HTML.

    :param tree: the pruned tree.
    :param html: the original HTML, untouched.
    :param url: the page's URL, when known.
    :param options: what the caller asked for besides the text: the lines' links and
        images (``options.links``, ``options.images``), for the Markdown output. An
        extractor that cannot give them leaves them out.
    :return: an :class:`~cleaner.model.Extraction`: ``text`` (the main text, one block per
        line; may be empty), ``title``, ``metadata`` (``author``, ``date``, ``sitename``,
        ``declared_language``...: what the page says of itself; ``language`` is left to the
        ``language`` plugin, which identifies it on the cleaned text), ``roles`` (one
        :class:`~cleaner.model.Role` or None per line of ``text``: heading, list item, table
        row..., for the Markdown output; empty when unknown), ``fulltext`` (the page's
        visible text, or the part of it that holds the content, cleaned as text when
        ``text`` is empty) with its ``fulltext_roles``, and ``note`` (why, for the notes);
        or None if this plugin does not extract. A mapping with the keys ``text``,
        ``title``, ``fulltext``, ``fulltext_note`` and metadata is still taken, with a
        DeprecationWarning.

    Stops at first non-None result.
    """


# -- segment ------------------------------------------------------------------------


@hookspec(firstresult=True)
def cleaner_normalize(text: str) -> str | None:
    """Normalise white space and invisible characters, without rewording anything.

    :param text: the page text, lines separated by ``\\n``.
    :return: the normalised text with exactly as many lines as ``text`` (the engine
        checks, and names the plugin whose text it was), or None to leave it to another
        plugin. To normalise on top of the built-in, call it and change what it gives
        (``cleaner_plugins.normalize.cleaner_normalize(text)``): wrappers are refused.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def cleaner_segment(raw: str, normalized: str) -> Sequence[Block] | None:
    """Cut the page into blocks, the units that are kept or dropped.

    :param raw: the page text as it came in, lines separated by ``\\n``.
    :param normalized: the same text after ``cleaner_normalize`` (same line count).
    :return: the blocks in order, indexed from 0, or None to leave it to another plugin.

    Stops at first non-None result.
    """


# -- identify -----------------------------------------------------------------------


@hookspec(firstresult=True)
def cleaner_claim(doc: Document) -> str | None:
    """Claim the page for a site plugin.

    A site plugin claims a page by its URL when one is given (``doc.url``, ``doc.host``)
    and by a fingerprint in the text when not. A claim by URL outranks a claim by
    fingerprint: when the page has a URL, the engine first asks with the URL alone (a
    document without blocks, which no fingerprint matches), and asks again with the whole
    page only when no plugin claimed it so.

    :param doc: the segmented page (``doc.site`` is still None).
    :return: the site's name (the engine stores it as ``doc.site`` for the later stages),
        or None when the page is not this plugin's.

    Stops at first non-None result.
    """


# -- judge --------------------------------------------------------------------------


@hookspec
def cleaner_judge(doc: Document) -> Iterable[Verdict] | None:
    """Judge the blocks of a page: which to drop, as what, and why; which to keep.

    Every plugin is called, each on its own; a plugin sees the page, never the other
    plugins' verdicts. On a block, the strongest verdict wins and a keep verdict wins a
    tie (when unsure, keep). A block nobody speaks of is kept.

    :param doc: the page.
    :return: verdicts (``Verdict.drop(...)`` / ``Verdict.keeping(...)``) on any blocks,
        or None when the plugin has nothing to say about this page.
    """


@hookspec
def cleaner_revise(doc: Document, decisions: Sequence[Decision]) -> Iterable[Verdict] | None:
    """Revise the first-pass decisions with context, as jusText revises short paragraphs.

    A doubtful block is judged with its neighbours: a short line between two dropped
    runs goes with them, a sub-heading inside the article stays with it.

    :param doc: the page.
    :param decisions: the first-pass decision on every block, in order.
    :return: new verdicts for the blocks to change, or None. A revision replaces the
        first-pass verdict unless that verdict is stronger; among revisions of one block
        the strongest wins and keep wins a tie. The first-pass verdict stays on record
        for ``--explain``.
    """


# -- weigh --------------------------------------------------------------------------


@hookspec
def cleaner_weigh(doc: Document, decisions: Sequence[Decision], evidence: Evidence) -> Iterable[Verdict] | None:
    """Weigh every plugin's evidence and decide each block: the stage of a learned judge.

    Runs after revision. Where the rules speak with one voice a weigher may agree; where
    they are unsure it decides. Its verdicts replace the revised decisions, with two
    exceptions that nothing a weigher says overrules: a verdict of strength FORCE, and a
    verdict of strength RULE or more from the site plugin that claimed the page (a site's
    rules are never overruled by a guess). Among weighers' verdicts on one block the
    strongest wins, keep winning ties. ``--disable`` a weigher and the rules alone decide.

    :param doc: the page.
    :param decisions: the decision on every block after revision, in order (each with its
        first-pass verdict).
    :param evidence: every verdict of the judge and revise stages, each with its plugin,
        and the plugin that claimed the page.
    :return: verdicts for the blocks it decides, or None to leave the page to the rules.
        A verdict's reason is what ``--explain`` shows: say why, in words.
    """


# -- assemble -----------------------------------------------------------------------


@hookspec(firstresult=True)
def cleaner_title(doc: Document, decisions: Sequence[Decision]) -> int | None:
    """Pick the headline among the kept blocks.

    :param doc: the page.
    :param decisions: the final decision on every block.
    :return: the index of a kept block that is the page's headline (it becomes the first
        line of the text and ``Result.title``), or None when the page shows none.

    Stops at first non-None result.
    """


@hookspec
def cleaner_metadata(doc: Document, decisions: Sequence[Decision]) -> Mapping[str, Any] | None:
    """Contribute metadata: author, date, captions, site name, language...

    :param doc: the page.
    :param decisions: the final decision on every block (dropped bylines and captions
        are where author, date and captions come from).
    :return: a mapping of metadata keys, or None. When two plugins give the same key,
        the first plugin called wins (pluggy calls the last registered first).
    """
