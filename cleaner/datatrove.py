"""cleaner as a datatrove pipeline step: :class:`CleanerStep` (needs the ``datatrove`` extra).

>>> from datatrove.executor import LocalPipelineExecutor              # doctest: +SKIP
>>> from datatrove.pipeline.readers import JsonlReader                # doctest: +SKIP
>>> from datatrove.pipeline.writers import JsonlWriter                # doctest: +SKIP
>>> from cleaner.datatrove import CleanerStep                         # doctest: +SKIP
>>> LocalPipelineExecutor(                                            # doctest: +SKIP
...     [JsonlReader("crawl/"), CleanerStep(keep=["caption"]), JsonlWriter("cleaned/")], tasks=4
... ).run()

Each document's text (a page's text or HTML) is cleaned as ``Cleaner.clean`` cleans it,
with the URL in ``doc.metadata["url"]`` given to the site plugins. The cleaned text
replaces ``doc.text``; ``doc.metadata["cleaner"]`` gets what a cleaned JSONL record holds
under ``cleaner`` (title, kind, removals per category, the page's metadata, notes). A
document that cleans to nothing is dropped, and one that cannot be cleaned is dropped
too unless ``errors`` says otherwise; datatrove's stats count both (``dropped``,
``dropped_empty``, ``dropped_failed``).

The module is named after the library it serves; its imports are absolute, so
``import datatrove`` here is datatrove itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from cleaner.batch.worker import RESULT_FIELD, record_summary
from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, ConfigError

__all__ = ["CleanerStep"]

# What a document that cannot be cleaned becomes (as in cleaner.dask).
ERROR_POLICIES = ("drop", "mark", "raise")


class CleanerStep(PipelineStep):
    """Clean each document's text; drop those that clean to nothing.

    :param kind: ``"text"``, ``"html"``, or None to tell each document by its content.
    :param url_key: the metadata key holding the page's URL (JsonlReader puts every field
        but the text and id there); None gives no URL.
    :param metadata_key: where the result goes in ``doc.metadata``.
    :param errors: a document that cannot be cleaned (not text, a plugin that fails):
        ``drop`` it (counted as ``dropped_failed``), ``mark`` it (kept as it was, with
        ``{"error": ..., "reason": ...}`` under ``metadata_key``), or ``raise``.
    :param keep_empty: keep documents that clean to nothing (their text is then empty).
    :param cleaner_options: the Cleaner's keyword arguments (``keep``, ``disable``,
        ``enable``, ``rules``, ``time_limit``...); each task builds its Cleaner from them.
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        kind: str | None = None,
        url_key: str | None = "url",
        metadata_key: str = RESULT_FIELD,
        errors: str = "drop",
        keep_empty: bool = False,
        **cleaner_options: Any,
    ) -> None:
        super().__init__()
        if errors not in ERROR_POLICIES:
            raise ConfigError(f"unknown errors policy {errors!r} (valid: {', '.join(ERROR_POLICIES)})")
        if kind not in (None, "text", "html"):
            raise ConfigError(f"unknown kind {kind!r} (valid: text, html, or None to tell by content)")
        Cleaner(**cleaner_options).close()  # a bad option fails here, not in every task
        self.kind = kind
        self.url_key = url_key
        self.metadata_key = metadata_key
        self.errors = errors
        self.keep_empty = keep_empty
        self.cleaner_options = cleaner_options

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        """Clean the documents of ``data`` (one task's), yielding those that keep some text."""
        if data is None:
            return
        with Cleaner(**self.cleaner_options) as cleaner:
            for doc in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    kept = self._clean(cleaner, doc)
                if kept:
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc

    def _clean(self, cleaner: Cleaner, doc: Document) -> bool:
        """Clean one document in place; False if it is to be dropped."""
        url = doc.metadata.get(self.url_key) if self.url_key else None
        try:
            result = cleaner.clean(doc.text, url=url if isinstance(url, str) and url else None, kind=self.kind)
        except CleanerError as exc:
            if self.errors == "raise":
                raise
            if self.errors == "mark":
                doc.metadata[self.metadata_key] = {"error": type(exc).__name__, "reason": str(exc)}
                self.stat_update("failed")
                return True
            self.stat_update(StatHints.dropped, "dropped_failed")
            return False
        if not result.text.strip() and not self.keep_empty:
            self.stat_update(StatHints.dropped, "dropped_empty")
            return False
        doc.text = result.text
        doc.metadata[self.metadata_key] = record_summary(result)
        return True
