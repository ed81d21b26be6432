"""The run of a batch (:func:`run_batch`) and its report and summary (:class:`BatchReport`)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from cleaner.batch.filters import DUPLICATE, PageFilter, SeenHashes, parse_languages
from cleaner.batch.learn import learn_batch
from cleaner.batch.plan import BatchConfig, Target, _count_pages, _page_tasks, _record_tasks, plan_batch
from cleaner.batch.pool import LocalPool, _cores
from cleaner.batch.resume import _open_records, _RecordSink
from cleaner.batch.sinks import _FileSink, _Sink, _StreamSink
from cleaner.batch.worker import Executor, Outcome, Render, Settings
from cleaner.engine import Cleaner
from cleaner.errors import ConfigError, InputError
from cleaner.outputs import LineLog, OutputError
from cleaner.sources import InputKind, Meter, Task

# Failures kept in the report for the command line to show (all go to the errors file).
MAX_LISTED_FAILURES = 20


@dataclass
class BatchReport:
    """What a batch run did.

    :ivar pages_in: pages read and cleaned or failed in this run.
    :ivar pages_out: pages written.
    :ivar failed: pages that failed (each is in the errors file).
    :ivar skipped_done: pages skipped because an earlier run wrote them (``--resume``).
    :ivar skipped_other: WARC records that are not pages (requests, images, metadata...).
    :ivar duplicates: pages cleaned but not written: their cleaned text was written already (``--dedup``).
    :ivar other_language: pages cleaned but not written: not in a language of ``--language``.
    :ivar removed: blocks removed per category, over all written pages.
    :ivar failures: the first :data:`MAX_LISTED_FAILURES` failures, as in the errors file.
    :ivar output: where the outputs went (None: standard output).
    :ivar errors_path: the errors file, when one was written.
    :ivar interrupted: the run was stopped by Ctrl-C.
    :ivar stopped: why the run stopped early (``--strict``), or None.
    :ivar resumable: a ``--resume`` run continues where this one stopped.
    :ivar already_done: the output was complete before this run; nothing was done.
    :ivar elapsed: seconds.
    :ivar workers_replaced: workers stopped (a page over its time limit) or dead, and replaced.
    :ivar phase: what the run is at: ``learn`` (the first pass of ``--learn-templates``,
        which reads the pages) or ``clean``; the progress callback sees both.
    :ivar templated: of the blocks removed, those the sites' templates removed.
    :ivar output_closed: standard output's reader went away (``clean ... | head``): the run
        stopped there, quietly.
    """

    pages_in: int = 0
    pages_out: int = 0
    failed: int = 0
    skipped_done: int = 0
    skipped_other: int = 0
    duplicates: int = 0
    other_language: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, Any]] = field(default_factory=list)
    output: str | None = None
    errors_path: str | None = None
    interrupted: bool = False
    stopped: str | None = None
    resumable: bool = False
    already_done: bool = False
    elapsed: float = 0.0
    workers_replaced: int = 0
    output_closed: bool = False
    phase: str = "clean"
    templated: int = 0

    @property
    def ok(self) -> bool:
        return not (self.failed or self.interrupted or self.stopped)

    @property
    def pages_per_second(self) -> float:
        return self.pages_in / self.elapsed if self.elapsed > 0 else 0.0


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the run; the outputs written are complete. ``report`` says how far it got."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__("interrupted")
        self.report = report


ProgressCallback = Callable[[BatchReport, Meter], None]


def run_batch(
    config: BatchConfig,
    *,
    progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
) -> BatchReport:
    """Clean every page of ``config.inputs`` into ``config.output``.

    A page that fails never stops the run (unless ``config.strict``): it goes to the
    errors file and ``report.failed`` counts it.

    :param progress: called after each page with the report so far and the reading meter.
    :param stdin: where ``-`` reads from (default: standard input).
    :param stdout: where outputs go without ``output`` (default: standard output).
    :raises ConfigError: inputs and options that do not go together, a bad Cleaner option.
    :raises OutputError: an output cannot be written (full disk, read-only folder);
        the error's ``report`` attribute says how far the run got.
    :raises BatchInterrupted: Ctrl-C; what was written is complete and resumable.
    """
    started = time.monotonic()
    plan = plan_batch(config)
    options = dict(config.cleaner_options)
    options["time_limit"] = config.timeout
    full = config.fmt == "json" and plan.render in (Render.RECORD, Render.ROW)
    settings = Settings(
        plan.render, config.page_field, config.url_field, config.output_field, full, markdown=config.fmt == "markdown"
    )
    if config.learn_templates:  # the first pass: the sites' templates, for every worker
        options["templates"] = learn_batch(plan, config, settings, options, _learning(progress))
    executor = _executor(config, options, settings)  # local workers' server starts now, while the run is planned
    Cleaner(**options).close()  # a bad option is one clear error now, not one per worker
    report = BatchReport(output=plan.output)
    out_stream = stdout if stdout is not None else sys.stdout.buffer

    meter = Meter()
    errors = LineLog(plan.errors_path) if plan.target is not Target.RECORDS else None
    sink: _Sink
    skip = 0
    if config.resume and plan.target in (Target.STDOUT, Target.RECORDS_STDOUT):
        raise ConfigError("--resume needs -o: there is nothing to resume on standard output")
    if plan.target is Target.STDOUT:
        sink = _StreamSink(out_stream, headers=plan.render in (Render.TEXT, Render.MARKDOWN) and plan.several)
    elif plan.target is Target.RECORDS_STDOUT:
        sink = _StreamSink(out_stream, headers=False)
    elif plan.target is Target.RECORDS:
        opened = _open_records(plan, config, report)
        if opened is None:
            report.already_done = True
            report.elapsed = time.monotonic() - started
            return report
        sink, skip = opened
        errors = sink.errors
    else:
        sink = _FileSink()
    languages = parse_languages(config.languages) if config.languages else None
    seen = (getattr(sink, "seen", None) or SeenHashes()) if config.dedup else None
    keep = PageFilter(languages, seen)
    if plan.kind is InputKind.PAGES:
        tasks = _page_tasks(plan, config, report, stdin)
        if skip:  # pages into JSONL, resumed: the first ``skip`` are in it
            tasks = (task for task in tasks if task.seq >= skip)
        if progress is not None:
            meter.total = _count_pages(plan)
    else:
        meter.unit = "bytes"
        meter.total = sum(os.path.getsize(i.arg) for i in plan.inputs if i.what == "file")
        tasks = _record_tasks(plan, config, report, meter, skip, stdin)
    assert errors is not None
    try:
        with executor, _HoldCtrlC() as ctrl_c:
            for task, outcome in executor.run(tasks):
                with ctrl_c.hold():  # a record is written whole, or not at all
                    report.pages_in += 1
                    dropped = keep.dropped(outcome) if keep and outcome.ok else None
                    if dropped is not None:
                        if dropped == DUPLICATE:
                            report.duplicates += 1
                        else:
                            report.other_language += 1
                    elif outcome.ok:
                        assert outcome.payload is not None
                        try:
                            if outcome.row is not None:
                                sink.put_row(task, outcome.row)
                            else:
                                sink.put(task, outcome.payload)
                        except BrokenPipeError:  # standard output's reader has gone (| head)
                            report.output_closed = True
                            break
                        except InputError as exc:  # the record does not fit the output (a Parquet column)
                            outcome = Outcome(task.seq, None, {}, "InputError", str(exc))
                            _record_failure(report, errors, task, outcome)
                        else:
                            report.pages_out += 1
                            report.removed.update(outcome.removed)
                            report.templated += outcome.templated
                    else:
                        _record_failure(report, errors, task, outcome)
                    sink.advance(task)
                meter.pages_done = report.pages_in + report.skipped_done
                if plan.kind is InputKind.PAGES:
                    meter.done = meter.pages_done
                if progress is not None:
                    progress(report, meter)
                if config.strict and not outcome.ok:
                    report.stopped = f"{task.source}: {outcome.reason}"
                    break
        if report.stopped:
            sink.suspend()
            report.resumable = True
        else:
            sink.finish()
    except KeyboardInterrupt:
        report.interrupted = True
        report.resumable = _suspend_quietly(sink)
        raise BatchInterrupted(report) from None
    except OutputError as exc:
        report.resumable = _suspend_quietly(sink)
        exc.report = report  # type: ignore[attr-defined]
        raise
    finally:
        errors.close()
        report.workers_replaced = executor.replaced
        report.errors_path = plan.errors_path if errors.written else None
        report.elapsed = time.monotonic() - started
    return report


class _HoldCtrlC:
    """For a run: hold Ctrl-C off while a page's output is written (:meth:`hold`), act on it right after.

    Without it, Ctrl-C between compressing a record and writing the compressed bytes
    would leave a stream that cannot be decompressed. The handler is set once for the
    run, not per page (that costs two system calls a page); it stands in for a Python
    handler (usually the one raising KeyboardInterrupt) and calls it when not holding.
    Only the main thread gets signals.
    """

    def __enter__(self) -> _HoldCtrlC:
        self.holding = False
        self.pressed: tuple[int, Any] | None = None
        self.previous: Any = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if callable(previous):  # not SIG_IGN, SIG_DFL, or None (a handler Python did not set)
                self.previous = signal.signal(signal.SIGINT, self._press)
        return self

    def _press(self, signum: int, frame: Any) -> None:
        if self.holding:
            self.pressed = (signum, frame)
        else:
            self.previous(signum, frame)

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.pressed is not None:
            pressed, self.pressed = self.pressed, None
            self.previous(*pressed)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def _executor(config: BatchConfig, options: Mapping[str, Any], settings: Settings) -> Executor:
    """Local worker processes, or a Dask cluster (imported only then: the extra may be missing)."""
    if config.dask_scheduler:
        try:
            from cleaner.dask import DaskExecutor
        except ImportError as exc:
            raise ConfigError(f"--dask-scheduler needs the 'dask' extra (pip install 'cleaner[dask]'): {exc}") from None
        return DaskExecutor(config.dask_scheduler, options, settings)
    jobs = config.jobs if config.jobs is not None else _cores()
    return LocalPool(jobs, options, settings, config.timeout)


def _record_failure(report: BatchReport, errors: LineLog, task: Task, outcome: Outcome) -> None:
    report.failed += 1
    entry: dict[str, Any] = {"source": task.source}
    if task.url:
        entry["url"] = task.url
    entry["error"] = outcome.error
    entry["reason"] = outcome.reason
    errors.write(entry)
    if len(report.failures) < MAX_LISTED_FAILURES:
        report.failures.append(entry)


def _suspend_quietly(sink: _Sink) -> bool:
    """Suspend the sink; False if even that failed (a full disk): the last checkpoint stands."""
    try:
        sink.suspend()
    except (OutputError, OSError):
        return isinstance(sink, _RecordSink)
    return not isinstance(sink, _StreamSink)


def _learning(progress: ProgressCallback | None) -> Callable[[int, int | None], None] | None:
    """The progress callback of the first pass of ``--learn-templates``: a report in the
    ``learn`` phase, pages read of the pages in all."""
    if progress is None:
        return None

    def step(n: int, total: int | None) -> None:
        progress(BatchReport(pages_in=n, phase="learn"), Meter(total=total, pages_done=n, pages_read=n))

    return step


def summary_lines(report: BatchReport) -> list[str]:
    """The end-of-run summary, a few lines for stderr."""
    lines = []
    parts = [f"{_count(report.pages_in, 'page')} in", f"{report.pages_out:,} out", f"{report.failed:,} failed"]
    if report.skipped_done:
        parts.append(f"{report.skipped_done:,} skipped (done before)")
    if report.skipped_other:
        parts.append(f"{_count(report.skipped_other, 'record')} not pages (skipped)")
    if report.duplicates:
        parts.append(f"{report.duplicates:,} {'duplicate' if report.duplicates == 1 else 'duplicates'} dropped")
    if report.other_language:
        parts.append(f"{report.other_language:,} in other languages dropped")
    parts.append(f"{report.elapsed:.1f}s ({report.pages_per_second:,.1f} pages/s)")
    lines.append(", ".join(parts))
    if report.removed:
        removed = ", ".join(f"{cat} {n:,}" for cat, n in sorted(report.removed.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"removed: {removed}")
    if report.templated:
        lines.append(f"site templates removed {_count(report.templated, 'line')} of those")
    if report.workers_replaced:
        lines.append(f"{report.workers_replaced} worker(s) stopped and replaced (a page over its time limit, or a crash)")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
