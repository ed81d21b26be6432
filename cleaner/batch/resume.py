"""Resuming a batch: the JSONL output checkpointed with its state file, and reopened from it.

Every :data:`CHECKPOINT_EVERY` pages the JSONL output is flushed and a state file beside
it (``NAME.jsonl.resume.json``) says how many records and bytes are complete, for the
inputs and options its fingerprint names; ``--resume`` goes on from there.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

from cleaner.batch.filters import SeenHashes, parse_languages
from cleaner.batch.plan import BatchConfig, Plan
from cleaner.batch.sinks import _Sink
from cleaner.batch.worker import RESULT_FIELD
from cleaner.errors import ConfigError
from cleaner.outputs import LineLog, RecordWriter, remove, write_json_atomic
from cleaner.parquet import ParquetRecordWriter, names_parquet, output_schema, read_schema
from cleaner.sources import InputKind, Task

if TYPE_CHECKING:
    from cleaner.batch.run import BatchReport

# A JSONL output is made resumable (flushed, state saved) every this many pages.
CHECKPOINT_EVERY = 1000
_STATE_VERSION = 1
# Beside a JSONL or Parquet output with --dedup: the hashes of the pages written (cleaner.batch.filters).
SEEN_SUFFIX = ".seen"


class _RecordSink(_Sink):
    """A JSONL or Parquet output file, with its resume state, errors file (and --dedup's
    hashes, ``seen``) checkpointed together."""

    def __init__(
        self,
        writer: RecordWriter | ParquetRecordWriter,
        state_path: str,
        errors: LineLog,
        fingerprint: str,
        done: int,
        seen: SeenHashes | None = None,
    ) -> None:
        self.writer = writer
        self.state_path = state_path
        self.errors = errors
        self.fingerprint = fingerprint
        self.done = done
        self.seen = seen
        self.since_checkpoint = 0

    def put(self, task: Task, payload: bytes) -> None:
        assert isinstance(self.writer, RecordWriter)
        self.writer.write(payload)

    def put_row(self, task: Task, row: dict[str, Any]) -> None:
        assert isinstance(self.writer, ParquetRecordWriter)
        self.writer.write_row(row, task.source)

    def advance(self, task: Task) -> None:
        self.done = task.seq + 1
        self.since_checkpoint += 1
        if self.since_checkpoint >= CHECKPOINT_EVERY:
            self.checkpoint()

    def checkpoint(self) -> None:
        state = {
            "version": _STATE_VERSION,
            "fingerprint": self.fingerprint,
            "done": self.done,
            "output_bytes": self.writer.checkpoint(),
            "errors_bytes": self.errors.offset(),
        }
        if self.seen is not None:
            state["seen_bytes"] = self.seen.checkpoint()
        write_json_atomic(self.state_path, state)
        self.since_checkpoint = 0

    def finish(self) -> None:
        self.writer.commit()
        remove(self.state_path)
        if self.seen is not None:
            self.seen.discard()

    def suspend(self) -> None:
        try:
            self.checkpoint()
        finally:
            self.writer.close()
            if self.seen is not None:
                self.seen.close()


def _open_records(plan: Plan, config: BatchConfig, report: BatchReport) -> tuple[_RecordSink, int] | None:
    """The JSONL output's writer, resumed from its state file on --resume; None if already complete."""
    assert plan.output is not None and plan.state_path is not None
    fingerprint = _fingerprint(plan, config)
    state_path = plan.state_path
    if config.resume:
        state = _read_state(state_path)
        if state is not None:
            if state.get("fingerprint") != fingerprint:
                raise ConfigError(
                    f"{state_path} was written by a run with other inputs or options: run the same command "
                    f"to resume it, or remove it and {plan.output}.part to start again"
                )
            part = plan.output + ".part"
            if not _resumable(plan.output, state["output_bytes"]):
                raise ConfigError(f"{part} is missing or shorter than {state_path} says: remove {state_path} to start again")
            if config.dedup and not isinstance(state.get("seen_bytes"), int):
                raise ConfigError(f"{state_path} was written without --dedup: run the same command to resume it")
            report.skipped_done = state["done"]
            writer = _writer(plan, config, resume_at=state["output_bytes"])
            errors = LineLog(plan.errors_path, resume_at=state["errors_bytes"])
            seen = SeenHashes(plan.output + SEEN_SUFFIX, resume_at=state["seen_bytes"]) if config.dedup else None
            return _RecordSink(writer, state_path, errors, fingerprint, state["done"], seen), state["done"]
        if os.path.exists(plan.output):
            return None
    remove(state_path)
    writer = _writer(plan, config)
    seen = SeenHashes(plan.output + SEEN_SUFFIX) if config.dedup else None
    return _RecordSink(writer, state_path, LineLog(plan.errors_path), fingerprint, 0, seen), 0


def _writer(plan: Plan, config: BatchConfig, resume_at: int | None = None) -> RecordWriter | ParquetRecordWriter:
    """The output's writer: JSONL, or Parquet by the name (with a Parquet input's columns)."""
    assert plan.output is not None
    if not names_parquet(plan.output):
        return RecordWriter(plan.output, resume_at=resume_at)
    text_field = config.output_field or config.page_field if plan.kind in (InputKind.JSONL, InputKind.PARQUET) else "text"
    schema = None
    if plan.kind is InputKind.PARQUET:
        first = next((i.arg for i in plan.inputs if i.what == "file"), None)
        schema = output_schema(read_schema(first), text_field, RESULT_FIELD) if first else None
    return ParquetRecordWriter(plan.output, schema, empty_columns=(text_field, RESULT_FIELD), resume_at=resume_at)


def _resumable(output: str, offset: int) -> bool:
    if names_parquet(output):
        return ParquetRecordWriter.resumable(output, offset)
    part = output + ".part"
    return os.path.exists(part) and os.path.getsize(part) >= offset


def _read_state(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            state = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the resume state {path}: {exc}; remove it to start again") from None
    if (
        not isinstance(state, dict)
        or state.get("version") != _STATE_VERSION
        or not all(isinstance(state.get(k), int) for k in ("done", "output_bytes", "errors_bytes"))
    ):
        raise ConfigError(f"{path} is not a resume state this version writes; remove it to start again")
    return state


def _fingerprint(plan: Plan, config: BatchConfig) -> str:
    """Identifies the inputs (name, size, time) and the options that shape the output."""
    inputs = []
    for item in plan.inputs:
        try:
            st = os.stat(item.arg)
            inputs.append([os.path.abspath(item.arg), st.st_size, st.st_mtime_ns])
        except OSError:
            inputs.append([item.arg, None, None])
    shaping = {
        "inputs": inputs,
        "kind": config.kind,
        "text_field": config.page_field,
        "url_field": config.url_field,
        "output_field": config.output_field,
        "fmt": config.fmt,
        "input_format": config.input_format,
        "dedup": config.dedup,
        "languages": sorted(parse_languages(config.languages)) if config.languages else [],
        "options": {k: v for k, v in config.cleaner_options.items()},
    }
    blob = json.dumps(shaping, sort_keys=True, default=_describe_option)
    return hashlib.sha256(blob.encode("utf-8", "replace")).hexdigest()


def _describe_option(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(map(str, value))
    return getattr(value, "__qualname__", None) or type(value).__qualname__
