"""Snapshot the engine's output on every benchmark page, to prove a change changes nothing.

A refactor or a speed-up must leave every decision as it was. Write a snapshot before the
change and check against it after::

    python -m benchmarks.snapshot write /tmp/before.json       # text mode, all pages
    python -m benchmarks.snapshot check /tmp/before.json       # exit 1 and list the pages that differ
    python -m benchmarks.snapshot check /tmp/before.json --limit 200   # a quick subset
    python -m benchmarks.snapshot check /tmp/before.json --disable judge   # without a plugin

``--disable NAME`` (repeatable) builds the engine as ``Cleaner(disable=...)``: a check
that must not see a plugin added since the snapshot was written (or one of its own
runs) leaves it out. A name no installed plugin has is skipped with a note (the engine
refuses to disable an unknown plugin), so the same command works before and after the
plugin exists.

For each page and renderer it records a digest of ``Result.text``, the headline index
and every removal (line, category, reason, plugin), so a reworded reason counts as a
change too. It also prints the pages per second of the run (a rough figure: for a
measurement use ``benchmarks.run``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.run import load_dataset

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO_ROOT / ".." / "shared" / "bench"
RENDERERS = ("inscriptis", "htmltext", "resiliparse")


def digest(result) -> str:
    """A digest of what a user gets from a result: text, headline, removals and reasons."""
    h = hashlib.sha256()
    h.update(result.text.encode("utf-8", "surrogatepass"))
    h.update(repr(result.title_index).encode())
    for r in result.removed:
        h.update(f"\0{r.lineno}\0{r.category.value}\0{r.reason}\0{r.plugin}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def make_engine(disable: Sequence[str] = ()):
    """A Cleaner without the plugins named in ``disable``, and the names among them that
    no installed plugin has (the engine refuses to disable those: here they are skipped).

    The plugins are looked up only when the engine refuses: a plugin that is disabled is
    never loaded, and need not load.
    """
    from cleaner import Cleaner, ConfigError

    names = list(dict.fromkeys(disable))
    try:
        return Cleaner(disable=names), []
    except ConfigError:
        known = {info.name for info in Cleaner().plugins}
        if known.issuperset(names):
            raise  # not an unknown name (an essential plugin, say)
    return Cleaner(disable=[name for name in names if name in known]), sorted(set(names) - known)


def snapshot(
    bench: Path, mode: str, limit: int | None, renderers: tuple[str, ...] = RENDERERS, engine=None
) -> tuple[dict[str, str], float, int]:
    """The digest of every page's result, the seconds spent cleaning, and the page count.

    ``engine``: the Cleaner to run (default: every plugin; see :func:`make_engine`).
    """
    if engine is None:
        engine, _ = make_engine()
    out: dict[str, str] = {}
    seconds = 0.0
    for dataset in ("scrapinghub", "wcxb"):
        pages = load_dataset(bench, dataset, renderers if mode == "text" else (), mode == "html", limit)
        for page in pages:
            inputs = page.text.items() if mode == "text" else [("html", page.html or "")]
            for renderer, content in inputs:
                t0 = time.perf_counter()
                try:
                    value = digest(engine.clean(content, kind=mode, url=page.url))
                except Exception as exc:  # noqa: BLE001 - a failure is an output too
                    value = f"error: {type(exc).__name__}: {exc}"
                seconds += time.perf_counter() - t0
                out[f"{dataset}/{renderer}/{page.id}"] = value
    return out, seconds, len(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.snapshot", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("write", "check"), help="write a snapshot, or check against one")
    parser.add_argument("file", type=Path, help="the snapshot file (JSON)")
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="the benchmark folder")
    parser.add_argument("--mode", choices=("text", "html"), default="text", help="what the engine gets (default text)")
    parser.add_argument("--limit", type=int, default=None, help="only N pages per dataset (check: compares those)")
    parser.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="NAME",
        help="build the engine without this plugin (repeatable); a name not installed is skipped",
    )
    args = parser.parse_args(argv)
    if not (args.bench / "gold-dev.json").exists():
        parser.error(f"no benchmark at {args.bench}: give --bench DIR")

    engine, absent = make_engine(args.disable)
    for name in absent:
        print(f"--disable {name}: no such plugin installed, nothing to disable", file=sys.stderr)
    current, seconds, count = snapshot(args.bench, args.mode, args.limit, engine=engine)
    print(f"{count} results, {seconds:.1f} s cleaning, {count / seconds:.0f} pages/s", file=sys.stderr)
    if args.action == "write":
        args.file.write_text(json.dumps({"mode": args.mode, "digests": current}, indent=0, sort_keys=True))
        print(f"wrote {args.file}")
        return 0
    try:
        saved = json.loads(args.file.read_text())
    except (OSError, ValueError) as exc:
        parser.error(f"cannot read the snapshot {args.file}: {exc}")
    if saved.get("mode") != args.mode:
        parser.error(f"the snapshot is of {saved.get('mode')} mode; give --mode {saved.get('mode')}")
    before = saved["digests"]
    differ = sorted(k for k in current if before.get(k) != current[k])
    missing = [k for k in current if k not in before]
    for key in differ:
        print(f"differs: {key}" + (" (not in the snapshot)" if key in missing else ""))
    print(f"{len(differ)} of {count} results differ from {args.file}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
