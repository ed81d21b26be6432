"""How often the headline the cleaner puts first is the page's title.

Usage (from the repository root)::

    python -m benchmarks.headlines                       # WCXB, every renderer, by page type
    python -m benchmarks.headlines --renderer htmltext --show 20

``clean`` prints the headline, a blank line, then the body; the F1 of ``benchmarks.run``
scores the body alone, so a wrong headline (the author line, "2 min read") costs it
nothing. This scores ``Result.title`` against the title of the WCXB gold (ScrapingHub's
gold has none), both reduced to their words, case-folded:

- **exact**: the same words;
- **part**: one holds the other (a title with the site's name after it, a headline cut);
- **wrong**: another line;
- **none**: no headline given.

Pages whose gold has no title, or whose page text is empty, are left out.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from benchmarks.run import DEFAULT_BENCH, PAGE_TYPES, RENDERERS, load_dataset

_WORD = re.compile(r"\w+")
OUTCOMES = ("exact", "part", "wrong", "none")


def words(text: str | None) -> str:
    """The text's words, case-folded, joined by single spaces."""
    return " ".join(_WORD.findall((text or "").casefold()))


def outcome(title: str | None, gold: str | None) -> str:
    """exact, part, wrong or none: how ``title`` compares with the gold title."""
    got, want = words(title), words(gold)
    if not got:
        return "none"
    if got == want:
        return "exact"
    if got in want or want in got:
        return "part"
    return "wrong"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renderer", default="all", help="inscriptis, htmltext, resiliparse or all (default)")
    parser.add_argument("--limit", type=int, default=None, help="only N pages, spread over the id order")
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--show", type=int, default=0, help="print this many wrong article headlines")
    args = parser.parse_args(argv)
    renderers = list(RENDERERS) if args.renderer == "all" else [args.renderer]
    if not set(renderers) <= set(RENDERERS):
        parser.error(f"unknown renderer {args.renderer!r}")

    from cleaner import Cleaner

    engine = Cleaner()
    pages = load_dataset(args.bench, "wcxb", renderers, False, args.limit)
    # the gold's titles (load_dataset keeps the main text only)
    gold = json.loads((args.bench / "wcxb-dev" / "gold-dev.json").read_text(encoding="utf-8"))
    print("renderer     type           pages  exact   part  wrong   none  exact+part")
    for renderer in renderers:
        counts: dict[str, Counter] = {}
        wrong: list[tuple[str, str, str]] = []
        for page in pages:
            title = (gold[page.id].get("ground_truth") or {}).get("title")
            text = page.text[renderer]
            if not words(title) or not text.strip():
                continue
            result = engine.clean(text, kind="text", url=page.url)
            found = outcome(result.title, title)
            counts.setdefault(page.page_type or "?", Counter())[found] += 1
            if found in ("wrong", "none") and page.page_type == "article":
                wrong.append((page.id, title or "", result.title or ""))
        total: Counter = Counter()
        for kind in [t for t in PAGE_TYPES if t in counts] + ["all"]:
            c = total if kind == "all" else counts[kind]
            if kind != "all":
                total.update(c)
            n = sum(c.values())
            share = [100 * c[o] / n for o in OUTCOMES]
            print(f"{renderer:12s} {kind:13s} {n:6d} " + " ".join(f"{x:5.1f}%" for x in share) + f"  {share[0] + share[1]:9.1f}%")
        for pid, title, got in wrong[: args.show]:
            print(f"  {pid}: gold {title[:60]!r}, got {got[:60]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
