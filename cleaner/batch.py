"""Cleaning many pages: folders, globs, JSONL and WARC/WET files, on every core.

Read :func:`run_batch` top to bottom for the algorithm:

1. **plan**: tell what the inputs are (pages, or JSONL / WARC records) and where the
   outputs go (a folder, a file, a JSONL file, standard output) -- :func:`plan_batch`;
2. **resume**: skip what an earlier run finished (existing output files; for a JSONL
   output, the records its state file counts);
3. **read** the inputs lazily into :class:`~cleaner.sources.Task` s, in a fixed order;
4. **clean** them in worker processes, one :class:`~cleaner.Cleaner` per worker, built
   once from the Cleaner *options* (:class:`LocalPool`), or on a Dask cluster
   (:mod:`cleaner.dask`); a page that fails, or hangs past the time limit, becomes a
   failed outcome and its worker is replaced;
5. **write** the outcomes in input order: outputs atomically, failures to the errors
   file, a resumable checkpoint every :data:`CHECKPOINT_EVERY` pages;
6. **report** what happened (:class:`BatchReport`); the command line prints it.

Memory stays bounded: at most :data:`IN_FLIGHT_PER_WORKER` pages per worker (and
:data:`MAX_IN_FLIGHT_BYTES`) are read but not yet written. The output is the same, byte
for byte, whatever the number of workers.
"""

from __future__ import annotations

import contextlib
import enum
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import pkgutil
import signal
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping

from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.model import Result, plain
from cleaner.outputs import (
    LineLog,
    OutputError,
    RecordWriter,
    compress,
    compression_of,
    remove,
    strip_compression,
    write_atomic,
    write_json_atomic,
)
from cleaner.sources import (
    InputKind,
    Meter,
    Task,
    TaskMode,
    expand_glob,
    glob_base,
    is_glob,
    jsonl_lines,
    kind_of,
    walk_files,
    warc_records,
)

__all__ = [
    "BatchConfig",
    "BatchInterrupted",
    "BatchReport",
    "LocalPool",
    "Outcome",
    "Render",
    "Settings",
    "clean_record",
    "plan_batch",
    "process",
    "record_summary",
    "run_batch",
]

# A page may take this long (seconds) in a batch unless --timeout says otherwise.
DEFAULT_PAGE_TIMEOUT = 120.0
# A worker still busy this long after the page's time limit is stopped and replaced.
KILL_GRACE_SECONDS = 1.0
# Pages read but not yet written, per worker: bounds memory, lets a slow page be overtaken.
IN_FLIGHT_PER_WORKER = 32
# ... and in bytes of input, whatever the number of pages.
MAX_IN_FLIGHT_BYTES = 256 * 2**20
# Pages sent to a worker and not yet answered: the one it cleans and the next ones, queued so
# that it goes from page to page without waiting for the parent to write and send.
SENT_PER_WORKER = 3
# ... while the queued pages take at most this many bytes (pickled; a worker with nothing to
# do gets any page, whatever its size): the pipe's buffer holds them, so sending to a busy
# worker never blocks and the parent keeps watching the time limits. Linux buffers about
# 200 KB between two processes, macOS and Windows 8 KB.
SENT_BYTES_PER_WORKER = 64 * 2**10 if sys.platform.startswith("linux") else 4 * 2**10
# A JSONL output is made resumable (flushed, state saved) every this many pages.
CHECKPOINT_EVERY = 1000
# Failures kept in the report for the command line to show (all go to the errors file).
MAX_LISTED_FAILURES = 20
# The field a cleaned JSONL / WARC record gets: title, removals per category, metadata.
RESULT_FIELD = "cleaner"
# The errors file's name inside an output folder.
ERRORS_NAME = "errors.jsonl"
STATE_SUFFIX = ".resume.json"
# Environment variables the Cleaner reads (plugin autoload, rules folders): workers get the parent's.
ENV_PREFIX = "CLEANER_"
_STATE_VERSION = 1


# -- configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class BatchConfig:
    """What to clean, how, and where the outputs go.

    :ivar inputs: files, folders, quoted glob patterns (``pages/**/*.txt``), JSONL files
        (``.jsonl``, ``.ndjson``, also ``.gz`` / ``.zst``), WARC / WET / ARC files, or ``-``.
    :ivar output: a folder (pages), a file (one page, or the JSONL of records), or None
        for standard output.
    :ivar fmt: ``text`` or ``json``: what a page's output file holds (records are always JSONL).
    :ivar kind: ``text``, ``html``, or None to sniff each page (WARC records say it themselves).
    :ivar url: the URL of the one page given.
    :ivar text_field: the JSONL field holding the page (replaced by the cleaned text).
    :ivar url_field: the JSONL field holding the page's URL, if any.
    :ivar input_format: ``auto`` (by file name), ``pages``, ``jsonl`` or ``warc``.
    :ivar jobs: worker processes; None means one per core.
    :ivar timeout: seconds one page may take; None means no limit.
    :ivar strict: stop at the first failure.
    :ivar resume: skip what an earlier, interrupted run of the same command finished.
    :ivar errors: the errors file; None means the default (``OUT/errors.jsonl``,
        ``NAME.errors.jsonl`` beside a JSONL output, none on standard output).
    :ivar cleaner_options: keyword arguments of :class:`~cleaner.Cleaner` (``keep``,
        ``disable``, ``rules``...), given to each worker to build its own Cleaner.
    :ivar dask_scheduler: the address of a Dask scheduler to clean on, instead of local workers.
    """

    inputs: tuple[str, ...]
    output: str | None = None
    fmt: str = "text"
    kind: str | None = None
    url: str | None = None
    text_field: str = "text"
    url_field: str | None = None
    input_format: str = "auto"
    jobs: int | None = None
    timeout: float | None = DEFAULT_PAGE_TIMEOUT
    strict: bool = False
    resume: bool = False
    errors: str | None = None
    cleaner_options: Mapping[str, Any] = field(default_factory=dict)
    dask_scheduler: str | None = None


class Render(str, enum.Enum):
    """What a worker turns a cleaned page into."""

    TEXT = "text"  # the article, as ``clean FILE`` prints it
    JSON = "json"  # the JSON of ``clean --format json FILE``
    JSON_LINE = "json-line"  # the same on one line (several pages on standard output)
    RECORD = "record"  # the input record with the cleaned text and the result field


@dataclass(frozen=True)
class Settings:
    """What every worker needs besides the task (small and picklable)."""

    render: Render = Render.TEXT
    text_field: str = "text"
    url_field: str | None = None


# -- the worker's side -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one task.

    :ivar seq: the task's position.
    :ivar payload: the bytes to write, or None when the page failed.
    :ivar removed: blocks removed per category.
    :ivar error: the failure's type (``InputError``, ``PluginError``, ``PageTimeout``...).
    :ivar reason: the failure, in one line.
    """

    seq: int
    payload: bytes | None
    removed: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def process(cleaner: Cleaner, task: Task, settings: Settings) -> Outcome:
    """Clean one task; every failure becomes a failed outcome, nothing is raised."""
    if task.error is not None:
        return Outcome(task.seq, None, {}, *task.error)
    try:
        if task.mode is TaskMode.PAGE:
            result = cleaner.clean(task.read(), url=task.url, kind=task.kind, filename=task.filename)
            payload = render_page(result, task.source, settings.render)
            if task.dest is not None:
                payload = compress(payload, compression_of(task.dest))
        elif task.mode is TaskMode.JSON_LINE:
            assert task.content is not None
            record = parse_json_line(task.content)
            out, result = clean_record(
                cleaner, record, text_field=settings.text_field, url_field=settings.url_field, kind=task.kind
            )
            payload = dump_record(out)
        else:
            assert task.content is not None and task.fields is not None
            result = cleaner.clean(task.content, url=task.url, kind=task.kind)
            payload = dump_record({**task.fields, "text": result.text, RESULT_FIELD: record_summary(result)})
    except CleanerError as exc:
        return Outcome(task.seq, None, {}, type(exc).__name__, str(exc))
    except (Exception, SystemExit) as exc:  # a bug, not bad input: still one failed page
        return Outcome(task.seq, None, {}, type(exc).__name__, f"unexpected {type(exc).__name__}: {exc}")
    return Outcome(task.seq, payload, result.removals_by_category())


def render_page(result: Result, source: str, render: Render) -> bytes:
    """A cleaned page's output bytes, exactly as ``clean`` prints it."""
    if render is Render.TEXT:
        text = result.text + "\n"
    else:
        text = "".join(result.json_chunks({"source": source}, indent=2 if render is Render.JSON else None)) + "\n"
    return _utf8(text)


def parse_json_line(line: bytes | str) -> Any:
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
) -> tuple[dict[str, Any], Result]:
    """Clean the page in one record; the record with the cleaned text, and the result.

    Every field is kept; ``text_field`` gets the cleaned text and :data:`RESULT_FIELD`
    the title, removals per category, metadata and notes (:func:`record_summary`).

    :raises InputError: the record is not an object, or has no text in ``text_field``.
    """
    if not isinstance(record, dict):
        raise InputError(f"the record is a JSON {_json_type(record)}, not an object")
    if text_field not in record:
        raise InputError(f"the record has no {text_field!r} field")
    text = record[text_field]
    if not isinstance(text, str):
        raise InputError(f"the record's {text_field!r} is a JSON {_json_type(text)}, not a string")
    url = record.get(url_field) if url_field else None
    result = cleaner.clean(text, url=url if isinstance(url, str) and url else None, kind=kind)
    out = dict(record)
    out[text_field] = result.text
    out[RESULT_FIELD] = record_summary(result)
    return out, result


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
    return _utf8(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("the text holds a lone surrogate (invalid Unicode) and cannot be written as UTF-8") from None


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _worker_main(
    conn: Any, options: Mapping[str, Any], settings: Settings, env: Mapping[str, str], inherited: Iterable[Any] = ()
) -> None:
    """A worker process: build one Cleaner, then clean the tasks the parent sends, in order.

    :param inherited: connections a forked worker got with its copy of the parent, to close.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for connection in inherited:
        connection.close()
    # a forkserver child has the environment the server started with: take the parent's now
    for name in [n for n in os.environ if n.startswith(ENV_PREFIX) and n not in env]:
        del os.environ[name]
    os.environ.update(env)
    try:
        cleaner = Cleaner(**options)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops the run
        conn.send_bytes(_dumps(("fatal", f"{type(exc).__name__}: {exc}")))
        return
    # What the worker holds now (the Cleaner, the modules) lives as long as it does: frozen,
    # the garbage collector no longer goes through it on its rounds (about 1 % of a page's time).
    gc.freeze()
    conn.send_bytes(_dumps(("ready", os.getpid())))
    while True:
        try:
            task = pickle.loads(conn.recv_bytes())
            if task is None:
                return
            conn.send_bytes(_dumps(process(cleaner, task, settings)))
        except (EOFError, OSError):  # the parent has gone
            return


def _dumps(message: Any) -> bytes:
    return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)


# -- running tasks on local worker processes --------------------------------------------


def _mp_context() -> Any:
    """How workers start: fork where that is safe, else a fork server, else spawn.

    * **fork** on Linux while this process runs no other thread: a worker is a copy of
      this process, which has imported the Cleaner and its plugins already (run_batch
      builds one before the workers start): the workers are ready about 0.2 s sooner than
      through a fork server, which must first start a Python and import them.
    * **forkserver** where there is one (macOS, whose system libraries are not safe to
      use in a forked copy; or a caller running threads): started at once, it loads while
      the caller plans the run. It imports this module and the built-in plugins once, for
      all the workers it forks, so that a worker only builds its Cleaner (about 15 ms
      instead of 60).
    * **spawn** otherwise (Windows).
    """
    if _can_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        import cleaner_plugins
        from multiprocessing import forkserver

        ctx = multiprocessing.get_context("forkserver")
        plugins = [f"cleaner_plugins.{m.name}" for m in pkgutil.iter_modules(cleaner_plugins.__path__)]
        ctx.set_forkserver_preload(["cleaner.batch", *plugins])
        forkserver.ensure_running()
        return ctx
    return multiprocessing.get_context("spawn")


def _can_fork() -> bool:
    """Linux, and no other thread running: a forked copy of a process with threads can
    inherit a lock that one of them held at that moment, and wait on it for ever."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class _Worker:
    """One worker process and the tasks sent to it, which it cleans in the order sent."""

    def __init__(self, ctx: Any, options: Mapping[str, Any], settings: Settings, others: Iterable[_Worker] = ()) -> None:
        self.conn, child = ctx.Pipe()
        env = {name: value for name, value in os.environ.items() if name.startswith(ENV_PREFIX)}
        # A forked worker has a copy of every descriptor of this process: it closes its copies
        # of the parent's ends of the pipes, its own and the other workers', or it would never
        # see its pipe close when the parent dies (nor would the other workers).
        inherited = [self.conn, *(w.conn for w in others)] if ctx.get_start_method() == "fork" else []
        self.process = ctx.Process(target=_worker_main, args=(child, options, settings, env, inherited), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.asked_to_stop = False
        self.sent: deque[tuple[Task, int]] = deque()  # (task, pickled size) not answered yet; the first is cleaning
        self.sent_bytes = 0
        # when the first task of ``sent`` started, at the earliest: the parent learns it when
        # the task before it is answered (or when it sends to an idle worker)
        self.started = 0.0

    def can_take(self, size: int) -> bool:
        """Whether a task of ``size`` pickled bytes may be sent now without waiting on the worker."""
        if not self.ready:
            return False
        if not self.sent:
            return True
        return len(self.sent) < SENT_PER_WORKER and self.sent_bytes + size <= SENT_BYTES_PER_WORKER

    def send(self, task: Task, data: bytes) -> bool:
        """Send a task (pickled as ``data``); False if the worker has gone."""
        try:
            self.conn.send_bytes(data)
        except (OSError, ValueError):  # gone: the next wait sees it
            return False
        if not self.sent:
            self.started = time.monotonic()
        self.sent.append((task, len(data)))
        self.sent_bytes += len(data)
        return True

    def answered(self, seq: int) -> Task:
        """The first task sent, now answered; the worker has moved on to the next one."""
        task, size = self.sent.popleft()
        assert task.seq == seq, (task.seq, seq)
        self.sent_bytes -= size
        self.started = time.monotonic()
        return task

    def ask_to_stop(self) -> None:
        if self.asked_to_stop:
            return
        self.asked_to_stop = True
        try:
            self.conn.send_bytes(_dumps(None))
        except (OSError, ValueError):  # gone already
            pass

    def stop(self, *, kill: bool = False, wait: float = 2.0) -> None:
        """End the process: let it finish (up to ``wait`` seconds) unless ``kill``."""
        if not kill:
            self.ask_to_stop()
            self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


class LocalPool:
    """Worker processes on this machine, each with its own Cleaner.

    Each worker holds up to :data:`SENT_PER_WORKER` pages: it cleans them in the order
    sent, so it goes on to the next page without waiting for the parent. A page's time
    limit counts from when its worker started it (as the parent sees it: when the page
    before it was answered). A page that overruns its limit (plus
    :data:`KILL_GRACE_SECONDS`) or kills its worker becomes a failed outcome; the worker is
    replaced, and the pages queued behind that page are sent again. Use as a context
    manager; :meth:`run` yields outcomes in input order.

    :param jobs: the number of workers.
    :param options: the Cleaner's keyword arguments.
    :param settings: what the workers render.
    :param timeout: a page's time limit in seconds, or None.
    """

    def __init__(self, jobs: int, options: Mapping[str, Any], settings: Settings, timeout: float | None) -> None:
        if jobs < 1:
            raise ConfigError(f"--jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self.options = dict(options)
        self.settings = settings
        self.timeout = timeout
        self.replaced = 0
        self._ctx = _mp_context()
        self._workers: list[_Worker] = []
        self._pickled: tuple[Task, bytes] | None = None  # the next task to send, pickled

    def __enter__(self) -> "LocalPool":
        for _ in range(self.jobs):
            self._workers.append(self._start_worker())
        return self

    def _start_worker(self) -> _Worker:
        if self._ctx.get_start_method() == "fork" and not _can_fork():  # a thread started since (a plugin's)
            self._ctx = _mp_context()
        return _Worker(self._ctx, self.options, self.settings, self._workers)

    def __exit__(self, *exc: object) -> None:
        self.close(kill=exc[0] is not None)

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers (at once with ``kill``, or when they still have pages)."""
        workers, self._workers = self._workers, []
        for worker in workers:  # all at once, then wait for each
            if not kill and not worker.sent:
                worker.ask_to_stop()
        for worker in workers:
            worker.stop(kill=kill or bool(worker.sent))

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        """Clean ``tasks``; yield each with its outcome, in the order they came."""
        source = iter(tasks)
        exhausted = False
        waiting: deque[Task] = deque()  # read, not yet sent to a worker
        order: deque[int] = deque()  # read, not yet yielded
        done: dict[int, tuple[Task, Outcome]] = {}
        sizes: dict[int, int] = {}
        in_flight_bytes = 0
        window = self.jobs * IN_FLIGHT_PER_WORKER
        while True:
            while not exhausted and len(order) < window and in_flight_bytes < MAX_IN_FLIGHT_BYTES:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                order.append(task.seq)
                sizes[task.seq] = task.size
                in_flight_bytes += task.size
                if task.error is not None:
                    done[task.seq] = (task, Outcome(task.seq, None, {}, *task.error))
                else:
                    waiting.append(task)
            self._dispatch(waiting)
            while order and order[0] in done:
                seq = order.popleft()
                in_flight_bytes -= sizes.pop(seq)
                yield done.pop(seq)
            if exhausted and not order:
                return
            self._collect(done, waiting)

    def _dispatch(self, waiting: deque[Task]) -> None:
        """Send waiting tasks, each to the worker with the fewest, while one can take it."""
        while waiting:
            task = waiting[0]
            if self._pickled is None or self._pickled[0] is not task:
                self._pickled = (task, _dumps(task))
            data = self._pickled[1]
            able = [w for w in self._workers if w.can_take(len(data))]
            if not able or not min(able, key=lambda w: len(w.sent)).send(task, data):
                return
            waiting.popleft()
            self._pickled = None

    def _collect(self, done: dict[int, tuple[Task, Outcome]], waiting: deque[Task]) -> None:
        """Wait for a worker to answer, die or overrun; record what happened.

        A worker's answers are read one per call (the next call finds the rest at once):
        a page's outcome, its worker having told that it is ready, or a failure to start.
        """
        deadlines = [self._deadline(w) for w in self._workers if w.sent] if self.timeout is not None else []
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = set(wait([w.conn for w in self._workers] + [w.process.sentinel for w in self._workers], timeout))
        for index, worker in enumerate(self._workers):
            if worker.process.sentinel in ready:  # gone: take what it sent before it went
                while worker.conn.poll() and self._read(worker, done):
                    pass
                self._replace(index, done, waiting, "WorkerDied", self._death(worker))
            elif worker.conn in ready:
                if not self._read(worker, done):
                    self._replace(index, done, waiting, "WorkerDied", self._death(worker))
            elif worker.sent and self.timeout is not None and time.monotonic() >= self._deadline(worker):
                reason = (f"the page took longer than {self.timeout:g}s and did not stop "
                          "(a plugin that hangs); its worker was stopped")
                self._replace(index, done, waiting, "PageTimeout", reason)

    def _deadline(self, worker: _Worker) -> float:
        assert self.timeout is not None
        return worker.started + self.timeout + KILL_GRACE_SECONDS

    @staticmethod
    def _read(worker: _Worker, done: dict[int, tuple[Task, Outcome]]) -> bool:
        """Take one message from a worker whose connection is readable; False if it has closed (died)."""
        try:
            message = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError):
            return False
        if isinstance(message, Outcome):
            done[message.seq] = (worker.answered(message.seq), message)
        elif message[0] == "ready":
            worker.ready = True
        else:
            raise ConfigError(f"a worker cannot build its Cleaner: {message[1]}")
        return True

    def _replace(
        self, index: int, done: dict[int, tuple[Task, Outcome]], waiting: deque[Task], error: str, reason: str
    ) -> None:
        """Stop a worker and start another; its page fails, the pages queued behind it wait again."""
        worker = self._workers[index]
        worker.stop(kill=True)
        self._workers[index] = self._start_worker()
        self.replaced += 1
        if worker.sent:
            task, _ = worker.sent.popleft()
            done[task.seq] = (task, Outcome(task.seq, None, {}, error, reason))
            waiting.extendleft(reversed([queued for queued, _ in worker.sent]))
        elif not worker.ready:
            raise ConfigError(f"a worker process could not start ({self._death(worker)})")

    @staticmethod
    def _death(worker: _Worker) -> str:
        worker.process.join(1)
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                how = f"signal {signal.Signals(-code).name}"
            except ValueError:
                how = f"signal {-code}"
        else:
            how = f"exit code {code}"
        return f"the worker cleaning this page died ({how})"


# -- planning ---------------------------------------------------------------------------


class Target(str, enum.Enum):
    """Where the outputs go."""

    STDOUT = "stdout"  # pages printed one after the other
    FILE = "file"  # the one page, into a file
    FOLDER = "folder"  # each page into a file under a folder
    RECORDS = "records"  # JSONL, into a file
    RECORDS_STDOUT = "records-stdout"  # JSONL, printed


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
    if config.input_format not in ("auto", "pages", "jsonl", "warc"):
        raise ConfigError(f"unknown input format {config.input_format!r} (valid: auto, pages, jsonl, warc)")
    if config.fmt not in ("text", "json"):
        raise ConfigError(f"unknown format {config.fmt!r} (valid: text, json)")
    inputs = tuple(_classify(arg, config.input_format) for arg in (config.inputs or ("-",)))
    kinds = {i.kind for i in inputs if i.what != "missing"} or {InputKind.PAGES}
    if len(kinds) > 1:
        raise ConfigError("pages and JSONL / WARC files cannot be cleaned in one run: clean them separately")
    kind = kinds.pop()
    if sum(i.what == "stdin" for i in inputs) > 1:
        raise ConfigError("standard input ('-') can be read only once")
    output = config.output
    if kind is InputKind.PAGES:
        return _plan_pages(config, inputs, output)
    if config.url:
        raise ConfigError("--url names one page's URL; for records use --url-field (JSONL) or the WARC's own URLs")
    if output is None or output == "-":
        return Plan(kind, Target.RECORDS_STDOUT, inputs, None, config.errors, Render.RECORD)
    if not strip_compression(output).lower().endswith((".jsonl", ".ndjson", ".jsonlines")) or output.endswith(os.sep):
        raise ConfigError(f"JSONL and WARC inputs are cleaned into JSONL: give -o NAME.jsonl (or .jsonl.gz, .jsonl.zst), not {output!r}")
    if any(i.what == "file" and _same_file(i.arg, output) for i in inputs):
        raise ConfigError(f"the output {output} is also an input")
    errors = config.errors or _errors_beside(output)
    return Plan(kind, Target.RECORDS, inputs, output, errors, Render.RECORD)


def _plan_pages(config: BatchConfig, inputs: tuple[_Input, ...], output: str | None) -> Plan:
    render = Render(config.fmt)
    several = len(inputs) > 1 or any(i.what in ("folder", "glob") for i in inputs)
    if config.url and several:
        raise ConfigError("--url names one page's URL; it cannot go with several pages")
    if output is None or output == "-":
        folders = [i.arg for i in inputs if i.what == "folder"]
        if folders:
            raise ConfigError(f"{folders[0]} is a folder: add -o OUT/ to clean every file in it into OUT/")
        if several and render is Render.JSON:
            render = Render.JSON_LINE
        return Plan(InputKind.PAGES, Target.STDOUT, inputs, None, config.errors, render, several)
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


def _page_tasks(plan: Plan, config: BatchConfig, report: "BatchReport", stdin: BinaryIO | None) -> Iterator[Task]:
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
            yield Task(seq, item.arg, TaskMode.PAGE, error=("InputError", "no such file"))
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
    """Where a page's output goes: the same relative path (``.json`` added for JSON)."""
    if plan.target is Target.FILE:
        return plan.output
    if plan.target is not Target.FOLDER:
        return None
    assert plan.output is not None
    if plan.render is Render.JSON:
        plain = strip_compression(rel)
        rel = plain + ".json" + rel[len(plain):]
    return os.path.join(plan.output, rel)


def _record_tasks(
    plan: Plan, config: BatchConfig, report: "BatchReport", meter: Meter, skip: int, stdin: BinaryIO | None
) -> Iterator[Task]:
    """One task per JSONL line or WARC page record, in order; the first ``skip`` passed over."""
    seq = 0
    for item in plan.inputs:
        path = item.arg
        if item.what == "missing":
            if seq >= skip:
                yield Task(seq, path, TaskMode.JSON_LINE, error=("InputError", "no such file"))
            seq += 1
            continue
        stream = (stdin or sys.stdin.buffer) if item.what == "stdin" else None
        name = "<stdin>" if stream is not None else path
        if item.kind is InputKind.JSONL:
            for lineno, line, problem in jsonl_lines(path, meter, stream=stream):
                if seq >= skip:
                    error = ("InputError", problem) if problem else None
                    yield Task(seq, f"{name}:{lineno}", TaskMode.JSON_LINE, content=line, kind=config.kind,
                               error=error, size=len(line or b""))
                seq += 1
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
                    yield Task(seq, f"{name}#{number}", TaskMode.WARC_RECORD, content=page.content, url=page.url,
                               kind=page.kind, fields=page.fields, size=len(page.content))
            seq += 1


# -- writing the outcomes ---------------------------------------------------------------


class _Sink:
    """Where outcomes go; ``advance`` after each task, then ``finish`` or ``suspend``."""

    def put(self, task: Task, payload: bytes) -> None:
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


# -- the report -------------------------------------------------------------------------


@dataclass
class BatchReport:
    """What a batch run did.

    :ivar pages_in: pages read and cleaned or failed in this run.
    :ivar pages_out: pages written.
    :ivar failed: pages that failed (each is in the errors file).
    :ivar skipped_done: pages skipped because an earlier run wrote them (``--resume``).
    :ivar skipped_other: WARC records that are not pages (requests, images, metadata...).
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
    """

    pages_in: int = 0
    pages_out: int = 0
    failed: int = 0
    skipped_done: int = 0
    skipped_other: int = 0
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


# -- the run ----------------------------------------------------------------------------


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
    settings = Settings(plan.render, config.text_field, config.url_field)
    executor = _executor(config, options, settings)  # local workers' server starts now, while the run is planned
    Cleaner(**options).close()  # a bad option is one clear error now, not one per worker
    report = BatchReport(output=plan.output)
    out_stream = stdout if stdout is not None else sys.stdout.buffer

    meter = Meter()
    errors = LineLog(plan.errors_path) if plan.target is not Target.RECORDS else None
    sink: _Sink
    if plan.kind is InputKind.PAGES:
        if config.resume and plan.target is Target.STDOUT:
            raise ConfigError("--resume needs -o: there is nothing to resume on standard output")
        if plan.target is Target.STDOUT:
            sink = _StreamSink(out_stream, headers=plan.render is Render.TEXT and plan.several)
        else:
            sink = _FileSink()
        tasks = _page_tasks(plan, config, report, stdin)
        if progress is not None:
            meter.total = _count_pages(plan)
    else:
        meter.unit = "bytes"
        meter.total = sum(os.path.getsize(i.arg) for i in plan.inputs if i.what == "file")
        if plan.target is Target.RECORDS_STDOUT:
            if config.resume:
                raise ConfigError("--resume needs -o NAME.jsonl: there is nothing to resume on standard output")
            sink = _StreamSink(out_stream, headers=False)
            skip = 0
        else:
            opened = _open_records(plan, config, report)
            if opened is None:
                report.already_done = True
                report.elapsed = time.monotonic() - started
                return report
            sink, skip = opened
            errors = sink.errors
        tasks = _record_tasks(plan, config, report, meter, skip, stdin)
    assert errors is not None
    try:
        with executor, _HoldCtrlC() as ctrl_c:
            for task, outcome in executor.run(tasks):
                with ctrl_c.hold():  # a record is written whole, or not at all
                    report.pages_in += 1
                    if outcome.ok:
                        assert outcome.payload is not None
                        sink.put(task, outcome.payload)
                        report.pages_out += 1
                        report.removed.update(outcome.removed)
                    else:
                        _record_failure(report, errors, task, outcome)
                    sink.advance(task)
                if plan.kind is InputKind.PAGES:
                    meter.done = report.pages_in + report.skipped_done
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
        report.workers_replaced = getattr(executor, "replaced", 0)
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

    def __enter__(self) -> "_HoldCtrlC":
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


def _executor(config: BatchConfig, options: Mapping[str, Any], settings: Settings) -> Any:
    if config.dask_scheduler:
        try:
            from cleaner.dask import DaskExecutor
        except ImportError as exc:
            raise ConfigError(f"--dask-scheduler needs the 'dask' extra (pip install 'cleaner[dask]'): {exc}") from None
        return DaskExecutor(config.dask_scheduler, options, settings)
    jobs = config.jobs if config.jobs is not None else _cores()
    return LocalPool(jobs, options, settings, config.timeout)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
    if not isinstance(state, dict) or state.get("version") != _STATE_VERSION or not all(
        isinstance(state.get(k), int) for k in ("done", "output_bytes", "errors_bytes")
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
        "text_field": config.text_field,
        "url_field": config.url_field,
        "input_format": config.input_format,
        "options": {k: v for k, v in config.cleaner_options.items()},
    }
    blob = json.dumps(shaping, sort_keys=True, default=_describe_option)
    return hashlib.sha256(blob.encode("utf-8", "replace")).hexdigest()


def _describe_option(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(map(str, value))
    return getattr(value, "__qualname__", None) or type(value).__qualname__


def summary_lines(report: BatchReport) -> list[str]:
    """The end-of-run summary, a few lines for stderr."""
    lines = []
    parts = [f"{_count(report.pages_in, 'page')} in", f"{report.pages_out:,} out", f"{report.failed:,} failed"]
    if report.skipped_done:
        parts.append(f"{report.skipped_done:,} skipped (done before)")
    if report.skipped_other:
        parts.append(f"{_count(report.skipped_other, 'record')} not pages (skipped)")
    parts.append(f"{report.elapsed:.1f}s ({report.pages_per_second:,.1f} pages/s)")
    lines.append(", ".join(parts))
    if report.removed:
        removed = ", ".join(f"{cat} {n:,}" for cat, n in sorted(report.removed.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"removed: {removed}")
    if report.workers_replaced:
        lines.append(f"{report.workers_replaced} worker(s) stopped and replaced (a page over its time limit, or a crash)")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
