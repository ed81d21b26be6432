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

from cleaner.batch.plan import BatchConfig, Plan
from cleaner.batch.sinks import _Sink
from cleaner.errors import ConfigError
from cleaner.outputs import LineLog, RecordWriter, remove, write_json_atomic
from cleaner.sources import Task

if TYPE_CHECKING:
    from cleaner.batch.run import BatchReport

# A JSONL output is made resumable (flushed, state saved) every this many pages.
CHECKPOINT_EVERY = 1000
_STATE_VERSION = 1


class _RecordSink(_Sink):
    """A JSONL output file, with its resume state and errors file checkpointed together."""

    def __init__(self, writer: RecordWriter, state_path: str, errors: LineLog, fingerprint: str, done: int) -> None:
        self.writer = writer
        self.state_path = state_path
        self.errors = errors
        self.fingerprint = fingerprint
        self.done = done
        self.since_checkpoint = 0

    def put(self, task: Task, payload: bytes) -> None:
        self.writer.write(payload)

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
        write_json_atomic(self.state_path, state)
        self.since_checkpoint = 0

    def finish(self) -> None:
        self.writer.commit()
        remove(self.state_path)

    def suspend(self) -> None:
        try:
            self.checkpoint()
        finally:
            self.writer.close()


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
            if not os.path.exists(part) or os.path.getsize(part) < state["output_bytes"]:
                raise ConfigError(f"{part} is missing or shorter than {state_path} says: remove {state_path} to start again")
            report.skipped_done = state["done"]
            writer = RecordWriter(plan.output, resume_at=state["output_bytes"])
            errors = LineLog(plan.errors_path, resume_at=state["errors_bytes"])
            return _RecordSink(writer, state_path, errors, fingerprint, state["done"]), state["done"]
        if os.path.exists(plan.output):
            return None
    remove(state_path)
    writer = RecordWriter(plan.output)
    return _RecordSink(writer, state_path, LineLog(plan.errors_path), fingerprint, 0), 0


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
        "options": {k: v for k, v in config.cleaner_options.items()},
    }
    blob = json.dumps(shaping, sort_keys=True, default=_describe_option)
    return hashlib.sha256(blob.encode("utf-8", "replace")).hexdigest()


def _describe_option(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(map(str, value))
    return getattr(value, "__qualname__", None) or type(value).__qualname__
