"""The html phase of the engine: prune, extract, and the extractor's answer as the engine takes it.

:func:`html_to_text` is the phase :meth:`cleaner.Cleaner.clean` runs on an HTML page: it
parses the page, asks the claiming site's plugins to prune the tree, asks the extractor
for the main text and metadata, and says which text the later stages judge, as what.

An extractor returns an :class:`~cleaner.model.Extraction`. One written before that class
returned a mapping of keys (``text``, ``fulltext``, ``fulltext_note``, ``title`` and
metadata): it still works, converted by :func:`checked`, with a DeprecationWarning that
names the plugin. The line roles an extraction carries end up on the blocks of its text
(:func:`with_roles`), where the Markdown output reads them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cleaner import htmlparse
from cleaner.errors import ConfigError, PluginError
from cleaner.model import Block, Document, Extraction, Kind, Role

if TYPE_CHECKING:
    from cleaner.engine import Cleaner

_HOOK = "cleaner_extract_html"


def html_to_text(
    cleaner: Cleaner, html: str, url: str | None, notes: list[str]
) -> tuple[str, dict[str, Any], Kind, tuple[Role | None, ...]]:
    """Prune and extract the HTML: the text to judge, what the extractor learnt, the kind
    the text is judged as (html for the extracted main text; text for the page's full
    text, the fallback when the extractor finds none), and its lines' roles. What was done
    is added to ``notes``."""
    tree = htmlparse.parse(html)
    if tree is None:
        notes.append("html: nothing to parse; cleaned as text")
        return html, {}, Kind.TEXT, ()
    site = cleaner._first("cleaner_claim", doc=Document((), Kind.HTML, url, None, html))
    cleaner._collect("cleaner_prune_html", None, tree=tree, url=url, site=site)
    extractor, found = cleaner._first_named(
        "cleaner_extract_html", tree=tree, html=html, url=url, options=cleaner.extract_options
    )
    if found is None:
        raise ConfigError("no plugin extracts HTML (is the built-in 'html' plugin installed?)")
    extracted = checked(extractor or "?", found)
    metadata = extracted.found()
    if extracted.text.strip():
        notes.append(f"html: main text extracted by {extractor!r}, then cleaned")
        return extracted.text, metadata, Kind.HTML, extracted.roles
    if extracted.fulltext.strip():
        note = extracted.note or f"{extractor!r} found no main text; the page's full text was cleaned as text instead"
        notes.append(f"html: {note}")
        return extracted.fulltext, metadata, Kind.TEXT, extracted.fulltext_roles
    notes.append(f"html: {extractor!r} found no text at all")
    return "", metadata, Kind.TEXT, ()


def checked(plugin: str, extracted: object) -> Extraction:
    """The extraction ``plugin`` returned, typed: a mapping converted (and warned about),
    anything else but an :class:`Extraction` refused.

    :raises PluginError: not an extraction, or roles that do not match the text's lines.
    """
    if isinstance(extracted, Mapping):
        warnings.warn(
            f"plugin {plugin!r}: {_HOOK} returned a mapping; return a cleaner.model.Extraction "
            "(mappings will stop working in a later version)",
            DeprecationWarning,
            stacklevel=2,
        )
        try:
            extracted = Extraction.from_mapping(extracted)
        except (TypeError, ValueError) as exc:
            raise PluginError(plugin, _HOOK, f"returned a mapping that is no extraction: {exc}") from exc
    if not isinstance(extracted, Extraction):
        raise PluginError(plugin, _HOOK, f"returned {type(extracted).__name__}, not an Extraction")
    for name, text, roles in (
        ("text", extracted.text, extracted.roles),
        ("fulltext", extracted.fulltext, extracted.fulltext_roles),
    ):
        if not isinstance(text, str):
            raise PluginError(plugin, _HOOK, f"returned a {name} that is a {type(text).__name__}, not a str")
        if roles and len(roles) != len(text.splitlines()):
            lines = len(text.splitlines())
            raise PluginError(plugin, _HOOK, f"returned {len(roles)} roles for the {lines} lines of its {name}")
    return extracted


def with_roles(blocks: Sequence[Block], roles: Sequence[Role | None]) -> tuple[Block, ...]:
    """The blocks, each with the role of its line (``roles[block.lineno - 1]``, one per line
    of the text they were cut from); blocks past the roles keep theirs."""
    if not roles:
        return tuple(blocks)
    out = []
    for b in blocks:
        role = roles[b.lineno - 1] if b.lineno <= len(roles) else None
        out.append(b if role is None else Block(b.index, b.lineno, b.raw, b.text, b.blank_before, b.blank_after, b.indent, role))
    return tuple(out)
