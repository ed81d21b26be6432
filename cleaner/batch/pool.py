"""Running tasks on local worker processes: :class:`LocalPool`, one Cleaner per worker.

Each worker process builds its Cleaner once from the Cleaner options and cleans the
tasks the parent sends with :func:`~cleaner.batch.worker.process`; the parent keeps the
time limits, replaces a worker that hangs or dies, and yields outcomes in input order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import pkgutil
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from multiprocessing.connection import wait
from typing import Any

from cleaner.batch.worker import Executor, Outcome, Settings, process
from cleaner.engine import Cleaner
from cleaner.errors import ConfigError
from cleaner.sources import Task

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
# Environment variables the Cleaner reads (plugin autoload, rules folders): workers get the parent's.
ENV_PREFIX = "CLEANER_"


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
        from multiprocessing import forkserver

        import cleaner_plugins

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


class LocalPool(Executor):
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

    def __enter__(self) -> LocalPool:
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
                reason = (
                    f"the page took longer than {self.timeout:g}s and did not stop (a plugin that hangs); its worker was stopped"
                )
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

    def _replace(self, index: int, done: dict[int, tuple[Task, Outcome]], waiting: deque[Task], error: str, reason: str) -> None:
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


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
