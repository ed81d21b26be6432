"""Site templates on the bench: each site's pages cleaned with and without templates.

For every site (the URL's host) of a dataset, the site's pages are cleaned alone, and
again with the templates learned from them (as ``clean --learn-templates`` does with a
batch of one site's pages: the first pass reads the pages, no gold). Printed: the F1 per
site with several pages (the dataset's own metric: word F1 for WCXB, shingle F1 for
ScrapingHub, a page's F1 averaged over the site's pages), the mean change on sites of at
least 5 pages, the worst change, whether single-page sites came out identical, and the
time of learning and cleaning against cleaning alone.

Usage (from the repository root)::

    python -m benchmarks.templates                          # WCXB, htmltext, text mode
    python -m benchmarks.templates --renderer inscriptis --mode text
    python -m benchmarks.templates --mode html --min-pages 2
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.metrics import shingle_page, word_page
from benchmarks.run import DEFAULT_BENCH, RENDERERS, load_dataset
from cleaner import Cleaner
from cleaner.templates import MIN_SITE_PAGES, TemplateLearner, site_of

# The bar: sites of at least this many pages are expected to gain.
TARGET_PAGES = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.templates", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--dataset", choices=("wcxb", "scrapinghub"), default="wcxb")
    parser.add_argument("--mode", choices=("text", "html"), default="text")
    parser.add_argument("--renderer", choices=RENDERERS, default="htmltext", help="text mode: whose page text")
    parser.add_argument("--min-pages", type=int, default=1, help="clean only the sites of at least this many pages")
    args = parser.parse_args(argv)

    html = args.mode == "html"
    pages = load_dataset(args.bench, args.dataset, [] if html else [args.renderer], html, None)
    score: Callable[[str, str], Any] = word_page if args.dataset == "wcxb" else shingle_page
    by_site: dict[str, list] = defaultdict(list)
    for page in pages:
        by_site[site_of(page.url) or page.id].append(page)
    plain = Cleaner()
    kind = "html" if html else "text"

    def content(page) -> str:
        return page.html if html else page.text[args.renderer]

    groups = sorted((site, group) for site, group in by_site.items() if len(group) >= args.min_pages)
    chosen = [p for _, group in groups for p in group]
    t0 = time.perf_counter()
    learner = TemplateLearner()  # one for every site: each site's counts are its own
    for p in chosen:
        learner.add_lines(*plain.template_lines(content(p), url=p.url, kind=kind))
    learned = Cleaner(templates=learner.templates())
    time_learn = time.perf_counter() - t0
    learned.clean("warm up", kind="text")
    # each page cleaned by both, in turn, the first one by turns: the machine's load and
    # the line caches (the second cleaning of a page finds its lines' statistics cached)
    # weigh on both alike
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    time_plain = time_clean = 0.0
    for n, p in enumerate(chosen):
        for engine, out in ((plain, before), (learned, after))[:: 1 if n % 2 else -1]:
            t = time.perf_counter()
            out[p.id] = engine.clean(content(p), kind=kind, url=p.url).body
            spent = time.perf_counter() - t
            if engine is plain:
                time_plain += spent
            else:
                time_clean += spent

    rows = []
    identical_single = all(before[g[0].id] == after[g[0].id] for _, g in groups if len(g) == 1)
    for site, group in groups:
        if len(group) == 1:
            continue
        f_before = sum(score(before[p.id], p.gold).f1 for p in group) / len(group)
        f_after = sum(score(after[p.id], p.gold).f1 for p in group) / len(group)
        changed = sum(after[p.id] != before[p.id] for p in group)
        rows.append((site, len(group), f_before, f_after, changed))

    where = f"{args.dataset}, {args.mode} mode" + ("" if html else f", {args.renderer}")
    print(f"Site templates, {where}: F1 per site (mean of its pages), without and with templates")
    print(f"{'site':<32} {'pages':>5} {'without':>8} {'with':>8} {'change':>8} {'pages changed':>14}")
    for site, n, fb, fa, changed in sorted(rows, key=lambda r: (-r[1], r[0])):
        print(f"{site:<32} {n:>5} {fb:>8.4f} {fa:>8.4f} {fa - fb:>+8.4f} {changed:>14}")
    big = [r for r in rows if r[1] >= TARGET_PAGES]
    if big:
        mean, worst = sum(r[3] - r[2] for r in big) / len(big), min(r[3] - r[2] for r in big)
        print(f"sites of >= {TARGET_PAGES} pages: {len(big)}, mean change {mean:+.4f}, worst {worst:+.4f}")
    small = [r for r in rows if MIN_SITE_PAGES <= r[1] < TARGET_PAGES]
    if small:
        mean, worst = sum(r[3] - r[2] for r in small) / len(small), min(r[3] - r[2] for r in small)
        print(f"sites of {MIN_SITE_PAGES}-{TARGET_PAGES - 1} pages: {len(small)}, mean change {mean:+.4f}, worst {worst:+.4f}")
    if rows:
        print(f"all sites of >= 2 pages: {len(rows)}, worst change {min(r[3] - r[2] for r in rows):+.4f}")
    if args.min_pages <= 1:
        print(f"single-page sites identical: {'yes' if identical_single else 'NO'}")
    both = time_learn + time_clean
    print(
        f"time: cleaning alone {time_plain:.1f} s; learning {time_learn:.1f} s + cleaning with templates {time_clean:.1f} s"
        f" = {both:.1f} s ({both / time_plain:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
