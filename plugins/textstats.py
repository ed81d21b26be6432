"""The line statistics and the per-page view, from their old place (now :mod:`cleaner.textstats`).

They are part of the plugin interface and live in the core; this module keeps the names
third-party plugins import from here. ``page(doc)`` is ``doc.view``.
"""

from __future__ import annotations

from cleaner.model import Document
from cleaner.textstats import (
    CACHED_LINES,
    FUNCTION_WORDS,
    STATS_SLICE,
    WORD,
    LineStats,
    Page,
    has_letters,
    headline_like,
    is_caps_heading,
    is_code,
    is_headline_like,
    is_numberish,
    is_prose,
    label_key,
    line_stats,
    phrase_set,
    prose,
    section_items,
    section_verdicts,
)

__all__ = [
    "CACHED_LINES",
    "FUNCTION_WORDS",
    "STATS_SLICE",
    "WORD",
    "LineStats",
    "Page",
    "has_letters",
    "headline_like",
    "is_caps_heading",
    "is_code",
    "is_headline_like",
    "is_numberish",
    "is_prose",
    "label_key",
    "line_stats",
    "page",
    "phrase_set",
    "prose",
    "section_items",
    "section_verdicts",
]


def page(doc: Document) -> Page:
    """The shared per-page view of ``doc``: ``doc.view``."""
    return doc.view
