"""Cleaning many pages: folders, globs, JSONL and WARC/WET files, on every core.

Read :func:`run_batch` (:mod:`cleaner.batch.run`) top to bottom for the algorithm:

1. **plan**: tell what the inputs are (pages, or JSONL / WARC records) and where the
   outputs go (a folder, a file, a JSONL file, standard output) -- :func:`plan_batch`
   (:mod:`cleaner.batch.plan`);
2. **resume**: skip what an earlier run finished (existing output files; for a JSONL
   output, the records its state file counts: :mod:`cleaner.batch.resume`);
3. **read** the inputs lazily into :class:`~cleaner.sources.Task` s, in a fixed order
   (:mod:`cleaner.batch.plan`);
4. **clean** them in worker processes, one :class:`~cleaner.Cleaner` per worker, built
   once from the Cleaner *options* (:class:`LocalPool`, :mod:`cleaner.batch.pool`), or on
   a Dask cluster (:mod:`cleaner.dask`): both are an :class:`Executor` running
   :func:`process` (:mod:`cleaner.batch.worker`); a page that fails, or hangs past the
   time limit, becomes a failed outcome and its worker is replaced;
5. **write** the outcomes in input order (:mod:`cleaner.batch.sinks`): outputs
   atomically, failures to the errors file, a resumable checkpoint every
   :data:`CHECKPOINT_EVERY` pages; ``--language`` and ``--dedup`` leave some cleaned
   pages out here (:mod:`cleaner.batch.filters`);
6. **report** what happened (:class:`BatchReport`); the command line prints it.

Memory stays bounded: at most :data:`IN_FLIGHT_PER_WORKER` pages per worker (and
:data:`MAX_IN_FLIGHT_BYTES`) are read but not yet written. The output is the same, byte
for byte, whatever the number of workers.

Every name of the package's modules is importable from ``cleaner.batch`` as when the
package was one module, and setting one here (``cleaner.batch.CHECKPOINT_EVERY = 10``, a
test's monkeypatch) sets it in each module of the package that holds it, where the code
reads it.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from cleaner.batch import filters, plan, pool, resume, run, sinks, worker
from cleaner.batch.plan import (
    DEFAULT_PAGE_TIMEOUT,
    ERRORS_NAME,
    STATE_SUFFIX,
    BatchConfig,
    Plan,
    Target,
    plan_batch,
)
from cleaner.batch.pool import (
    ENV_PREFIX,
    IN_FLIGHT_PER_WORKER,
    KILL_GRACE_SECONDS,
    MAX_IN_FLIGHT_BYTES,
    SENT_BYTES_PER_WORKER,
    SENT_PER_WORKER,
    LocalPool,
)
from cleaner.batch.resume import CHECKPOINT_EVERY
from cleaner.batch.run import (
    MAX_LISTED_FAILURES,
    BatchInterrupted,
    BatchReport,
    ProgressCallback,
    run_batch,
    summary_lines,
)
from cleaner.batch.worker import (
    RESULT_FIELD,
    Executor,
    Outcome,
    Render,
    Settings,
    clean_record,
    dump_record,
    parse_json_line,
    process,
    record_summary,
    render_page,
)

__all__ = [
    "BatchConfig",
    "BatchInterrupted",
    "BatchReport",
    "Executor",
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

_MODULES = (filters, worker, pool, plan, sinks, resume, run)


def __getattr__(name: str) -> Any:
    """A name of a module of the package that is not re-exported above (``_mp_context``...)."""
    for module in _MODULES:
        if name in vars(module):
            return vars(module)[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """``cleaner.batch`` as one namespace: setting a name sets it in each module of the package holding it."""

    def __setattr__(self, name: str, value: Any) -> None:
        held = False
        if not isinstance(value, types.ModuleType):  # not the import system binding a submodule
            for module in _MODULES:
                if name in vars(module):
                    setattr(module, name, value)
                    held = True
        if not held or name in vars(self):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
