"""The data that flows through the stages: blocks, documents, verdicts, results.

Everything a plugin is handed is immutable (frozen dataclasses, tuples, read-only
mappings), so a judging plugin cannot change what the next plugin sees; it can only
return verdicts, which the engine applies.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleaner.logs import DecisionLog as DecisionLog
    from cleaner.logs import RemovalLog as RemovalLog
    from cleaner.logs import _BuiltWhenRead as _BuiltWhenRead
    from cleaner.templates import SiteTemplate
    from cleaner.textstats import Page

# Moved to cleaner.logs (the compact logs of long pages); still importable from here.
_MOVED_TO_LOGS = frozenset({"DecisionLog", "RemovalLog", "_BuiltWhenRead", "_offsets", "_piece"})


class Category(str, enum.Enum):
    """What a removed block was (see CLEANING_POLICY.md)."""

    NAV = "nav"
    AD = "ad"
    TRENDING = "trending"
    RELATED = "related"
    SOCIAL = "social"
    FOOTER = "footer"
    BYLINE = "byline"
    CAPTION = "caption"
    TAXONOMY = "taxonomy"
    DUPLICATE = "duplicate"
    DEBRIS = "debris"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, name: str) -> Category:
        """The category called ``name`` (case-insensitive); ValueError names the valid ones."""
        try:
            return cls(name.strip().lower())
        except ValueError:
            valid = ", ".join(c.value for c in cls)
            raise ValueError(f"unknown category {name!r} (valid: {valid})") from None


class Strength(enum.IntEnum):
    """How sure a verdict is; on one block the strongest verdict wins.

    HINT is a generic signal that context may revise; RULE is an unambiguous pattern or a
    site rule; FORCE is a site's explicit must-keep / must-drop that nothing overrides.
    """

    HINT = 1
    RULE = 2
    FORCE = 3


class Kind(str, enum.Enum):
    """What the content is."""

    TEXT = "text"
    HTML = "html"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Block:
    """One non-blank line of the page text, the unit that is kept or dropped.

    :ivar index: position among the document's blocks (0-based).
    :ivar lineno: line number in the segmented text (1-based).
    :ivar raw: the line as it was in the input.
    :ivar text: the normalised line (white space folded, invisible characters gone), stripped.
    :ivar blank_before: a blank line (or the start of the text) comes before it.
    :ivar blank_after: a blank line (or the end of the text) comes after it.
    :ivar indent: leading white space of the raw line, in characters.
    :ivar role: the line's place in the page's structure (a heading, a list item, a table
        row...) when the extractor of an HTML page said it; None on text pages. Only the
        Markdown output reads it.
    """

    index: int
    lineno: int
    raw: str
    text: str
    blank_before: bool = True
    blank_after: bool = True
    indent: int = 0
    role: Role | None = None


class Structure(str, enum.Enum):
    """What a line of an HTML page's main text is, for the Markdown output (:class:`Role`)."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    ITEM = "item"  # a list item: the line starts with its "- " marker
    ROW = "row"  # a table row: "| cell | cell |"
    RULE = "rule"  # the line under a table's header row: "|---|---|"
    QUOTE = "quote"
    CODE = "code"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Role:
    """A line's place in an HTML page's structure, as the extractor saw it.

    :ivar kind: what the line is.
    :ivar level: a heading's level (1 to 6); a list item's depth (0: not nested).
    :ivar number: an ordered list item's number (from 1); 0 for a bulleted one.
    :ivar header: a table row that is its table's header.
    :ivar group: the lines of one list, table, quote or code block share a number (from
        1), so that two tables in a row stay two tables.
    :ivar markdown: the line as inline Markdown with its links and images, when they were
        asked for (``Cleaner(links=True)``, ``images=True``); None: the line's text.
    :ivar images: images (``![alt](src)``) shown just before the line, when asked for.
    """

    kind: Structure = Structure.PARAGRAPH
    level: int = 0
    number: int = 0
    header: bool = False
    group: int = 0
    markdown: str | None = None
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """What the caller asked an HTML extractor for besides the text (``cleaner_extract_html``).

    :ivar links: the lines' links, as Markdown (``Role.markdown``).
    :ivar images: the images in and between the lines, as Markdown (``Role.markdown``,
        ``Role.images``).
    """

    links: bool = False
    images: bool = False


# The keys of the mapping that extractors returned before :class:`Extraction`, besides metadata.
_MAPPING_TEXT_KEYS = frozenset({"text", "fulltext", "fulltext_note", "title"})


@dataclass(frozen=True)
class Extraction:
    """What an HTML extractor gives the engine (the ``cleaner_extract_html`` hook).

    :ivar text: the main text, one block per line; "" when the extractor found none.
    :ivar title: the page's title, or None.
    :ivar metadata: what else it learnt of the page (author, date, sitename, a declared
        language...): str keys, plain values; a None value counts as not found.
    :ivar roles: the structure of ``text``: one :class:`Role` (or None: a plain line) per
        line of ``text.splitlines()``; or empty when the extractor knows none.
    :ivar fulltext: the page's visible text (or the part of it that holds the content),
        cleaned as page text when ``text`` is empty.
    :ivar fulltext_roles: the structure of ``fulltext``, as ``roles`` is of ``text``.
    :ivar note: why ``fulltext`` was given instead of a main text, for ``Result.notes``.
    """

    text: str = ""
    title: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    roles: tuple[Role | None, ...] = ()
    fulltext: str = ""
    fulltext_roles: tuple[Role | None, ...] = ()
    note: str | None = None

    @classmethod
    def from_mapping(cls, extracted: Mapping[str, Any]) -> Extraction:
        """An extraction from the mapping an extractor returned before this class: ``text``,
        ``fulltext``, ``fulltext_note``, ``title``, and metadata under any other key."""
        rest = {k: v for k, v in extracted.items() if k not in _MAPPING_TEXT_KEYS}
        return cls(
            text=extracted.get("text") or "",
            title=extracted.get("title"),
            metadata=rest,
            fulltext=extracted.get("fulltext") or "",
            note=extracted.get("fulltext_note"),
        )

    def found(self) -> dict[str, Any]:
        """The title and the metadata, without the values that are None (what the engine
        hands the text stages as ``Document.metadata``)."""
        merged = {"title": self.title, **self.metadata}
        return {k: v for k, v in merged.items() if v is not None}


@dataclass(frozen=True, eq=False)
class Document:
    """A page as the judging stages see it.

    :ivar blocks: the non-blank lines, in order.
    :ivar kind: text or html (the way the content came in).
    :ivar url: the page's URL when the caller gave one.
    :ivar site: the name of the site plugin that claimed the page, or None.
    :ivar html: the HTML when the page came in as HTML.
    :ivar metadata: what earlier stages learnt (e.g. HTML title, author), read-only.
    :ivar template: the page's site template when the Cleaner has templates
        (``Cleaner(templates=...)``): on how many of the site's pages each line occurs
        (:class:`cleaner.templates.SiteTemplate`), or None.
    """

    blocks: tuple[Block, ...]
    kind: Kind = Kind.TEXT
    url: str | None = None
    site: str | None = None
    html: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    template: SiteTemplate | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", _frozen(self.metadata))

    @cached_property
    def counts(self) -> Mapping[str, int]:
        """How often each normalised line text occurs in the page (case-folded)."""
        counts: dict[str, int] = {}
        for block in self.blocks:
            key = block.text.casefold()
            counts[key] = counts.get(key, 0) + 1
        return MappingProxyType(counts)

    @cached_property
    def view(self) -> Page:
        """The per-page view the plugins share (:class:`cleaner.textstats.Page`: each block's
        line statistics, prose or not, label key...), built once, when a plugin first reads it."""
        from cleaner.textstats import Page

        return Page.of(self.blocks)

    @cached_property
    def host(self) -> str | None:
        """The URL's host name, lower-cased, without a leading ``www.``."""
        if not self.url:
            return None
        from urllib.parse import urlsplit

        try:
            host = (urlsplit(self.url).hostname or "").lower()
        except ValueError:
            return None
        return host[4:] if host.startswith("www.") else host or None

    def with_site(self, site: str | None) -> Document:
        """A copy of this document claimed by ``site``."""
        return Document(self.blocks, self.kind, self.url, site, self.html, self.metadata, self.template)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A plugin's judgement of one block: keep it, or drop it as ``category``.

    :ivar index: the block's index.
    :ivar category: the boilerplate category to drop the block as; None means keep.
    :ivar reason: why, in words a user reads in ``--explain``.
    :ivar strength: how sure; the strongest verdict on a block wins, keep wins ties.
    :ivar plugin: the plugin that gave it; the engine fills it in.
    """

    index: int
    category: Category | None
    reason: str
    strength: Strength = Strength.HINT
    plugin: str = ""

    @property
    def keep(self) -> bool:
        return self.category is None

    @classmethod
    def drop(cls, index: int, category: Category, reason: str, strength: Strength = Strength.HINT) -> Verdict:
        return cls(index, category, reason, strength)

    @classmethod
    def keeping(cls, index: int, reason: str, strength: Strength = Strength.HINT) -> Verdict:
        return cls(index, None, reason, strength)


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's verdict on one block after all stages.

    :ivar block: the block.
    :ivar verdict: the verdict that decided, or None when no plugin spoke (kept).
    :ivar first: the verdict of the first pass, before context revised it.
    :ivar kept_by_request: dropped by a plugin, but its category is one the user keeps.
    """

    block: Block
    verdict: Verdict | None
    first: Verdict | None = None
    kept_by_request: bool = False

    @property
    def keep(self) -> bool:
        return self.kept_by_request or self.verdict is None or self.verdict.keep

    @property
    def revised(self) -> bool:
        return self.first is not self.verdict

    def removal(self) -> Removal | None:
        """The block as a removal, or None when it stays."""
        if self.keep:
            return None
        v = self.verdict
        assert v is not None and v.category is not None  # what a dropped block has
        return Removal(self.block.lineno, self.block.text, v.category, v.reason, v.plugin)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the judging stages said of a page, handed to the weighing stage.

    :ivar judged: every verdict of the judge stage, each with the plugin that gave it.
    :ivar revised: every verdict of the revise stage, each with its plugin.
    :ivar claimant: the plugin that claimed the page (whose site rules a weigher never
        overrules), or None.
    """

    judged: tuple[tuple[str, Verdict], ...] = ()
    revised: tuple[tuple[str, Verdict], ...] = ()
    claimant: str | None = None


@dataclass(frozen=True, slots=True)
class Removal:
    """A block that was removed: where, what, why and who decided."""

    lineno: int
    text: str
    category: Category
    reason: str
    plugin: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.lineno,
            "text": self.text,
            "category": self.category.value,
            "reason": self.reason,
            "plugin": self.plugin,
        }


@dataclass(frozen=True)
class Result:
    """What cleaning a page gives.

    :ivar text: the article as the CLI prints it: the headline (if any), then the body.
    :ivar title: the headline, or None.
    :ivar body: the article without the headline.
    :ivar removed: every removed block, in page order (a tuple; on a page judged in
        windows, a :class:`cleaner.logs.RemovalLog` that builds each removal when it is read).
    :ivar metadata: author, date, captions, site and what else the plugins found: a
        read-only mapping of plain JSON data (str keys; dicts, lists, str, numbers, None),
        so ``json.dumps(dict(result.metadata))`` works as it is.
    :ivar decisions: every block with its decision, for ``--explain`` (a tuple; on a page
        judged in windows, a :class:`cleaner.logs.DecisionLog`).
    :ivar kind: the path the content took (text, or html).
    :ivar notes: remarks on how the page was handled (e.g. a fallback taken).
    :ivar title_index: the index of the block that is the headline, or None.
    """

    text: str
    title: str | None
    body: str
    removed: Sequence[Removal]
    metadata: Mapping[str, Any]
    decisions: Sequence[Decision] = ()
    kind: Kind = Kind.TEXT
    notes: tuple[str, ...] = ()
    title_index: int | None = None

    @cached_property
    def markdown(self) -> str:
        """The article as Markdown: the headline as a ``#`` title, then the body. On an HTML
        page its headings, lists, tables, quotes and code blocks (and links and images,
        when the Cleaner was asked for them); on a text page its paragraphs and bulleted
        lines. Same lines as :attr:`text`, with their markup (:mod:`cleaner.markdown`)."""
        from cleaner.markdown import render

        return render(self.decisions, self.title_index if self.title is not None else None)

    def removals_by_category(self) -> dict[str, int]:
        """How many blocks each category removed."""
        counts: dict[str, int] = {}
        for removal in self.removed:
            counts[removal.category.value] = counts.get(removal.category.value, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data (what ``--format json`` prints)."""
        return {**self._head(), "removed": [r.to_dict() for r in self.removed], "notes": list(self.notes)}

    def _head(self) -> dict[str, Any]:
        """:meth:`to_dict` up to the removals."""
        return {
            "title": self.title,
            "body": self.body,
            "text": self.text,
            "kind": self.kind.value,
            "metadata": plain(self.metadata),
        }

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # the read-only metadata does not pickle: a result sent between processes
        # (Cleaner.clean_many) carries it as a dict and is rebuilt read-only
        return _result, (
            self.text,
            self.title,
            self.body,
            self.removed,
            dict(self.metadata),
            self.decisions,
            self.kind,
            self.notes,
            self.title_index,
        )

    def json_chunks(self, extra: Mapping[str, Any] | None = None, *, indent: int | None = None) -> Iterator[str]:
        """``json.dumps({**extra, **self.to_dict()}, ensure_ascii=False, indent=indent)``,
        in pieces (see :func:`cleaner.logs.json_chunks`)."""
        from cleaner.logs import json_chunks

        return json_chunks(self, extra, indent=indent)


def _result(
    text: str,
    title: str | None,
    body: str,
    removed: Sequence[Removal],
    metadata: dict[str, Any],
    decisions: Sequence[Decision],
    kind: Kind,
    notes: tuple[str, ...],
    title_index: int | None,
) -> Result:
    """A pickled :class:`Result` rebuilt (see ``Result.__reduce__``)."""
    return Result(text, title, body, removed, MappingProxyType(metadata), decisions, kind, notes, title_index)


def _frozen(value: Any) -> Any:
    """``value`` with every mapping read-only and every list a tuple, all the way down."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(value)
    return value


def plain(value: Any) -> Any:
    """``value`` as plain JSON-ready data: mappings as dicts with string keys, sequences as
    lists, sets as sorted lists (in the order met when they cannot be sorted)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [plain(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    return value


def __getattr__(name: str) -> Any:
    """The names that moved to :mod:`cleaner.logs`, imported from there when first asked for
    (an import at the top would be circular: the logs are built of this module's classes)."""
    if name in _MOVED_TO_LOGS:
        from cleaner import logs

        return getattr(logs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
