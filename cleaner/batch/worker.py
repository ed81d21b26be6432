"""The worker's side of a batch: what one task becomes, whoever cleans it.

:func:`process` cleans one :class:`~cleaner.sources.Task` into an :class:`Outcome` (the
bytes to write, or the failure), rendered as :class:`Settings` say. An :class:`Executor`
runs tasks somewhere and yields their outcomes in input order: the local worker
processes (:class:`cleaner.batch.pool.LocalPool`) and a Dask cluster
(:class:`cleaner.dask.DaskExecutor`) are the two. This module imports neither: Dask's
workers need only it.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, InputError
from cleaner.model import Result, plain
from cleaner.outputs import compress, compression_of
from cleaner.sources import Task, TaskMode

# The field a cleaned JSONL / WARC record gets: title, removals per category, metadata.
RESULT_FIELD = "cleaner"
# The bytes of a cleaned text's hash (--dedup, cleaner.batch.filters).
DIGEST_BYTES = 8


class Render(str, enum.Enum):
    """What a worker turns a cleaned page into."""

    TEXT = "text"  # the article, as ``clean FILE`` prints it
    JSON = "json"  # the JSON of ``clean --format json FILE``
    JSON_LINE = "json-line"  # the same on one line (several pages on standard output)
    MARKDOWN = "markdown"  # the article as Markdown, as ``clean --format markdown FILE`` prints it
    RECORD = "record"  # a JSONL record: the input's with the cleaned text and the result field, or a page's
    ROW = "row"  # the same record as a Parquet row: a dict, its result field as JSON text


@dataclass(frozen=True)
class Settings:
    """What every worker needs besides the task (small and picklable)."""

    render: Render = Render.TEXT
    text_field: str = "text"
    url_field: str | None = None
    output_field: str | None = None  # a record's field for the cleaned text (None: the text field)
    full: bool = False  # a record's result field holds the whole result (--format json), not the summary
    markdown: bool = False  # a record's result field holds the page's Markdown too (--format markdown)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one task.

    :ivar seq: the task's position.
    :ivar payload: the bytes to write, or None when the page failed.
    :ivar removed: blocks removed per category.
    :ivar error: the failure's type (``InputError``, ``PluginError``, ``PageTimeout``...).
    :ivar reason: the failure, in one line.
    :ivar digest: the hash of the cleaned text, white space normalised (``--dedup``).
    :ivar language: the page's language, ``metadata["language"]`` (``--language``).
    :ivar row: for :attr:`Render.ROW`, the record to write (``payload`` is then empty).
    :ivar templated: of the blocks removed, those the site's template removed (plugin
        ``templates``, with ``--learn-templates`` or ``--templates``).
    """

    seq: int
    payload: bytes | None
    removed: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    reason: str | None = None
    digest: bytes | None = None
    language: str | None = None
    row: dict[str, Any] | None = None
    templated: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


@runtime_checkable
class Executor(Protocol):
    """Cleans tasks somewhere; a context manager (entering starts the workers, leaving stops them).

    :ivar replaced: workers stopped (a page over its time limit) or dead, and replaced.
    """

    replaced: int

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        """Clean ``tasks``; yield each with its outcome, in the order they came."""
        ...


def process(cleaner: Cleaner, task: Task, settings: Settings) -> Outcome:
    """Clean one task; every failure becomes a failed outcome, nothing is raised."""
    if task.error is not None:
        return Outcome(task.seq, None, {}, *task.error)
    row = None
    try:
        out: dict[str, Any] | None = None  # the output record, for records
        if task.mode is TaskMode.PAGE:
            result = cleaner.clean(task.read(), url=task.url, kind=task.kind, filename=task.filename)
            if settings.render in (Render.RECORD, Render.ROW):  # a page into a JSONL or Parquet output
                fields = {"path": task.source, **({"url": task.url} if task.url else {})}
                out = {**fields, "text": result.text, RESULT_FIELD: result_field(result, settings.full)}
            else:
                payload = render_page(result, task.source, settings.render)
                if task.dest is not None:
                    payload = compress(payload, compression_of(task.dest))
        elif task.mode in (TaskMode.JSON_LINE, TaskMode.ROW):
            if task.mode is TaskMode.ROW:
                record = task.fields
            else:
                assert task.content is not None
                record = parse_json_line(task.content)
            out, result = clean_record(
                cleaner,
                record,
                text_field=settings.text_field,
                url_field=settings.url_field,
                kind=task.kind,
                output_field=settings.output_field,
                full=settings.full,
            )
        else:
            assert task.content is not None and task.fields is not None
            result = cleaner.clean(task.content, url=task.url, kind=task.kind)
            out = {**task.fields, "text": result.text, RESULT_FIELD: result_field(result, settings.full)}
        if out is not None and settings.markdown:
            out[RESULT_FIELD]["markdown"] = result.markdown
        if out is not None and settings.render is Render.ROW:
            row = {**out, RESULT_FIELD: json.dumps(out[RESULT_FIELD], ensure_ascii=False, default=json_default)}
            payload = b""
        elif out is not None:
            payload = dump_record(out)
    except CleanerError as exc:
        return Outcome(task.seq, None, {}, type(exc).__name__, str(exc))
    except (Exception, SystemExit) as exc:  # a bug, not bad input: still one failed page
        return Outcome(task.seq, None, {}, type(exc).__name__, f"unexpected {type(exc).__name__}: {exc}")
    language = result.metadata.get("language")
    return Outcome(
        task.seq,
        payload,
        result.removals_by_category(),
        digest=text_digest(result.text),
        language=language if isinstance(language, str) else None,
        row=row,
        templated=sum(r.plugin == "templates" for r in result.removed) if cleaner.templates else 0,
    )


def text_digest(text: str) -> bytes:
    """The hash of a cleaned text with its white space normalised: :data:`DIGEST_BYTES` bytes (``--dedup``)."""
    normal = " ".join(text.split()).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(normal, digest_size=DIGEST_BYTES).digest()


def render_page(result: Result, source: str, render: Render) -> bytes:
    """A cleaned page's output bytes, exactly as ``clean`` prints it."""
    if render is Render.TEXT:
        text = result.text + "\n"
    elif render is Render.MARKDOWN:
        text = result.markdown + "\n"
    else:
        text = "".join(result.json_chunks({"source": source}, indent=2 if render is Render.JSON else None)) + "\n"
    return _utf8(text)


def parse_json_line(line: bytes | bytearray | str) -> Any:
    """One JSONL line's value; InputError when it is not JSON."""
    try:
        return json.loads(line)
    except UnicodeDecodeError as exc:
        raise InputError(f"the line is not UTF-8: {exc.reason} at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"the line is not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise InputError("the line is not JSON that can be read: nested too deep") from None


def clean_record(
    cleaner: Cleaner,
    record: Any,
    *,
    text_field: str = "text",
    url_field: str | None = None,
    kind: str | None = None,
    output_field: str | None = None,
    full: bool = False,
) -> tuple[dict[str, Any], Result]:
    """Clean the page in one record; the record with the cleaned text, and the result.

    Every field is kept; ``output_field`` (default: ``text_field``, replacing the page)
    gets the cleaned text and :data:`RESULT_FIELD` the title, removals per category,
    metadata and notes (:func:`record_summary`), or with ``full`` the whole result
    (:func:`result_field`).

    :raises InputError: the record is not an object, or has no text in ``text_field``
        (a string, or bytes: a Parquet binary column, decoded as a page file is).
    """
    text, url = record_page(record, text_field, url_field)
    result = cleaner.clean(text, url=url, kind=kind)
    out = dict(record)
    out[output_field or text_field] = result.text
    out[RESULT_FIELD] = result_field(result, full)
    return out, result


def record_page(record: Any, text_field: str, url_field: str | None) -> tuple[str | bytes, str | None]:
    """A record's page and URL (None when it has none); InputError as :func:`clean_record` says."""
    if not isinstance(record, dict):
        raise InputError(f"the record is a JSON {_json_type(record)}, not an object")
    if text_field not in record:
        raise InputError(f"the record has no {text_field!r} field")
    text = record[text_field]
    if not isinstance(text, (str, bytes)):
        raise InputError(f"the record's {text_field!r} is a JSON {_json_type(text)}, not a string")
    url = record.get(url_field) if url_field else None
    return text, url if isinstance(url, str) and url else None


def result_field(result: Result, full: bool) -> dict[str, Any]:
    """What a cleaned record gets under :data:`RESULT_FIELD`: the summary, or with ``full``
    the JSON of ``clean --format json`` less its text and body (the record's text holds them)."""
    if not full:
        return record_summary(result)
    whole = result.to_dict()
    del whole["text"], whole["body"]
    return whole


def record_summary(result: Result) -> dict[str, Any]:
    """What a cleaned record adds: title, kind, removals per category, metadata, notes."""
    return {
        "title": result.title,
        "kind": result.kind.value,
        "removed": result.removals_by_category(),
        "metadata": plain(result.metadata),
        "notes": list(result.notes),
    }


def dump_record(record: Mapping[str, Any]) -> bytes:
    """One JSONL line (with its newline), UTF-8."""
    return _utf8(json.dumps(record, ensure_ascii=False, default=json_default) + "\n")


def json_default(value: Any) -> Any:
    """JSON for what a Parquet row holds besides JSON's types: bytes as UTF-8 text, dates and
    times in ISO form, anything else (a decimal...) as its ``str``."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("the text holds a lone surrogate (invalid Unicode) and cannot be written as UTF-8") from None


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
