"""Where the outcomes of a batch go: files, a stream; the JSONL output is in :mod:`cleaner.batch.resume`."""

from __future__ import annotations

from typing import Any, BinaryIO

from cleaner.outputs import write_atomic
from cleaner.sources import Task


class _Sink:
    """Where outcomes go; ``advance`` after each task, then ``finish`` or ``suspend``."""

    def put(self, task: Task, payload: bytes) -> None:
        raise NotImplementedError

    def put_row(self, task: Task, row: dict[str, Any]) -> None:
        """A record as a row (a Parquet output); InputError when it does not fit the output."""
        raise NotImplementedError

    def advance(self, task: Task) -> None:
        pass

    def finish(self) -> None:
        pass

    def suspend(self) -> None:
        """Stop early, leaving what is written complete (and resumable)."""


class _FileSink(_Sink):
    def put(self, task: Task, payload: bytes) -> None:
        assert task.dest is not None
        write_atomic(task.dest, payload)


class _StreamSink(_Sink):
    def __init__(self, stream: BinaryIO, headers: bool) -> None:
        self.stream = stream
        self.headers = headers

    def put(self, task: Task, payload: bytes) -> None:
        if self.headers:
            self.stream.write(("\n" if task.seq else "").encode() + f"==> {task.source} <==\n".encode("utf-8", "replace"))
        self.stream.write(payload)
        self.stream.flush()
