"""Reading batch inputs: folders, globs, JSONL files and WARC/WET files, as a stream of tasks.

Each input is read lazily, one page or record at a time, in a fixed order (folders are
walked in sorted order), so a run holds no corpus in memory and the n-th task is the
same on every run: that is what ``--resume`` counts on.

WARC and WET files are read with warcio (Webrecorder's library): it reads WARC, WET and
ARC, gzipped per record or not, and undoes an HTTP response's chunked transfer and
gzip / brotli content encoding, so the cleaner gets the page as the server meant it.
"""

from __future__ import annotations

import enum
import glob
import json
import lzma
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, cast

from cleaner.errors import InputError
from cleaner.outputs import compression_of, decompress, open_decompressed, strip_compression

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
WARC_SUFFIXES = (".warc", ".wet", ".arc")
PARQUET_SUFFIXES = (".parquet",)
# HTTP content types of the WARC response records that are cleaned (as HTML).
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_GLOB_CHARS = re.compile(r"[*?[]")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def read_bytes(path: str) -> bytes:
    """The bytes of the file at ``path``; InputError with a one-line reason if unreadable."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(missing_reason(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None


def missing_reason(path: str) -> str:
    """Why ``path`` cannot be read when it is not there: "no such file", with how to clean a URL."""
    if _URL.match(path):
        return f"no such file (clean reads files, not URLs: curl -s {path} | clean --url {path} -)"
    return "no such file"


class InputKind(str, enum.Enum):
    """What an input holds: one page per file, or many records per file."""

    PAGES = "pages"
    JSONL = "jsonl"
    WARC = "warc"
    PARQUET = "parquet"


class TaskMode(str, enum.Enum):
    """How a worker reads a task."""

    PAGE = "page"  # a whole file (or stdin) is one page
    JSON_LINE = "json-line"  # one line of a JSONL file, a record with a text field
    WARC_RECORD = "warc-record"  # the payload of a WARC/WET record
    ROW = "row"  # a record read already (a Parquet row), in ``fields``


@dataclass(frozen=True, slots=True)
class Task:
    """One page to clean, as a worker gets it.

    :ivar seq: its position in the run (0-based); outputs are written in this order.
    :ivar source: where it came from, as a user reads it: ``pages/a.txt``,
        ``corpus.jsonl:17`` (line 17), ``crawl.warc.gz#3`` (the third page record).
    :ivar mode: how to read it.
    :ivar content: the page, the JSON line or the record payload; None for a file that the
        worker reads itself from ``path``.
    :ivar path: the file to read when ``content`` is None.
    :ivar url: the page's URL, when known.
    :ivar kind: ``text``, ``html``, or None to sniff.
    :ivar fields: for a WARC record, the fields its output record starts with; for a
        Parquet row, the whole record.
    :ivar dest: for a page written to a folder, the output file.
    :ivar error: a failure found while reading, ``(error type, reason)``: not cleaned.
    :ivar size: the input's size in bytes, for the in-flight memory budget.
    """

    seq: int
    source: str
    mode: TaskMode
    content: bytes | str | None = None
    path: str | None = None
    url: str | None = None
    kind: str | None = None
    fields: Mapping[str, Any] | None = None
    dest: str | None = None
    error: tuple[str, str] | None = None
    size: int = 0

    def read(self) -> bytes | str:
        """The page's content: ``content``, or the file at ``path`` (decompressed by name)."""
        if self.content is not None:
            return self.content
        assert self.path is not None
        data = read_bytes(self.path)
        compression = compression_of(self.path)
        if compression is None:
            return data
        try:
            return decompress(data, compression)
        except Exception as exc:  # zlib.error, EOFError, zstd's ZstdError...
            raise InputError(f"cannot decompress ({compression}): {exc}") from None

    @property
    def filename(self) -> str | None:
        """The name to sniff text or HTML by (without a compression suffix)."""
        return strip_compression(self.path) if self.path else None


@dataclass
class Meter:
    """How far a run has got, for the progress bar.

    ``total`` and ``done`` count ``unit``: pages (a folder: pages done of pages found), or
    for record files bytes (the reading's position, ahead of the pages done, in the sizes
    of the files). The bar shows :attr:`pages_done` of :meth:`expected_pages`.
    """

    unit: str = "pages"
    total: int | None = None
    done: int = 0
    pages_read: int = 0  # records read so far (ahead of those done)
    pages_done: int = 0  # pages cleaned or failed, and those done before (--resume)
    finished: bool = False  # every input has been read
    _base: int = field(default=0, repr=False)

    def expected_pages(self) -> int | None:
        """How many pages the run holds: counted, or once every record is read, known; else
        estimated from the pages read per byte so far; None when nothing tells (a stream)."""
        if self.unit == "pages":
            return self.total
        if self.finished:
            return self.pages_read
        if self.total and self.done and self.pages_read:
            return max(self.pages_read, round(self.pages_read * self.total / self.done))
        return None


# -- telling inputs apart --------------------------------------------------------------


def is_glob(arg: str) -> bool:
    """The argument is a pattern for us to expand (quoted so the shell did not)."""
    return bool(_GLOB_CHARS.search(arg)) and not os.path.exists(arg)


def kind_of(name: str) -> InputKind:
    """What a file holds, by its name: ``.jsonl``, WARC/WET, or a page (each also compressed:
    ``.gz``, ``.zst``, ``.bz2``, ``.xz``), or ``.parquet`` (which compresses itself)."""
    if name.lower().endswith(PARQUET_SUFFIXES):
        return InputKind.PARQUET
    base = strip_compression(name).lower()
    if base.endswith(JSONL_SUFFIXES):
        return InputKind.JSONL
    if base.endswith(WARC_SUFFIXES):
        return InputKind.WARC
    return InputKind.PAGES


def glob_base(pattern: str) -> str:
    """The folder a pattern's matches are relative to: its path up to the first wildcard."""
    parts = pattern.split(os.sep)
    fixed: list[str] = []
    for part in parts[:-1]:
        if _GLOB_CHARS.search(part):
            break
        fixed.append(part)
    base = os.sep.join(fixed)
    if pattern.startswith(os.sep) and not base:
        return os.sep
    return base or "."


def expand_glob(pattern: str) -> list[str]:
    """The files matching ``pattern`` (``**`` spans folders), sorted; hidden files are not matched."""
    return sorted(p for p in glob.iglob(pattern, recursive=True) if os.path.isfile(p))


def walk_files(root: str, *, exclude: str | None = None) -> Iterator[str]:
    """Every file under ``root``, in sorted order, skipping hidden files and folders.

    :param exclude: a folder not to enter (the output folder when it lies inside ``root``).
    """
    excluded = os.path.realpath(exclude) if exclude else None
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and os.path.realpath(os.path.join(folder, d)) != excluded)
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(folder, name)


# -- record files ----------------------------------------------------------------------


def jsonl_lines(path: str, meter: Meter, *, stream: BinaryIO | None = None) -> Iterator[tuple[int, bytes | None, str | None]]:
    """The non-blank lines of a JSONL file (or of ``stream``): ``(line number, line, None)``.

    A file that cannot be read (missing, corrupt compression) ends with one
    ``(line number, None, reason)``.
    """
    lineno = 0
    try:
        raw = _Unclosed(stream) if stream is not None else open(path, "rb")
    except OSError as exc:
        yield 0, None, _os_reason(exc)
        return
    with raw:
        try:
            # stream is None: raw is the file opened above, not an _Unclosed
            lines = open_decompressed(cast(BinaryIO, raw), compression_of(path)) if stream is None else stream
            for lineno, line in enumerate(lines, 1):
                meter.done = meter._base + _tell(raw)
                if line.strip():
                    yield lineno, line, None
        except Exception as exc:  # OSError, EOFError, zlib.error, zstd's ZstdError
            yield lineno + 1, None, f"cannot read past line {lineno}: {type(exc).__name__}: {exc}"
    meter._base += _size(path)
    meter.done = meter._base


@dataclass(frozen=True, slots=True)
class WarcPage:
    """A WARC record to clean: its payload, URL, kind and the output record's first fields."""

    content: bytes | str
    url: str | None
    kind: str
    fields: dict[str, Any]


def warc_records(path: str, meter: Meter, *, stream: BinaryIO | None = None) -> Iterator[WarcPage | str | None]:
    """The pages of a WARC / WET / ARC file, in order.

    Yields a :class:`WarcPage` for each WET conversion record, text or HTML resource
    record, and 2xx HTML response record; None for any other record (requests,
    metadata, images...); a string, the reason, for a record cut short and when the
    rest of the file cannot be read.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        raw = _Unclosed(stream) if stream is not None else open(path, "rb")
    except OSError as exc:
        yield _os_reason(exc)
        return
    compression = compression_of(path) if stream is None else None
    with raw:
        try:
            # warcio reads gzip itself (a member a record); the other compressions are undone here
            # a compression means stream is None: raw is the file opened above, not an _Unclosed
            archive = open_decompressed(cast(BinaryIO, raw), compression) if compression not in (None, "gzip") else raw
            for record in ArchiveIterator(archive, arc2warc=True):
                meter.done = meter._base + _tell(raw)
                yield _warc_page(record, path)
            if archive is not raw and archive.read(1):  # EOFError when the stream is cut short
                raise ValueError("data past the last record")
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, lzma.LZMAError) as exc:
            yield f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        except Exception as exc:  # zstd's ZstdError
            if type(exc).__name__ != "ZstdError":
                raise
            yield f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
    meter._base += _size(path)
    meter.done = meter._base


def _warc_page(record: Any, path: str) -> WarcPage | str | None:
    headers = record.rec_headers
    rec_type = record.rec_type
    url = headers.get_header("WARC-Target-URI")
    if record.length is None and record.format == "warc":  # every WARC record has a Content-Length
        return f"a {rec_type or 'WARC'} record without Content-Length: the file is cut or corrupt here"
    if rec_type == "conversion":  # WET: the page's text, UTF-8
        kind = "text"
        charset: str | None = "utf-8"
    elif rec_type in ("response", "resource"):
        if rec_type == "response":
            http = record.http_headers
            if http is None or not http.get_statuscode().startswith("2"):
                return None
            content_type = http.get_header("Content-Type") or ""
        else:
            content_type = headers.get_header("Content-Type") or ""
        mime, charset = _content_type(content_type)
        if mime in HTML_CONTENT_TYPES:
            kind = "html"
        elif mime == "text/plain" and rec_type == "resource":
            kind = "text"
        else:
            return None
    else:
        return None
    data = record.content_stream().read()
    if getattr(record.raw_stream, "limit", 0):
        return f"the {rec_type} record of {url} is cut short (the file ends inside it)"
    content: bytes | str = data
    if charset:
        try:
            content = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            content = data  # a wrong label: let the decode stage find the encoding
    fields = {
        "url": url,
        "warc_record_id": headers.get_header("WARC-Record-ID"),
        "warc_date": headers.get_header("WARC-Date"),
        "warc_type": rec_type,
        "source": path,
    }
    return WarcPage(content, url, kind, fields)


def _content_type(value: str) -> tuple[str, str | None]:
    """``("text/html", "utf-8")`` from ``text/html; charset=UTF-8``."""
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return mime.strip().lower(), charset


def looks_like_jsonl(line: bytes, text_field: str = "text") -> str | None:
    """What the first line of a stream says it is: ``"records"``, a JSON object with a
    string in ``text_field`` (JSONL records: no page's text starts with such a line);
    ``"objects"``, a JSON object without one; None, anything else (a page)."""
    if not line.lstrip().startswith(b"{"):
        return None
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    return "records" if isinstance(record.get(text_field), str) else "objects"


def first_line(stream: BinaryIO) -> tuple[bytes, bytes]:
    """The first non-blank line of ``stream``, and every byte read to get it."""
    read = b""
    while True:
        line = stream.readline()
        read += line
        if not line or line.strip():
            return line, read


class PrefixedStream:
    """``prefix``, then the rest of ``stream``: standard input after its first line was looked at."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = prefix
        self._stream = stream

    def read(self, size: int | None = -1) -> bytes:
        if not self._prefix:
            return self._stream.read(-1 if size is None else size)
        if size is None or size < 0:
            data, self._prefix = self._prefix + self._stream.read(), b""
            return data
        data, self._prefix = self._prefix[:size], self._prefix[size:]
        return data + (self._stream.read(size - len(data)) if len(data) < size else b"")

    def readline(self, size: int | None = -1) -> bytes:
        if not self._prefix:
            return self._stream.readline()
        cut = self._prefix.find(b"\n") + 1
        if cut:
            line, self._prefix = self._prefix[:cut], self._prefix[cut:]
            return line
        line, self._prefix = self._prefix, b""
        return line + self._stream.readline()

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def tell(self) -> int:
        raise OSError("a stream has no position")


class _Unclosed:
    """A caller's stream (standard input) used in a ``with``, left open afterwards."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def __enter__(self) -> _Unclosed:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _tell(raw: Any) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):  # a pipe
        return 0


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return missing_reason(exc.filename) if isinstance(exc.filename, str) else "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)
