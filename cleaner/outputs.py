"""Writing batch outputs so that nothing half-written ever sits under an output's name.

* A page's output file is written to a temporary file beside it and renamed over the
  final name (:func:`write_atomic`): after a crash or Ctrl-C a file is whole or absent.
* A JSONL output grows in ``NAME.part`` (:class:`RecordWriter`) and is renamed to NAME
  when the run completes. At every checkpoint its compressed stream ends a gzip member
  or zstd frame, so the file cut at a checkpoint's offset is valid, and ``--resume``
  truncates it there and appends.
* ``.gz``, ``.zst``, ``.bz2`` and ``.xz`` names are compressed and decompressed
  transparently (bzip2 and xz by the standard library's bz2 and lzma: the reference C
  libraries, and no dependency; their streams, like gzip members and zstd frames, can be
  concatenated, which the checkpoints need).

A failing write (a full disk, a read-only folder) raises :class:`OutputError` and leaves
no temporary file behind.
"""

from __future__ import annotations

import bz2
import errno
import io
import itertools
import json
import lzma
import os
import zlib
from typing import IO, Any, BinaryIO

from cleaner.errors import CleanerError

GZIP_LEVEL = 6
ZSTD_LEVEL = 3
BZIP2_LEVEL = 9  # bzip2's own default
XZ_PRESET = 6  # xz's own default
# zlib's wbits for a gzip header and trailer (the header's time stamp is 0: same bytes every run).
_GZIP_WBITS = 16 + zlib.MAX_WBITS
COMPRESSIONS = {".gz": "gzip", ".zst": "zstd", ".bz2": "bzip2", ".xz": "xz"}
PART_SUFFIX = ".part"


class OutputError(CleanerError):
    """An output cannot be written: a full disk, a read-only or missing folder, a bad name."""


def compression_of(name: str) -> str | None:
    """``"gzip"``, ``"zstd"`` or None, by the name's last suffix."""
    for suffix, compression in COMPRESSIONS.items():
        if name.lower().endswith(suffix):
            return compression
    return None


def strip_compression(name: str) -> str:
    """The name without a compression suffix (``.gz``, ``.zst``, ``.bz2``, ``.xz``)."""
    for suffix in COMPRESSIONS:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def compress(data: bytes, compression: str | None) -> bytes:
    """``data`` compressed; the same bytes for the same data on every run."""
    if compression == "gzip":
        co = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
        return co.compress(data) + co.flush()
    if compression == "zstd":
        import zstandard

        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)
    if compression == "bzip2":
        return bz2.compress(data, BZIP2_LEVEL)
    if compression == "xz":
        return lzma.compress(data, preset=XZ_PRESET)
    return data


def decompress(data: bytes, compression: str | None) -> bytes:
    """``data`` decompressed (every gzip member, zstd frame, bzip2 or xz stream)."""
    if compression == "gzip":
        import gzip

        return gzip.decompress(data)
    if compression == "zstd":
        import zstandard

        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True) as reader:
            return reader.read()
    if compression == "bzip2":
        return bz2.decompress(data)
    if compression == "xz":
        return lzma.decompress(data)
    return data


def open_decompressed(raw: BinaryIO, compression: str | None) -> IO[bytes]:
    """A buffered stream of the decompressed bytes of ``raw`` (iterate it for lines)."""
    if compression == "gzip":
        import gzip

        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"))
    if compression == "zstd":
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True))
    if compression == "bzip2":
        return io.BufferedReader(bz2.BZ2File(raw, "rb"))
    if compression == "xz":
        return io.BufferedReader(lzma.LZMAFile(raw, "rb"))
    return raw


def describe(exc: OSError, path: str) -> str:
    """``cannot write PATH: <the system's words>``, one line."""
    why = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        why = "No space left on device"
    return f"cannot write {path}: {why}"


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it.

    The folder is made only when it is missing, and the temporary file is created with
    the usual permissions (``0o666`` less the umask): a batch writes thousands of files,
    and each saved system call counts.

    :raises OutputError: the folder cannot be made or written (no file is left behind).
    """
    folder, name = os.path.split(path)
    try:
        while True:
            tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_temp_numbers)}.tmp")
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
                break
            except FileExistsError:  # left by an earlier process with this id: take the next name
                continue
            except FileNotFoundError:
                if not folder or os.path.isdir(folder):
                    raise
                os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe(exc, path)) from None
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise OutputError(describe(exc, path)) from None
    except BaseException:
        _unlink(tmp)
        raise


_temp_numbers = itertools.count()


def write_json_atomic(path: str, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically (state files)."""
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def remove(path: str) -> None:
    """Remove a file if it is there."""
    _unlink(path)


class RecordWriter:
    """Write a stream of JSON lines to ``PATH.part``, renamed to PATH when complete.

    :param path: the final name; ``.gz`` / ``.zst`` compress.
    :param resume_at: continue a ``.part`` file cut at this byte offset (a checkpoint's);
        None starts a new one.
    """

    def __init__(self, path: str, *, resume_at: int | None = None) -> None:
        self.path = path
        self.part = path + PART_SUFFIX
        self.compression = compression_of(path)
        self._member: Any = None  # the open gzip member / zstd frame, if any
        self._failed = False  # a write failed: only the last checkpoint can be trusted
        folder = os.path.dirname(path) or "."
        try:
            os.makedirs(folder, exist_ok=True)
            if resume_at is None:
                self._raw: BinaryIO = open(self.part, "wb")
            else:
                self._raw = open(self.part, "r+b")
                self._raw.truncate(resume_at)
                self._raw.seek(resume_at)
        except OSError as exc:
            raise OutputError(describe(exc, self.part)) from None

    def write(self, data: bytes) -> None:
        """Append ``data`` (whole lines)."""
        self._check()
        try:
            if self.compression is None:
                self._raw.write(data)
            else:
                self._raw.write(self._compressor().compress(data))
        except OSError as exc:
            self._failed = True
            raise OutputError(describe(exc, self.part)) from None

    def checkpoint(self) -> int:
        """End the compressed member, flush to the system; the byte offset to resume at."""
        self._check()
        try:
            if self._member is not None:
                member, self._member = self._member, None
                self._raw.write(member.flush())
            self._raw.flush()
            return self._raw.tell()
        except OSError as exc:
            self._failed = True
            raise OutputError(describe(exc, self.part)) from None

    def _check(self) -> None:
        if self._failed:
            raise OutputError(f"cannot write {self.part}: an earlier write failed")

    def commit(self) -> None:
        """Finish the file and give it its final name."""
        self.checkpoint()
        try:
            self._raw.close()
            os.replace(self.part, self.path)
        except OSError as exc:
            raise OutputError(describe(exc, self.path)) from None

    def close(self) -> None:
        """Close without renaming (the ``.part`` file stays for ``--resume``)."""
        try:
            self._raw.close()
        except OSError:
            pass

    def discard(self) -> None:
        """Close and remove the ``.part`` file."""
        self.close()
        _unlink(self.part)

    def _compressor(self) -> Any:
        if self._member is None:
            if self.compression == "gzip":
                self._member = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
            elif self.compression == "bzip2":
                self._member = bz2.BZ2Compressor(BZIP2_LEVEL)
            elif self.compression == "xz":
                self._member = lzma.LZMACompressor(preset=XZ_PRESET)
            else:
                import zstandard

                self._member = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        return self._member


class LineLog:
    """An append-only file of JSON lines (the errors file), created on the first line.

    :param path: where; None keeps nothing (the lines are only counted).
    :param resume_at: keep the first ``resume_at`` bytes of an existing file and append.
    """

    def __init__(self, path: str | None, *, resume_at: int | None = None) -> None:
        self.path = path
        self._fh: BinaryIO | None = None
        self._resume_at = resume_at
        if path is None:
            return
        if resume_at is None:
            _unlink(path)  # a stale list from an earlier run would mislead
        elif os.path.exists(path):
            try:  # lines past the checkpoint belong to pages that are cleaned again
                self._fh = open(path, "r+b")
                self._fh.truncate(resume_at)
                self._fh.seek(resume_at)
            except OSError as exc:
                raise OutputError(describe(exc, path)) from None

    def write(self, entry: dict[str, Any]) -> None:
        if self.path is None:
            return
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            if self._fh is None:
                folder = os.path.dirname(self.path) or "."
                os.makedirs(folder, exist_ok=True)
                self._fh = open(self.path, "wb")
            self._fh.write(line)
            self._fh.flush()
        except OSError as exc:
            raise OutputError(describe(exc, self.path)) from None

    def offset(self) -> int:
        """Bytes written so far (what a resumed run keeps)."""
        if self._fh is not None:
            return self._fh.tell()
        return self._resume_at or 0

    @property
    def written(self) -> bool:
        return self._fh is not None or bool(self._resume_at)

    def close(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
