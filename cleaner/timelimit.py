"""The per-page time limit: stop a page, even in the middle of a plugin that hangs.

Two ways to keep the limit, chosen per page:

* **preemptive**, on the main thread of the main interpreter where the system has
  ``signal.setitimer`` (Linux, macOS, the BSDs): a real-time timer sends SIGALRM when the
  time is up, and the handler raises inside whatever Python code is running, a plugin's
  endless loop included, and a regular expression too (the regex engine checks for
  signals). Code inside one long C call (an lxml parse) is stopped when the call returns.
  The previous SIGALRM handler is put back afterwards. If a timer is already running
  (the caller's own alarm), it is left alone and the limit is cooperative instead.
* **cooperative**, everywhere else (another thread, Windows): the time is checked after
  each plugin call and between stages, so a slow page is stopped once the plugin that
  overran returns, but a plugin that never returns is not. To stop such a plugin from
  another thread, clean in a worker process and end that process (the batch mode does).

Either way the engine raises :class:`~cleaner.errors.PageTimeout` naming the plugin and
the stage that was running when the time ran out.
"""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from cleaner.errors import ConfigError, PageTimeout

# After the first alarm, the timer repeats at this interval until the engine has stopped
# the page, so a plugin that swallows the first interruption (a bare ``except:``) still stops.
REPEAT_SECONDS = 0.05

# Longest limit the system timer takes everywhere (a day is plenty for one page).
MAX_SECONDS = 86_400

_local = threading.local()
_F = TypeVar("_F", bound=Callable[..., Any])


class Expired(BaseException):
    """Raised by the timer inside the running code; the engine turns it into PageTimeout.

    A BaseException, so that a plugin's ``except Exception`` does not swallow it.
    """


class Deadline:
    """The time limit of one page; a context manager that sets and clears the timer.

    :ivar seconds: the limit, or None for none.
    :ivar preemptive: the timer can interrupt running code (see the module's doc).
    :ivar where: the (plugin, stage) running now, as the engine reports it.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = valid_limit(seconds)
        self.ends: float | None = None
        self.preemptive = False
        self.where: tuple[str | None, str] = (None, "load")
        self.fired_in: tuple[str | None, str] | None = None
        self._armed = False
        self._old_handler: Any = None
        self._outer: Deadline | None = None

    # -- setting and clearing the timer ---------------------------------------------------

    def __enter__(self) -> Deadline:
        self._outer = getattr(_local, "deadline", None)
        _local.deadline = self
        if self.seconds is not None:
            self.ends = time.monotonic() + self.seconds
            self.preemptive = self._arm(self.seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.preemptive:
            self._armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old_handler if self._old_handler is not None else signal.SIG_DFL)
        _local.deadline = self._outer

    def _arm(self, seconds: float) -> bool:
        if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
            return False
        if signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # the caller's own timer: leave it be
            return False
        try:
            self._old_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        except ValueError:  # not the main interpreter
            return False
        self._armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
        return True

    def _on_alarm(self, signum: int, frame: object) -> None:
        if self._armed:
            if self.fired_in is None:
                self.fired_in = self.where
            raise Expired()

    def disarm(self) -> None:
        """Stop interrupting (the page is being stopped already)."""
        self._armed = False

    # -- what the engine calls -----------------------------------------------------------

    def check(self) -> None:
        """Raise PageTimeout if the time is up (the cooperative check)."""
        if self.ends is not None and time.monotonic() > self.ends:
            self.fired_in = self.fired_in or self.where
            raise self.timeout()

    def timeout(self) -> PageTimeout:
        """The error that reports where the time ran out."""
        plugin, stage = self.fired_in or self.where
        where = f"in plugin {plugin!r} ({stage})" if plugin else f"in the engine ({stage})"
        return PageTimeout(f"the page took longer than {self.seconds:g}s; the time ran out {where}", plugin or None, stage)


def valid_limit(seconds: float | None) -> float | None:
    """``seconds`` if it is a usable time limit (None or positive); else ConfigError."""
    if seconds is not None and not (
        isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and 0 < seconds <= MAX_SECONDS
    ):
        raise ConfigError(f"the time limit must be a positive number of seconds, not {seconds!r}")
    return seconds


def current() -> Deadline | None:
    """The deadline of the page being cleaned on this thread, if any."""
    return getattr(_local, "deadline", None)


def limited(method: _F) -> _F:
    """Run a Cleaner method under a :class:`Deadline` of ``self.time_limit`` seconds."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        deadline = Deadline(self.time_limit)
        try:
            with deadline:
                return method(self, *args, **kwargs)
        except Expired:
            if deadline.fired_in is None:  # an outer page's timer (a Cleaner used inside a plugin)
                raise
            deadline.disarm()
            raise deadline.timeout() from None

    return wrapper  # type: ignore[return-value]
