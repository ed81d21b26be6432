"""How right the metadata is on the bench's pages: language (and its cost), author, date.

Usage (from the repository root)::

    python -m benchmarks.metadata                          # both datasets, inscriptis text
    python -m benchmarks.metadata --renderer htmltext --limit 200

The bench has no language labels, so two references stand in for one: the language the
page declares (``<html lang>``'s primary subtag, where it has one: a template's default
is sometimes wrong) and the language py3langid gives the page's gold text (what a
perfect cleaner would be identified as). For each it prints the share of pages on which
the cleaned text's language is the reference's, beside the same share for the page's
whole text (what identifying the boilerplate too would give), and the time the
identifier takes per page (on the cleaned text's first ``MAX_CHARS`` characters; the
cleaning not counted).

Author and date (WCXB, whose gold has both, often null): of the pages with a gold author,
on how many the reported author is it (the lower-cased words of one within the other's),
and of all the authors reported, how many are; of the pages with a gold date, how many
got a ``date`` and how many of those are the gold's day (ISO ``YYYY-MM-DD`` prefix).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from benchmarks.run import DEFAULT_BENCH, load_dataset

_WORDS = re.compile(r"\w+")
_DECLARED = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.I)


def declared(html: str) -> str | None:
    """The primary subtag of the page's ``<html lang>``, lower case, or None."""
    m = _DECLARED.search(html[:20_000])
    return m.group(1).lower() if m else None


def _same_name(reported: str | None, gold: str | None) -> bool:
    a, b = " ".join(_WORDS.findall((reported or "").lower())), " ".join(_WORDS.findall((gold or "").lower()))
    return bool(a and b) and (a in b or b in a)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--renderer", default="inscriptis", choices=("inscriptis", "htmltext", "resiliparse"))
    parser.add_argument("--limit", type=int, default=None, help="pages per dataset, spread over the ids")
    args = parser.parse_args(argv)

    from cleaner import Cleaner
    from cleaner_plugins.language import identify, kept_text

    cleaner = Cleaner(autoload=False)
    for dataset in ("scrapinghub", "wcxb"):
        pages = load_dataset(args.bench, dataset, [args.renderer], True, args.limit)
        gold_file = args.bench / "wcxb-dev" / "gold-dev.json"
        truths = json.loads(gold_file.read_text(encoding="utf-8")) if dataset == "wcxb" else {}
        hits = {"declared": [0, 0, 0], "gold": [0, 0, 0]}  # pages, cleaned right, whole page right
        unsure = 0
        seconds = 0.0
        people = {"gold authors": 0, "found": 0, "reported": 0, "reported right": 0}
        days = {"gold dates": 0, "dated": 0, "right day": 0}
        for page in pages:
            text = page.text[args.renderer]
            result = cleaner.clean(text, url=page.url or None)
            started = time.perf_counter()
            language, _score = identify(kept_text(result.decisions))
            seconds += time.perf_counter() - started
            unsure += language is None
            whole = identify(text)[0]
            truth = truths.get(page.id, {}).get("ground_truth") or {}
            if dataset == "wcxb":
                author, date = result.metadata.get("author"), result.metadata.get("date")
                people["gold authors"] += bool(truth.get("author"))
                people["found"] += _same_name(author, truth.get("author"))
                people["reported"] += bool(author)
                people["reported right"] += _same_name(author, truth.get("author"))
                if truth.get("publish_date"):
                    days["gold dates"] += 1
                    days["dated"] += bool(date)
                    days["right day"] += isinstance(date, str) and date[:10] == truth["publish_date"][:10]
            for name, reference in (("declared", declared(page.html or "")), ("gold", identify(page.gold)[0])):
                if reference is None:
                    continue
                counts = hits[name]
                counts[0] += 1
                counts[1] += language == reference
                counts[2] += whole == reference
        print(f"{dataset} ({len(pages)} pages, {args.renderer}): language None on {unsure}")
        for name, (n, cleaned, whole) in hits.items():
            if n:
                print(f"  = {name:8} language: cleaned text {cleaned / n:.3f}, whole page {whole / n:.3f} ({n} pages)")
        print(f"  identifier time: {1000 * seconds / max(len(pages), 1):.2f} ms a page")
        if people["gold authors"] or days["gold dates"]:
            print("  author: " + ", ".join(f"{k} {v}" for k, v in people.items()))
            print("  date: " + ", ".join(f"{k} {v}" for k, v in days.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
