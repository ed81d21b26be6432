"""``clean`` on many pages: the batch options, the run with its progress bar and summary (docs/batch.md)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO

import click

from cleaner.cli_common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail, stdout_closed
from cleaner.errors import CleanerError

# Options that clean learn-templates shares.
URL_FIELD_OPTION = click.option(
    "--url-field", "url_field", metavar="NAME", help="JSONL / Parquet: the field holding the page's URL."
)
INPUT_FORMAT_OPTION = click.option(
    "--input-format",
    "input_format",
    type=click.Choice(["auto", "pages", "jsonl", "warc", "parquet"]),
    default="auto",
    show_default=True,
    help="What the inputs are; auto tells by name (.jsonl, .warc, .wet, also .gz / .zst; .parquet).",
)
PROGRESS_OPTION = click.option(
    "--progress/--no-progress", "progress", default=None, help="Show a progress bar (default: when stderr is a terminal)."
)

_BATCH_OPTIONS = (
    click.option(
        "-o",
        "--output",
        "output",
        metavar="PATH",
        help="Write here instead of printing: a folder for pages (same relative paths), "
        "a file for one page, NAME.jsonl[.gz|.zst] or NAME.parquet for records (JSONL, WARC, "
        "Parquet inputs, or one record a page).",
    ),
    click.option(
        "--jobs", "-j", "jobs", type=click.IntRange(min=1), metavar="N", help="Worker processes (default: one per core)."
    ),
    click.option(
        "--text-field",
        "text_field",
        metavar="NAME",
        help="JSONL / Parquet: the field holding the page (default: text); it gets the cleaned text.",
    ),
    URL_FIELD_OPTION,
    click.option(
        "--output-field",
        "output_field",
        metavar="NAME",
        help="JSONL / Parquet: put the cleaned text in this field, and keep the page in --text-field.",
    ),
    INPUT_FORMAT_OPTION,
    click.option(
        "--dedup",
        is_flag=True,
        help="Drop a page whose cleaned text (white space normalised) was written already in the run, "
        "and count it in the summary. Memory: an 8-byte hash per distinct page, 16-32 MB a million pages.",
    ),
    click.option(
        "--language",
        "language",
        multiple=True,
        metavar="CODES",
        help="Write only pages in these languages: ISO 639-1 codes, comma-separated or repeated (en,de); "
        "a page whose language is unknown is dropped. Dropped pages are counted in the summary.",
    ),
    click.option(
        "--learn-templates",
        "learn_templates",
        is_flag=True,
        help="Read the inputs twice: first learn each site's template (its lines on many of its pages: "
        "menus, footers, boxes; a site is the URL's host, else the page's folder), then clean with it. "
        "Sites of fewer than 3 pages are cleaned as without. 'clean learn-templates' saves them for --templates.",
    ),
    click.option(
        "--errors",
        "errors",
        metavar="FILE",
        help="List the pages that failed here (default: OUT/errors.jsonl, or NAME.errors.jsonl beside NAME.jsonl).",
    ),
    click.option("--strict", is_flag=True, help="Stop at the first page that fails."),
    click.option("--resume", is_flag=True, help="Skip what an interrupted run of the same command finished."),
    click.option(
        "--dask-scheduler",
        "dask_scheduler",
        metavar="ADDRESS",
        help="Clean on this Dask cluster (needs the 'dask' extra) instead of local processes.",
    ),
    PROGRESS_OPTION,
)
_BATCH_DEFAULTS = {
    "output": None,
    "jobs": None,
    "text_field": None,
    "url_field": None,
    "output_field": None,
    "input_format": "auto",
    "dedup": False,
    "language": (),
    "learn_templates": False,
    "errors": None,
    "strict": False,
    "resume": False,
    "dask_scheduler": None,
    "progress": None,
}


def batch_options(command: Any) -> Any:
    """Add the batch options to a click command."""
    for option in reversed(_BATCH_OPTIONS):
        command = option(command)
    return command


def wants_batch(files: Sequence[str], batch: dict[str, Any]) -> bool:
    """A batch run: -o, --progress or another batch option given, or an input that is a folder,
    a pattern, JSONL or WARC (a folder without -o is then the batch's usage error)."""
    from cleaner.sources import InputKind, is_glob, kind_of

    if batch.get("progress") or any(batch.get(k, v) != v for k, v in _BATCH_DEFAULTS.items() if k != "progress"):
        return True  # --no-progress alone is no batch: one page shows no bar anyway
    return any(f != "-" and (os.path.isdir(f) or is_glob(f) or kind_of(f) is not InputKind.PAGES) for f in files)


def clean_batch(
    files: Sequence[str],
    batch: dict[str, Any],
    options: dict[str, Any],
    *,
    kind: str,
    url: str | None,
    fmt: str,
    explain: bool,
    timeout: float | None,
    stdin: BinaryIO | None = None,
) -> None:
    """Run a batch (cleaner.batch), show its progress and summary on stderr, exit with its status."""
    from cleaner.batch import DEFAULT_PAGE_TIMEOUT, BatchConfig, BatchInterrupted, run_batch, summary_lines
    from cleaner.outputs import OutputError

    if explain:
        fail("--explain shows pages one at a time; it does not go with -o, --jobs, folders or records")
        sys.exit(EXIT_USAGE)
    config = BatchConfig(
        inputs=tuple(files),
        output=batch["output"],
        fmt=fmt,
        kind=None if kind == "auto" else kind,
        url=url,
        text_field=batch["text_field"],
        url_field=batch["url_field"],
        output_field=batch["output_field"],
        input_format=batch["input_format"],
        jobs=batch["jobs"],
        timeout=timeout if timeout is not None else DEFAULT_PAGE_TIMEOUT,
        strict=batch["strict"],
        resume=batch["resume"],
        errors=batch["errors"],
        cleaner_options=options,
        dask_scheduler=batch["dask_scheduler"],
        dedup=batch["dedup"],
        languages=tuple(batch["language"]),
        learn_templates=batch["learn_templates"],
    )
    show = batch["progress"] if batch["progress"] is not None else sys.stderr.isatty()
    bar = _ProgressBar() if show else None
    report = None
    code = EXIT_OK
    try:
        report = run_batch(config, progress=bar, stdin=stdin)
    except BatchInterrupted as exc:
        report, code = exc.report, EXIT_INTERRUPTED
    except OutputError as exc:
        report, code = getattr(exc, "report", None), EXIT_FAILED
        if bar is not None:
            bar.close()
        fail(str(exc))
    except CleanerError as exc:
        if bar is not None:
            bar.close()
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    finally:
        if bar is not None:
            bar.close()
    if report is None:
        sys.exit(code)
    if report.already_done:
        fail(f"{report.output} is complete already (remove it to clean again)")
        sys.exit(EXIT_OK)
    if report.output_closed:  # clean ... | head: quietly, as head's other writers end
        stdout_closed()
        for failure in report.failures:
            fail(f"{failure['source']}: {failure['reason']}")
        sys.exit(EXIT_OK if report.ok else EXIT_FAILED)
    for failure in report.failures:
        fail(f"{failure['source']}: {failure['reason']}")
    if report.failed > len(report.failures):
        fail(f"... and {report.failed - len(report.failures):,} more")
    for line in summary_lines(report):
        fail(line)
    if report.errors_path:
        fail(f"failures are listed in {report.errors_path}")
    if report.stopped:
        fail("stopped at the first failure (--strict)")
    if code == EXIT_INTERRUPTED:
        fail("interrupted")
    if report.resumable and (report.stopped or code != EXIT_OK) and config.output:
        fail("the outputs written are complete: run the same command with --resume to go on")
    if code == EXIT_OK and not report.ok:
        code = EXIT_FAILED
    sys.exit(code)


class _ProgressBar:
    """A rich progress bar on stderr: pages, pages/s, failures, elapsed time and ETA."""

    REFRESH_SECONDS = 0.2

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}{task.fields[pages]:>9,} pages"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[rate]:>7.1f} pages/s"),
            TextColumn("{task.fields[failed]:,} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("", total=None, pages=0, rate=0.0, failed=0)
        self._progress.start()
        self._last = 0.0
        self._phase = "clean"

    def __call__(self, report: Any, meter: Any) -> None:
        import time

        now = time.monotonic()
        phase = getattr(report, "phase", "clean")
        if phase != self._phase:  # --learn-templates: the first pass read the pages, now they are cleaned
            self._phase = phase
            self._progress.reset(self._task, description="learning templates: " if phase == "learn" else "")
        elif now - self._last < self.REFRESH_SECONDS:
            return
        self._last = now
        elapsed = self._progress.tasks[0].elapsed or 0.0
        rate = report.pages_in / elapsed if elapsed else 0.0
        # the bar, its percent and ETA count pages done, of those the inputs hold (counted, or
        # estimated from the bytes read while records are still being read)
        self._progress.update(
            self._task,
            total=meter.expected_pages(),
            completed=meter.pages_done,
            pages=report.pages_in,
            rate=rate,
            failed=report.failed,
        )

    def close(self) -> None:
        if self._progress.live.is_started:
            self._progress.stop()
