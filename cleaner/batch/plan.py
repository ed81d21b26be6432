"""Planning a batch: what the inputs are, which outputs they become, and the tasks read from them.

:func:`plan_batch` tells what a :class:`BatchConfig` reads and where it writes (a
:class:`Plan`); :func:`_page_tasks` and :func:`_record_tasks` read the inputs lazily into
:class:`~cleaner.sources.Task` s, in a fixed order, each with where its output goes.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from cleaner.batch.filters import parse_languages
from cleaner.batch.worker import Render
from cleaner.errors import ConfigError
from cleaner.outputs import compression_of, strip_compression
from cleaner.parquet import names_parquet, parquet_rows, read_schema, require_pyarrow
from cleaner.sources import (
    JSONL_SUFFIXES,
    InputKind,
    Meter,
    Task,
    TaskMode,
    expand_glob,
    glob_base,
    is_glob,
    jsonl_lines,
    kind_of,
    missing_reason,
    walk_files,
    warc_records,
)

if TYPE_CHECKING:
    from cleaner.batch.run import BatchReport

# A page may take this long (seconds) in a batch unless --timeout says otherwise.
DEFAULT_PAGE_TIMEOUT = 120.0
# The errors file's name inside an output folder.
ERRORS_NAME = "errors.jsonl"
# The resume state beside a JSONL output (NAME.jsonl.resume.json, see cleaner.batch.resume).
STATE_SUFFIX = ".resume.json"
# Output names that mean one file, never a folder (besides JSONL's and a compression suffix).
FILE_SUFFIXES = (".json", ".txt", ".md", ".html", ".htm", ".xml", ".csv", ".tsv", ".parquet")
# Pages by these names hold HTML: cleaned into a folder, their outputs are named .txt.
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class BatchConfig:
    """What to clean, how, and where the outputs go.

    :ivar inputs: files, folders, quoted glob patterns (``pages/**/*.txt``), JSONL files
        (``.jsonl``, ``.ndjson``, also ``.gz`` / ``.zst``), WARC / WET / ARC files, Parquet
        files (``.parquet``), or ``-``.
    :ivar output: a folder (pages), a file (one page, or the JSONL or Parquet of records),
        or None for standard output.
    :ivar fmt: ``text``, ``json`` or ``markdown``: what a page's output file holds; for
        JSONL records, ``json`` puts the whole result (every removal) in their result field,
        ``markdown`` the page's Markdown (``markdown``) beside the summary.
    :ivar kind: ``text``, ``html``, or None to sniff each page (WARC records say it themselves).
    :ivar url: the URL of the one page given.
    :ivar text_field: the JSONL field holding the page (None: ``text``), replaced by the
        cleaned text unless ``output_field`` is given.
    :ivar url_field: the JSONL field holding the page's URL, if any.
    :ivar output_field: the JSONL field the cleaned text goes to (None: ``text_field``).
    :ivar input_format: ``auto`` (by file name), ``pages``, ``jsonl``, ``warc`` or ``parquet``.
    :ivar jobs: worker processes; None means one per core.
    :ivar timeout: seconds one page may take; None means no limit.
    :ivar strict: stop at the first failure.
    :ivar resume: skip what an earlier, interrupted run of the same command finished.
    :ivar errors: the errors file; None means the default (``OUT/errors.jsonl``,
        ``NAME.errors.jsonl`` beside a JSONL output, none on standard output).
    :ivar cleaner_options: keyword arguments of :class:`~cleaner.Cleaner` (``keep``,
        ``disable``, ``rules``...), given to each worker to build its own Cleaner.
    :ivar dask_scheduler: the address of a Dask scheduler to clean on, instead of local workers.
    :ivar dedup: write a cleaned text only once: later pages with the same text (white
        space normalised) are dropped and counted (:mod:`cleaner.batch.filters`).
    :ivar learn_templates: a first pass over the inputs learns each site's template
        (:mod:`cleaner.templates`), and the pages are cleaned with it.
    :ivar languages: ``--language`` values (``"en,de"``): write only pages whose
        ``metadata["language"]`` is one of these codes.
    """

    inputs: tuple[str, ...]
    output: str | None = None
    fmt: str = "text"
    kind: str | None = None
    url: str | None = None
    text_field: str | None = None
    url_field: str | None = None
    output_field: str | None = None
    input_format: str = "auto"
    jobs: int | None = None
    timeout: float | None = DEFAULT_PAGE_TIMEOUT
    strict: bool = False
    resume: bool = False
    errors: str | None = None
    cleaner_options: Mapping[str, Any] = field(default_factory=dict)
    dask_scheduler: str | None = None
    dedup: bool = False
    languages: tuple[str, ...] = ()
    learn_templates: bool = False

    @property
    def page_field(self) -> str:
        """The JSONL field holding the page."""
        return self.text_field or "text"


class Target(str, enum.Enum):
    """Where the outputs go."""

    STDOUT = "stdout"  # pages printed one after the other
    FILE = "file"  # the one page, into a file
    FOLDER = "folder"  # each page into a file under a folder
    RECORDS = "records"  # JSONL or Parquet (of records, or one record a page), into a file
    RECORDS_STDOUT = "records-stdout"  # JSONL of records, printed


@dataclass(frozen=True)
class _Input:
    arg: str
    what: str  # file, folder, glob, stdin, missing
    kind: InputKind


@dataclass(frozen=True)
class Plan:
    """What a run reads and writes (see :func:`plan_batch`)."""

    kind: InputKind
    target: Target
    inputs: tuple[_Input, ...]
    output: str | None
    errors_path: str | None
    render: Render
    several: bool = False  # pages on standard output get '==> NAME <==' headers

    @property
    def state_path(self) -> str | None:
        return self.output + STATE_SUFFIX if self.target is Target.RECORDS and self.output else None


def plan_batch(config: BatchConfig) -> Plan:
    """Tell what the inputs are and where the outputs go.

    :raises ConfigError: inputs and options that do not go together (a folder without an
        output folder, pages mixed with JSONL, a JSONL output without a .jsonl name...).
    """
    if config.input_format not in ("auto", "pages", "jsonl", "warc", "parquet"):
        raise ConfigError(f"unknown input format {config.input_format!r} (valid: auto, pages, jsonl, warc, parquet)")
    if config.fmt not in ("text", "json", "markdown"):
        raise ConfigError(f"unknown format {config.fmt!r} (valid: text, json, markdown)")
    if config.languages:
        parse_languages(config.languages)
    inputs = tuple(_classify(arg, config.input_format) for arg in (config.inputs or ("-",)))
    kinds = {i.kind for i in inputs if i.what != "missing"} or {InputKind.PAGES}
    if len(kinds) > 1:
        raise ConfigError("pages and JSONL / WARC / Parquet files cannot be cleaned in one run: clean them separately")
    kind = kinds.pop()
    if sum(i.what == "stdin" for i in inputs) > 1:
        raise ConfigError("standard input ('-') can be read only once")
    output = config.output
    _check_fields(config, kind)
    if kind is InputKind.PARQUET or (output and names_parquet(output)):
        require_pyarrow()
    if kind is InputKind.PARQUET:
        _check_parquet_inputs(inputs)
    if kind is InputKind.PAGES:
        plan = _plan_pages(config, inputs, output)
    elif config.url:
        raise ConfigError("--url names one page's URL; for records use --url-field (JSONL) or the WARC's own URLs")
    elif output is None or output == "-":
        plan = Plan(kind, Target.RECORDS_STDOUT, inputs, None, config.errors, Render.RECORD)
    elif not _names_jsonl(output) and not names_parquet(output):
        raise ConfigError(
            "JSONL, WARC and Parquet inputs are cleaned into JSONL or Parquet: give -o NAME.jsonl "
            f"(or .jsonl.gz, .jsonl.zst) or NAME.parquet, not {output!r}"
        )
    else:
        plan = _plan_records(config, kind, inputs, output)
    if config.dedup and config.resume and plan.target is Target.FOLDER:
        raise ConfigError(
            "--dedup with --resume needs a JSONL or Parquet output (-o NAME.jsonl): a folder keeps no trace "
            "of the duplicates it dropped"
        )
    return plan


def _check_parquet_inputs(inputs: tuple[_Input, ...]) -> None:
    """Parquet inputs are read from files (not standard input) and share their columns."""
    if any(i.what == "stdin" for i in inputs):
        raise ConfigError("Parquet is read from files, not standard input: give the file's name")
    files = [i.arg for i in inputs if i.what == "file"]
    if len(files) > 1:
        first = read_schema(files[0])
        for other in files[1:]:
            if not read_schema(other).equals(first):
                raise ConfigError(f"{other} has other columns than {files[0]}: clean them separately")


def _plan_records(config: BatchConfig, kind: InputKind, inputs: tuple[_Input, ...], output: str) -> Plan:
    if any(i.what == "file" and _same_file(i.arg, output) for i in inputs):
        raise ConfigError(f"the output {output} is also an input")
    errors = config.errors or _errors_beside(output)
    return Plan(kind, Target.RECORDS, inputs, output, errors, Render.ROW if names_parquet(output) else Render.RECORD)


def _check_fields(config: BatchConfig, kind: InputKind) -> None:
    """Refuse the options that the inputs have no use for: none is ignored silently."""
    given = [
        name
        for name, value in (
            ("--text-field", config.text_field),
            ("--url-field", config.url_field),
            ("--output-field", config.output_field),
        )
        if value is not None
    ]
    if given and kind not in (InputKind.JSONL, InputKind.PARQUET):
        what = "pages" if kind is InputKind.PAGES else "WARC records, which name their own text and URL"
        verb = "names a field" if len(given) == 1 else "name fields"
        raise ConfigError(f"{' and '.join(given)} {verb} of JSONL or Parquet records, and the inputs are {what}")
    if kind is InputKind.WARC and config.kind:
        raise ConfigError("--kind does not go with WARC inputs: each record says whether it is text or HTML")


def _names_jsonl(output: str) -> bool:
    return strip_compression(output).lower().endswith(JSONL_SUFFIXES) and not output.endswith(("/", os.sep))


def _names_a_file(output: str) -> bool:
    """An output name that means one file (``x.json``, ``x.txt.gz``), which never becomes a folder."""
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return False
    return compression_of(output) is not None or output.lower().endswith(FILE_SUFFIXES + JSONL_SUFFIXES)


def _plan_pages(config: BatchConfig, inputs: tuple[_Input, ...], output: str | None) -> Plan:
    render = Render(config.fmt)
    several = len(inputs) > 1 or any(i.what in ("folder", "glob") for i in inputs)
    if config.url and several:
        raise ConfigError("--url names one page's URL; it cannot go with several pages")
    if output is None or output == "-":
        folders = [i.arg for i in inputs if i.what == "folder"]
        if folders:
            raise ConfigError(f"{folders[0]} is a folder: add -o OUT/ (or -o NAME.jsonl) to clean every file in it")
        if several and render is Render.JSON:
            render = Render.JSON_LINE
        return Plan(InputKind.PAGES, Target.STDOUT, inputs, None, config.errors, render, several)
    if (_names_jsonl(output) or names_parquet(output)) and not os.path.isdir(output):
        return _plan_records(config, InputKind.PAGES, inputs, output)
    if several and _names_a_file(output):
        raise ConfigError(
            f"{output} names one file, and there are several pages: give a folder (-o OUT/) "
            "or JSONL (-o NAME.jsonl) or Parquet (-o NAME.parquet), one record a page"
        )
    to_folder = several or output.endswith(("/", os.sep)) or os.path.isdir(output)
    if not to_folder:
        if inputs[0].what == "file" and _same_file(inputs[0].arg, output):
            raise ConfigError(f"the output {output} is the input: give another name")
        return Plan(InputKind.PAGES, Target.FILE, inputs, output, config.errors, render)
    if any(i.what == "stdin" for i in inputs):
        raise ConfigError("standard input has no name to write under in a folder: give -o FILE")
    for i in inputs:
        if i.what == "folder" and _same_file(i.arg, output):
            raise ConfigError(f"the output folder {output} is also the input: give another folder")
    errors = config.errors or os.path.join(output, ERRORS_NAME)
    return Plan(InputKind.PAGES, Target.FOLDER, inputs, output, errors, render)


def _classify(arg: str, input_format: str) -> _Input:
    forced = None if input_format == "auto" else InputKind(input_format)
    if arg == "-":
        return _Input(arg, "stdin", forced or InputKind.PAGES)
    if os.path.isdir(arg):
        return _Input(arg, "folder", InputKind.PAGES)
    if os.path.exists(arg):
        return _Input(arg, "file", forced or kind_of(arg))
    if is_glob(arg):
        return _Input(arg, "glob", forced or InputKind.PAGES)
    return _Input(arg, "missing", forced or kind_of(arg))


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b.rstrip("/" + os.sep) or b)


def _errors_beside(output: str) -> str:
    base = strip_compression(output)
    stem, _ = os.path.splitext(base)
    return stem + ".errors.jsonl"


# -- reading the inputs into tasks ------------------------------------------------------


def _page_tasks(plan: Plan, config: BatchConfig, report: BatchReport, stdin: BinaryIO | None) -> Iterator[Task]:
    """One task per page file, in order; already-written outputs skipped on --resume."""
    seq = 0
    taken: set[str] = set()
    real_folders: dict[str, str] = {}  # output folder -> its real path: one lookup per folder, not per page
    if plan.errors_path and plan.target is Target.FOLDER:
        taken.add(os.path.realpath(plan.errors_path))
    kind = config.kind
    for item in plan.inputs:
        if item.what == "stdin":
            data = (stdin or sys.stdin.buffer).read()
            dest = plan.output if plan.target is Target.FILE else None
            if config.resume and dest and os.path.exists(dest):
                report.skipped_done += 1
                continue
            yield Task(seq, "<stdin>", TaskMode.PAGE, content=data, url=config.url, kind=kind, dest=dest, size=len(data))
            seq += 1
            continue
        if item.what == "missing":
            yield Task(seq, item.arg, TaskMode.PAGE, error=("InputError", missing_reason(item.arg)))
            seq += 1
            continue
        if item.what == "file":
            found: Iterable[tuple[str, str]] = [(item.arg, os.path.basename(item.arg))]
        elif item.what == "folder":
            exclude = plan.output if plan.target is Target.FOLDER else None
            found = ((p, os.path.relpath(p, item.arg)) for p in walk_files(item.arg, exclude=exclude))
        else:
            base = glob_base(item.arg)
            matches = expand_glob(item.arg)
            if not matches:
                yield Task(seq, item.arg, TaskMode.PAGE, error=("InputError", "no file matches this pattern"))
                seq += 1
                continue
            found = ((p, os.path.relpath(p, base)) for p in matches)
        for path, rel in found:
            dest = _dest(plan, rel)
            error = None
            if dest is not None and plan.target is Target.FOLDER:
                folder, name = os.path.split(dest)
                if folder not in real_folders:
                    real_folders[folder] = os.path.realpath(folder)
                key = os.path.join(real_folders[folder], name)
                if key in taken:
                    error = ("ConfigError", f"its output {dest} is already another page's (or the errors file's)")
                taken.add(key)
            if config.resume and dest is not None and error is None and os.path.exists(dest):
                report.skipped_done += 1
                continue
            yield Task(seq, path, TaskMode.PAGE, path=path, url=config.url, kind=kind, dest=dest, error=error)
            seq += 1


def _dest(plan: Plan, rel: str) -> str | None:
    """Where a page's output goes: the same relative path, ``.json`` added for JSON, an
    HTML page's text under ``.txt`` (``a.html.gz`` gives ``a.txt.gz``), and Markdown under
    ``.md`` in place of the page's suffix (``a.html`` and ``a.txt`` give ``a.md``)."""
    if plan.target is Target.FILE:
        return plan.output
    if plan.target is not Target.FOLDER:
        return None
    assert plan.output is not None
    plain = strip_compression(rel)
    if plan.render is Render.JSON:
        rel = plain + ".json" + rel[len(plain) :]
    elif plan.render is Render.MARKDOWN:
        rel = os.path.splitext(plain)[0] + ".md" + rel[len(plain) :]
    elif plain.lower().endswith(HTML_SUFFIXES):
        rel = os.path.splitext(plain)[0] + ".txt" + rel[len(plain) :]
    return os.path.join(plan.output, rel)


def _record_tasks(
    plan: Plan, config: BatchConfig, report: BatchReport, meter: Meter, skip: int, stdin: BinaryIO | None
) -> Iterator[Task]:
    """One task per JSONL line or WARC page record, in order; the first ``skip`` passed over."""
    seq = 0
    for item in plan.inputs:
        path = item.arg
        if item.what == "missing":
            if seq >= skip:
                yield Task(seq, path, TaskMode.JSON_LINE, error=("InputError", missing_reason(path)))
            seq += 1
            meter.pages_read = seq
            continue
        stream = (stdin or sys.stdin.buffer) if item.what == "stdin" else None
        name = "<stdin>" if stream is not None else path
        if item.kind is InputKind.PARQUET:
            for index, row, problem in parquet_rows(path, meter):
                if seq >= skip:
                    text = row.get(config.page_field) if row is not None else None
                    yield Task(
                        seq,
                        f"{name}[{index}]" if row is not None or index else name,
                        TaskMode.ROW,
                        kind=config.kind,
                        fields=row,
                        error=("InputError", problem) if problem else None,
                        size=len(text) if isinstance(text, (str, bytes)) else 0,
                    )
                seq += 1
                meter.pages_read = seq
            continue
        if item.kind is InputKind.JSONL:
            for lineno, line, problem in jsonl_lines(path, meter, stream=stream):
                if seq >= skip:
                    error = ("InputError", problem) if problem else None
                    yield Task(
                        seq,
                        f"{name}:{lineno}",
                        TaskMode.JSON_LINE,
                        content=line,
                        kind=config.kind,
                        error=error,
                        size=len(line or b""),
                    )
                seq += 1
                meter.pages_read = seq
            continue
        number = 0
        for page in warc_records(path, meter, stream=stream):
            if page is None:
                if seq >= skip:
                    report.skipped_other += 1
                continue
            number += 1
            if seq >= skip:
                if isinstance(page, str):
                    yield Task(seq, f"{name}#{number}", TaskMode.WARC_RECORD, error=("InputError", page))
                else:
                    yield Task(
                        seq,
                        f"{name}#{number}",
                        TaskMode.WARC_RECORD,
                        content=page.content,
                        url=page.url,
                        kind=page.kind,
                        fields=page.fields,
                        size=len(page.content),
                    )
            seq += 1
            meter.pages_read = seq
    meter.finished = True


def _count_pages(plan: Plan) -> int:
    """How many pages the inputs hold (for the progress bar's total)."""
    total = 0
    for item in plan.inputs:
        if item.what == "folder":
            exclude = plan.output if plan.target is Target.FOLDER else None
            total += sum(1 for _ in walk_files(item.arg, exclude=exclude))
        elif item.what == "glob":
            total += len(expand_glob(item.arg)) or 1
        else:
            total += 1
    return total
