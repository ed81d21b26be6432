"""Hand-written parts of the batch beside the libraries that do the same: xopen, pebble.

Usage (from the repository root; needs the bench extra: ``pip install -e '.[bench]'``)::

    python -m benchmarks.libraries              # about a minute on 2 cores
    python -m benchmarks.libraries --pages 300 --megabytes 10 --repeat 2

What it measures, each the best of ``--repeat`` runs, alternating the two sides:

* **reading compressed JSONL**: a generated JSONL file (``--megabytes`` of the seed pages
  as records), gzip, bzip2, xz and zstd, read line by line with
  ``cleaner.outputs.open_decompressed`` (the standard library, zstandard) and with
  ``xopen.xopen(path, "rb")`` (which uses python-isal / zlib-ng / pigz where present);
  MB/s of decompressed data, beside the cleaning's MB/s on one core.
* **writing compressed JSONL with checkpoints**: the same records through
  ``cleaner.outputs.RecordWriter`` (a gzip member / zstd frame / bzip2 / xz stream ended
  every 1,000 records, so the file cut there is valid) and through xopen, closed and
  reopened for appending at each checkpoint (the only way it ends a member);
* **the worker pool**: the seed pages cleaned on 2 workers, outputs in input order, a
  120 s time limit per page, at most 32 pages a worker in flight: ``LocalPool`` against
  ``pebble.ProcessPool`` (``schedule(..., timeout=120)``, a Cleaner built once per worker
  by its initializer); pages/s.

The figures and what was decided from them are in BENCHMARKS.md ("Libraries or our own").
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cleaner.batch import LocalPool, Render, Settings, process
from cleaner.engine import Cleaner
from cleaner.outputs import RecordWriter, compress, open_decompressed
from cleaner.sources import Task, TaskMode

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (REPO_ROOT / "fixtures").glob("[0-9][0-9][0-9]_*.txt") if not p.name.endswith(".expected.txt"))
SUFFIXES = {"gzip": ".gz", "bzip2": ".bz2", "xz": ".xz", "zstd": ".zst"}
OPTIONS = {"autoload": False}
CHECKPOINT = 1000


def best(repeat: int, *runs: Callable[[], float]) -> list[float]:
    """The shortest time of each run, running them in turn ``repeat`` times."""
    times = [float("inf")] * len(runs)
    for _ in range(repeat):
        for i, run in enumerate(runs):
            times[i] = min(times[i], run())
    return times


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# -- compressed files ---------------------------------------------------------------------------


def records(megabytes: int) -> list[bytes]:
    pages = [p.read_text(encoding="utf-8") for p in SEEDS]
    lines: list[bytes] = []
    size = 0
    while size < megabytes * 2**20:
        text = pages[len(lines) % len(pages)]
        line = (json.dumps({"id": len(lines), "text": text}, ensure_ascii=False) + "\n").encode()
        lines.append(line)
        size += len(line)
    return lines


def read_ours(path: str, compression: str) -> int:
    with open(path, "rb") as raw:
        return sum(len(line) for line in open_decompressed(raw, compression))


def read_xopen(path: str) -> int:
    from xopen import xopen

    with xopen(path, "rb") as fh:
        return sum(len(line) for line in fh)


def write_ours(path: str, lines: list[bytes]) -> None:
    writer = RecordWriter(path)
    for n, line in enumerate(lines, 1):
        writer.write(line)
        if n % CHECKPOINT == 0:
            writer.checkpoint()
    writer.commit()


def write_xopen(path: str, lines: list[bytes]) -> None:
    from xopen import xopen

    fh = xopen(path, "wb")
    for n, line in enumerate(lines, 1):
        fh.write(line)
        if n % CHECKPOINT == 0:  # end the member: close, and append a new one
            fh.close()
            fh = xopen(path, "ab")
    fh.close()


def compressed_files(megabytes: int, repeat: int) -> None:
    lines = records(megabytes)
    data = b"".join(lines)
    print(f"compressed JSONL: {len(lines):,} records, {len(data) / 2**20:.1f} MB decompressed; MB/s of decompressed data")
    print("| compression | read: ours | read: xopen | write: ours | write: xopen |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for compression, suffix in SUFFIXES.items():
            figures = one_compression(os.path.join(tmp, "c.jsonl" + suffix), compression, lines, repeat)
            print(f"| {compression} | " + " | ".join(f"{f:.0f}" for f in figures) + " |")


def one_compression(path: str, compression: str, lines: list[bytes], repeat: int) -> list[float]:
    """MB/s reading ``path`` (ours, xopen), then writing it again with checkpoints (ours, xopen)."""
    data = b"".join(lines)
    with open(path, "wb") as fh:
        fh.write(compress(data, compression))
    reads = best(repeat, lambda: timed(lambda: read_ours(path, compression)), lambda: timed(lambda: read_xopen(path)))
    assert read_ours(path, compression) == read_xopen(path) == len(data)
    ours, theirs = path + ".ours" + SUFFIXES[compression], path + ".xopen" + SUFFIXES[compression]
    writes = best(repeat, lambda: timed(lambda: write_ours(ours, lines)), lambda: timed(lambda: write_xopen(theirs, lines)))
    assert read_ours(ours, compression) == read_xopen(theirs) == len(data)
    return [len(data) / 2**20 / seconds for seconds in reads + writes]


# -- the pool ----------------------------------------------------------------------------------

_worker_cleaner: Cleaner | None = None


def _build(options: dict[str, Any]) -> None:
    global _worker_cleaner
    _worker_cleaner = Cleaner(**options)


def _clean(task: Task, settings: Settings) -> Any:
    assert _worker_cleaner is not None
    return process(_worker_cleaner, task, settings)


def tasks(pages: int) -> list[Task]:
    contents = [p.read_bytes() for p in SEEDS]
    return [
        Task(n, f"page{n}", TaskMode.PAGE, content=contents[n % len(contents)], size=len(contents[n % len(contents)]))
        for n in range(pages)
    ]


def run_local(work: list[Task], jobs: int) -> list[bytes | None]:
    with LocalPool(jobs, OPTIONS, Settings(Render.TEXT), timeout=120) as pool:
        return [outcome.payload for _task, outcome in pool.run(work)]


def run_pebble(work: list[Task], jobs: int) -> list[bytes | None]:
    from pebble import ProcessPool

    out: list[bytes | None] = []
    window: deque[Any] = deque()
    settings = Settings(Render.TEXT)
    with ProcessPool(max_workers=jobs, initializer=_build, initargs=(OPTIONS,)) as pool:
        for task in work:
            window.append(pool.schedule(_clean, args=(task, settings), timeout=120))
            if len(window) >= jobs * 32:
                out.append(window.popleft().result().payload)
        out += [future.result().payload for future in window]
    return out


def pool(pages: int, repeat: int, jobs: int) -> None:
    work = tasks(pages)
    assert run_local(work[:9], jobs) == run_pebble(work[:9], jobs)
    mb = sum(t.size for t in work) / 2**20
    ours, theirs = best(repeat, lambda: timed(lambda: run_local(work, jobs)), lambda: timed(lambda: run_pebble(work, jobs)))
    print(f"\npool: {pages} seed pages ({mb:.1f} MB), {jobs} workers, in order, 120 s limit a page")
    print("| pool | seconds | pages/s | MB/s |")
    print("|---|---:|---:|---:|")
    for name, seconds in (("LocalPool", ours), ("pebble.ProcessPool", theirs)):
        print(f"| {name} | {seconds:.2f} | {pages / seconds:.1f} | {mb / seconds:.2f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=600, help="pages for the pool (default 600)")
    parser.add_argument("--megabytes", type=int, default=30, help="JSONL size for the files (default 30)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f}")
    compressed_files(args.megabytes, args.repeat)
    pool(args.pages, args.repeat, args.jobs)


if __name__ == "__main__":
    main()
