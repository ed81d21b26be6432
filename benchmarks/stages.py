"""Where a text-mode page's time goes, beside the C4 line rules' whole cost.

Usage (from the repository root)::

    python -m benchmarks.stages                          # WCXB, htmltext
    python -m benchmarks.stages --dataset scrapinghub --renderer inscriptis

It cleans every page of one renderer's text twice: once as ``benchmarks.run`` does (the
figure to compare with C4's), then with each hook implementation timed on its own (the
stages' sum is a little above the first figure: the timers cost too). It also times
the line statistics every detector shares (``cleaner.textstats``: words, function words,
sentence end, letters) on every line of the pages, uncached, per line; and the C4 line rules
(datatrove's ``C4QualityFilter``, as ``benchmarks.run`` configures it) per page and per
line. The figures show how much of C4's budget the shared statistics alone take, which is
what bounds the speed of a design in which Python plugins judge lines.

The per-implementation timing wraps the engine's table of hook implementations
(``Cleaner._impls``), a private detail, and replaces ``Document.view`` while it runs (to
time the building of the page view): this script is a measuring tool, not an API user.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
import types
from collections import Counter
from pathlib import Path

from benchmarks.run import DEFAULT_BENCH, SystemUnavailable, load_dataset, make_c4


def _timed_engine(counter: Counter):
    """A Cleaner whose hook implementations add their time to ``counter``, by (hook, plugin),
    and the function that puts ``Document.view`` (the page view) back as it was. The settling pass is
    counted as ("engine", "settle") and includes its plugins' time."""
    from cleaner import Cleaner

    engine = Cleaner()
    engine.clean("warm up")
    for hook, impls in engine._impls.items():
        wrapped = []
        for plugin, function, argnames in impls:

            def call(*args, _function=function, _key=(hook, plugin)):
                start = time.perf_counter()
                result = _function(*args)
                if isinstance(result, types.GeneratorType):  # its work is done while it is read
                    result = list(result)
                counter[_key] += time.perf_counter() - start  # type: ignore[assignment]  # seconds: a Counter adds floats as it adds ints
                return result

            wrapped.append((plugin, call, argnames))
        engine._impls[hook] = tuple(wrapped)
    settle = engine._settle

    def timed_settle(first):
        start = time.perf_counter()
        result = settle(first)
        counter[("engine", "settle")] += time.perf_counter() - start  # type: ignore[assignment]  # seconds: a Counter adds floats as it adds ints
        return result

    engine._settle = timed_settle  # type: ignore[method-assign]  # timing: this engine's settle is wrapped
    # the page view (line statistics, label keys) is built when the first plugin reads it
    from cleaner.model import Document

    build = Document.__dict__["view"]

    def timed_view(doc):
        start = time.perf_counter()
        view = build.func(doc)
        counter[("(page view)", "textstats")] += time.perf_counter() - start  # type: ignore[assignment]  # seconds: a Counter adds floats as it adds ints
        return view

    timed = functools.cached_property(timed_view)
    timed.__set_name__(Document, "view")
    Document.view = timed  # type: ignore[method-assign, assignment]  # timing: the page view is wrapped, restore() undoes it

    def restore() -> None:
        Document.view = build  # type: ignore[method-assign]  # the cached_property taken above

    return engine, restore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=("scrapinghub", "wcxb"), default="wcxb")
    parser.add_argument("--renderer", choices=("inscriptis", "htmltext", "resiliparse"), default="htmltext")
    parser.add_argument("--limit", type=int, default=None, help="only N pages, spread over the id order")
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--top", type=int, default=20, help="how many stages to list")
    args = parser.parse_args(argv)

    from cleaner import Cleaner
    from cleaner.textstats import _line_stats

    pages = load_dataset(args.bench, args.dataset, [args.renderer], False, args.limit)
    texts = [p.text[args.renderer] for p in pages]
    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    n, nlines = len(texts), len(lines)
    print(f"{args.dataset} {args.renderer}: {n} pages, {nlines} non-blank lines ({nlines / n:.0f} a page)")

    engine = Cleaner()
    engine.clean("warm up")
    start = time.perf_counter()
    for text in texts:
        engine.clean(text, kind="text")
    cleaner_s = time.perf_counter() - start

    start = time.perf_counter()
    for line in lines:
        _line_stats(line)
    stats_s = time.perf_counter() - start

    try:
        c4 = make_c4()
    except SystemUnavailable as exc:
        print(f"c4: skipped ({exc})", file=sys.stderr)
        c4_s = None
    else:
        start = time.perf_counter()
        for text in texts:
            c4(text, "")
        c4_s = time.perf_counter() - start

    counter: Counter = Counter()
    timed, restore = _timed_engine(counter)
    try:
        for text in texts:
            timed.clean(text, kind="text")
    finally:
        restore()

    def per_page(seconds: float) -> str:
        return f"{1000 * seconds / n:7.3f} ms/page"

    def per_line(seconds: float) -> str:
        return f"{1e6 * seconds / nlines:6.2f} us/line"

    print()
    print(f"cleaner, whole clean()        {per_page(cleaner_s)}  {per_line(cleaner_s)}  {n / cleaner_s:6.0f} docs/s")
    if c4_s is not None:
        print(f"C4 line rules, whole filter   {per_page(c4_s)}  {per_line(c4_s)}  {n / c4_s:6.0f} docs/s")
    print(f"line statistics alone         {per_page(stats_s)}  {per_line(stats_s)}  (uncached, every line once)")
    if c4_s is not None:
        print(f"  = {stats_s / c4_s:.2f}x the C4 rules' whole time; cleaner = {cleaner_s / c4_s:.1f}x")
    print()
    print("stage (hook, implementation); the settling pass includes its plugins' second calls,")
    print("and the plugin that first asks for a page's view (line statistics, label keys) includes")
    print("building it, which '(page view)' also shows on its own")
    for (hook, plugin), seconds in counter.most_common(args.top):
        print(f"  {hook:20s} {plugin:14s} {per_page(seconds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
