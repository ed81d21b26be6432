"""Cleaning on a Dask cluster, partition by partition, with one Cleaner per worker.

Needs the ``dask`` extra: ``pip install 'cleaner[dask]'`` (dask and distributed).

Three ways in:

* :func:`clean_bag`: a Dask bag of JSONL lines (``dask.bag.read_text``) or of dicts, to
  a bag of cleaned records, the same records ``clean corpus.jsonl -o out.jsonl`` writes;
* :func:`clean_dataframe`: a Dask dataframe with a text column, to the same dataframe
  with the text cleaned and a ``cleaner`` column (the JSON of title, removals per
  category, metadata);
* ``clean ... --dask-scheduler ADDRESS`` on the command line (:class:`DaskExecutor`):
  the inputs are read here, cleaned on the cluster, and written here exactly as a local
  run writes them, errors file, resume and summary included.

The Cleaner options (``keep``, ``disable``, ``rules``...) travel to the workers, not a
Cleaner: each worker thread builds its Cleaner once, on first use, and keeps it
(:func:`worker_cleaner`). The output is the same, byte for byte, as a local run's.

A page's time limit (``time_limit``) is kept by the engine on a Dask worker thread only
between plugin calls: a plugin that never returns holds its thread. Local runs stop such
a plugin by replacing the worker process.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from cleaner.batch.worker import (
    RESULT_FIELD,
    Executor,
    Outcome,
    Settings,
    clean_record,
    dump_record,
    parse_json_line,
    process,
    record_page,
    record_summary,
)
from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.sources import Task
from cleaner.templates import TemplateLearner

__all__ = [
    "DaskExecutor",
    "clean_bag",
    "clean_dataframe",
    "clean_records",
    "learn_templates",
    "to_jsonl",
    "worker_cleaner",
]

# Pages sent to a worker in one Dask task.
CHUNK_PAGES = 64
# Chunks in flight per worker thread: enough to keep every thread busy, few enough to bound memory.
CHUNKS_PER_THREAD = 2
# Seconds to wait for the scheduler before giving up with an error.
CONNECT_TIMEOUT = 30
# Cleaners a worker thread keeps (one per set of options seen).
MAX_CACHED_CLEANERS = 4
# What a failed record becomes in clean_bag and clean_dataframe.
ERROR_POLICIES = ("mark", "drop", "raise")

_local = threading.local()


def worker_cleaner(options: Mapping[str, Any], token: str | None = None) -> Cleaner:
    """This thread's Cleaner for ``options``, built on first use and kept.

    :param options: the Cleaner's keyword arguments.
    :param token: a name for the options (computed from them when None).
    """
    if token is None:
        from dask.base import tokenize

        token = tokenize(sorted(options.items(), key=lambda kv: kv[0]))
    cache: OrderedDict[str, Cleaner] | None = getattr(_local, "cleaners", None)
    if cache is None:
        cache = _local.cleaners = OrderedDict()
    cleaner = cache.get(token)
    if cleaner is None:
        cleaner = Cleaner(**options)
        cache[token] = cleaner
        while len(cache) > MAX_CACHED_CLEANERS:
            cache.popitem(last=False)[1].close()
    else:
        cache.move_to_end(token)
    return cleaner


# -- bags and dataframes ------------------------------------------------------------------


def clean_records(
    records: Iterable[Any],
    *,
    text_field: str = "text",
    url_field: str | None = None,
    kind: str | None = None,
    errors: str = "mark",
    cleaner_options: Mapping[str, Any] | None = None,
    token: str | None = None,
) -> list[dict[str, Any]]:
    """Clean one partition of records (dicts, or JSONL lines as str / bytes).

    :param errors: what a record that cannot be cleaned becomes: ``mark`` keeps it, text
        untouched, with ``{"cleaner": {"error": ..., "reason": ...}}``; ``drop`` leaves it
        out; ``raise`` raises the error. Blank lines are skipped, as the command line skips them.
    :return: the cleaned records, as ``clean corpus.jsonl -o out.jsonl`` writes them.
    """
    _check_policy(errors)
    cleaner = worker_cleaner(dict(cleaner_options or {}), token)
    out: list[dict[str, Any]] = []
    for item in records:
        if isinstance(item, (str, bytes, bytearray)) and not item.strip():
            continue  # a blank JSONL line: no record (as clean corpus.jsonl reads it)
        record = item
        try:
            if isinstance(item, (str, bytes, bytearray)):
                record = parse_json_line(item)
            cleaned, _ = clean_record(cleaner, record, text_field=text_field, url_field=url_field, kind=kind)
        except CleanerError as exc:
            if errors == "raise":
                raise
            if errors == "mark":
                marked = dict(record) if isinstance(record, dict) else {"record": record}
                marked[RESULT_FIELD] = {"error": type(exc).__name__, "reason": str(exc)}
                out.append(marked)
            continue
        out.append(cleaned)
    return out


def clean_bag(
    bag: Any,
    *,
    text_field: str = "text",
    url_field: str | None = None,
    kind: str | None = None,
    errors: str = "mark",
    **cleaner_options: Any,
) -> Any:
    """Clean a Dask bag of records partition-wise; a bag of cleaned records (dicts).

    >>> import dask.bag as db                                          # doctest: +SKIP
    >>> lines = db.read_text("corpus-*.jsonl")                          # doctest: +SKIP
    >>> cleaned = clean_bag(lines, url_field="url", keep=["caption"])   # doctest: +SKIP
    >>> to_jsonl(cleaned, "out/*.jsonl")                                # doctest: +SKIP

    :param bag: elements are dicts, or JSONL lines (str or bytes).
    :param errors: ``mark``, ``drop`` or ``raise`` (see :func:`clean_records`).
    :param cleaner_options: the Cleaner's keyword arguments (``keep``, ``disable``, ``rules``...).
    """
    from dask.base import tokenize

    _check_policy(errors)
    Cleaner(**cleaner_options).close()  # a bad option fails here, not on every worker
    token = tokenize(sorted(cleaner_options.items(), key=lambda kv: kv[0]))
    return bag.map_partitions(_bag_partition, text_field, url_field, kind, errors, cleaner_options, token)


def learn_templates(
    bag: Any,
    *,
    text_field: str = "text",
    url_field: str | None = None,
    kind: str | None = None,
    **cleaner_options: Any,
) -> Any:
    """The site templates of a bag of records, as a reduction across its partitions: a
    Dask item whose value is the :class:`~cleaner.templates.Templates` one process learns
    from the same records (``clean --learn-templates``), whatever the partitions.

    >>> templates = learn_templates(lines, url_field="url").compute()   # doctest: +SKIP
    >>> cleaned = clean_bag(lines, url_field="url", templates=templates)  # doctest: +SKIP

    Each partition's learner keeps at most a sample of pages per site (memory bounded per
    site); the partitions' learners are merged in a tree. A record that cannot be read
    (not JSON, no text) is left out, as the cleaning pass reports it.
    """
    options = {k: v for k, v in cleaner_options.items() if k != "templates"}
    Cleaner(**options).close()
    per_partition = functools.partial(_learn_partition, text_field=text_field, url_field=url_field, kind=kind, options=options)
    return bag.reduction(per_partition, _merge_learners).apply(TemplateLearner.templates)


def _learn_partition(
    records: Iterable[Any], *, text_field: str, url_field: str | None, kind: str | None, options: Mapping[str, Any]
) -> TemplateLearner:
    cleaner = worker_cleaner(dict(options))
    learner = TemplateLearner()
    for item in records:
        if isinstance(item, (str, bytes, bytearray)) and not item.strip():
            continue  # a blank JSONL line, as clean_records skips it
        try:
            record = parse_json_line(item) if isinstance(item, (str, bytes, bytearray)) else item
            text, url = record_page(record, text_field, url_field)
            learner.add_lines(*cleaner.template_lines(text, url=url, kind=kind))
        except CleanerError:
            continue
    return learner


def _merge_learners(learners: Iterable[TemplateLearner]) -> TemplateLearner:
    """The reduction's aggregate (at every level of its tree): the learners merged."""
    merged = TemplateLearner()
    for learner in learners:
        merged.merge(learner)
    return merged


def to_jsonl(bag: Any, path: Any, **kwargs: Any) -> Any:
    """Write a bag of records as JSONL files, one per partition (``to_textfiles``' paths and
    keywords), each record a line as the command line writes it, newline included.

    ``bag.map(json.dumps).to_textfiles(path)`` leaves out each file's last newline, so that
    two files joined run two records together; with ``last_endline=True`` an empty
    partition's file is a blank line. Here the files joined are the JSONL a local run writes.
    """
    return bag.map_partitions(_jsonl_text).to_textfiles(path, **kwargs)


def _jsonl_text(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """A partition's records as one element: its file's text."""
    return ["".join(dump_record(record).decode("utf-8") for record in records)]


def _bag_partition(
    records: Iterable[Any],
    text_field: str,
    url_field: str | None,
    kind: str | None,
    errors: str,
    options: Mapping[str, Any],
    token: str,
) -> list[dict[str, Any]]:
    return clean_records(
        records, text_field=text_field, url_field=url_field, kind=kind, errors=errors, cleaner_options=options, token=token
    )


def clean_dataframe(
    frame: Any,
    *,
    text_field: str = "text",
    url_field: str | None = None,
    kind: str | None = None,
    **cleaner_options: Any,
) -> Any:
    """Clean the ``text_field`` column of a Dask dataframe partition-wise.

    The result has the same columns, ``text_field`` cleaned, and one more, ``cleaner``:
    the JSON of what a cleaned JSONL record holds under ``cleaner`` (title, removals per
    category, metadata, notes). A row that cannot be cleaned keeps its text and gets
    ``{"error": ..., "reason": ...}`` there.
    """
    import pandas as pd
    from dask.base import tokenize

    Cleaner(**cleaner_options).close()
    if text_field not in frame.columns:
        raise ConfigError(f"the dataframe has no column {text_field!r}")
    if url_field is not None and url_field not in frame.columns:
        raise ConfigError(f"the dataframe has no column {url_field!r}")
    token = tokenize(sorted(cleaner_options.items(), key=lambda kv: kv[0]))
    # a string column (not object), so that to_parquet and other writers know its type from the meta
    meta = frame._meta.assign(**{RESULT_FIELD: pd.Series([], dtype="string")})
    return frame.map_partitions(_frame_partition, text_field, url_field, kind, cleaner_options, token, meta=meta)


def _frame_partition(
    part: Any, text_field: str, url_field: str | None, kind: str | None, options: Mapping[str, Any], token: str
) -> Any:
    cleaner = worker_cleaner(options, token)
    texts: list[Any] = []
    results: list[str] = []
    urls = part[url_field].tolist() if url_field else [None] * len(part)
    for text, url in zip(part[text_field].tolist(), urls, strict=False):
        record = {text_field: text}
        if url_field:
            record[url_field] = url
        try:
            cleaned, result = clean_record(cleaner, record, text_field=text_field, url_field=url_field, kind=kind)
        except CleanerError as exc:
            texts.append(text)
            results.append(json.dumps({"error": type(exc).__name__, "reason": str(exc)}, ensure_ascii=False))
            continue
        texts.append(cleaned[text_field])
        results.append(json.dumps(record_summary(result), ensure_ascii=False, default=str))
    out = part.copy()
    out[text_field] = texts
    out[RESULT_FIELD] = results
    return out


def _check_policy(errors: str) -> None:
    if errors not in ERROR_POLICIES:
        raise ConfigError(f"unknown errors policy {errors!r} (valid: {', '.join(ERROR_POLICIES)})")


# -- the command line's executor ----------------------------------------------------------


def _clean_chunk(token: str, options: Mapping[str, Any], settings: Settings, tasks: list[Task]) -> list[Outcome]:
    """Run on a worker: clean a chunk of tasks with this thread's Cleaner."""
    cleaner = worker_cleaner(options, token)
    return [process(cleaner, task, settings) for task in tasks]


class DaskExecutor(Executor):
    """Clean tasks on a Dask cluster, in chunks of :data:`CHUNK_PAGES`; yield outcomes in order.

    Inputs are read here (files too, so the workers need no shared folder) and at most
    :data:`CHUNKS_PER_THREAD` chunks per worker thread are in flight.

    :param address: the scheduler's address (``tcp://host:8786``).
    :param options: the Cleaner's keyword arguments.
    :param settings: what the workers render.
    """

    replaced = 0  # the cluster replaces its dead workers; none are counted here

    def __init__(self, address: str, options: Mapping[str, Any], settings: Settings) -> None:
        import uuid

        self.address = address
        self.options = dict(options)
        self.settings = settings
        self.token = uuid.uuid4().hex
        self.client: Any = None
        self._futures: deque[Any] = deque()

    def __enter__(self) -> DaskExecutor:
        from distributed import Client

        try:
            self.client = Client(self.address, set_as_default=False, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            for future in self._futures:
                future.cancel()
            self.client.close()
            self.client = None

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        threads = sum(self.client.nthreads().values()) or 1
        limit = threads * CHUNKS_PER_THREAD
        pending: deque[tuple[list[Task], Any]] = deque()
        self._futures = deque()
        chunk: list[Task] = []
        for task in tasks:
            chunk.append(task)
            if len(chunk) >= CHUNK_PAGES:
                pending.append(self._submit(chunk))
                chunk = []
                while len(pending) >= limit:
                    yield from self._gather(*pending.popleft())
        if chunk:
            pending.append(self._submit(chunk))
        while pending:
            yield from self._gather(*pending.popleft())

    def _submit(self, chunk: list[Task]) -> tuple[list[Task], Any]:
        shipped = [_with_content(t) for t in chunk]
        future = self.client.submit(_clean_chunk, self.token, self.options, self.settings, shipped, pure=False)
        self._futures.append(future)
        return chunk, future

    def _gather(self, chunk: list[Task], future: Any) -> Iterator[tuple[Task, Outcome]]:
        try:
            outcomes = future.result()
        except Exception as exc:  # the worker died, or the chunk could not be sent
            reason = f"the Dask task failed: {type(exc).__name__}: {exc}"
            outcomes = [Outcome(t.seq, None, {}, "PluginError", reason) for t in chunk]
        finally:
            if self._futures and self._futures[0] is future:
                self._futures.popleft()
        yield from zip(chunk, outcomes, strict=False)


def _with_content(task: Task) -> Task:
    """The task with its file read here, so that no worker needs this machine's files."""
    if task.content is not None or task.path is None or task.error is not None:
        return task
    try:
        return dataclasses.replace(task, content=task.read())
    except InputError as exc:
        return dataclasses.replace(task, error=("InputError", str(exc)))
