"""Run boilerplate-removal systems on the benchmark datasets and score them.

Usage (from the repository root)::

    python -m benchmarks.run                                # all datasets, renderers, systems
    python -m benchmarks.run --dataset wcxb --renderer inscriptis --systems cleaner,c4
    python -m benchmarks.run --mode html --systems cleaner,trafilatura --by-type
    python -m benchmarks.run --limit 50 --per-page /tmp/pages.jsonl --json /tmp/summary.json
    python -m benchmarks.run --systems cleaner --bootstrap 200 --gate benchmarks/scores.json
    python -m benchmarks.run --systems cleaner --bootstrap 200 --gate benchmarks/scores.json --accept

Datasets and metrics are described in ``shared/bench/README.md`` (default location
``../shared/bench`` from the repository root); the metrics live in
``benchmarks/metrics.py``. Only the system call is timed (no I/O, no scoring).
See BENCHMARKS.md for what each system is.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from benchmarks import gate
from benchmarks.metrics import (
    Corpus,
    ShinglePage,
    WordPage,
    bootstrap_std,
    shingle_corpus,
    shingle_page,
    snippet_rate,
    word_corpus,
    word_page,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO_ROOT / ".." / "shared" / "bench"
DATASETS = ("scrapinghub", "wcxb")
RENDERERS = ("inscriptis", "htmltext", "resiliparse")
SYSTEMS = ("cleaner", "judge", "none", "c4", "justext", "trafilatura")
PAGE_TYPES = ("article", "service", "forum", "listing", "product", "collection", "documentation")


# --------------------------------------------------------------------------- data


@dataclass
class Page:
    """One benchmark page: its inputs and its gold."""

    id: str
    url: str
    gold: str
    page_type: str | None = None  # WCXB only
    with_snippets: list[str] = field(default_factory=list)  # WCXB only
    without_snippets: list[str] = field(default_factory=list)  # WCXB only
    html: str | None = None
    text: dict[str, str] = field(default_factory=dict)  # renderer -> visible text


def _read(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8", errors="replace")


def load_dataset(bench: Path, dataset: str, renderers: Iterable[str], need_html: bool, limit: int | None) -> list[Page]:
    """Load a dataset's gold, and its HTML and renderer texts as needed (sorted by id)."""
    renderers = list(renderers)
    folder = bench if dataset == "scrapinghub" else bench / "wcxb-dev"
    gold = json.loads((folder / "gold-dev.json").read_text(encoding="utf-8"))
    ids = sorted(gold)
    if limit and limit < len(ids):  # spread over the id order, so every page type shows up
        ids = [ids[i * len(ids) // limit] for i in range(limit)]
    text_suffix = ".txt" if dataset == "scrapinghub" else ".txt.gz"
    pages = []
    for pid in ids:
        entry = gold[pid]
        if dataset == "scrapinghub":
            page = Page(pid, entry.get("url") or "", entry.get("articleBody") or "")
        else:
            truth = entry["ground_truth"]
            page = Page(
                pid,
                entry.get("url") or "",
                truth.get("main_content") or "",
                entry.get("page_type"),
                list(truth.get("with") or []),
                list(truth.get("without") or []),
            )
        if need_html:
            page.html = _read(folder / "html" / f"{pid}.html.gz")
        for renderer in renderers:
            page.text[renderer] = _read(folder / "text" / renderer / f"{pid}{text_suffix}")
        pages.append(page)
    return pages


# --------------------------------------------------------------------------- systems


Extract = Callable[[str, str], str]  # (content, url) -> extracted text


@dataclass
class System:
    """A system under test: ``run(content, url)`` returns the text to score."""

    name: str
    input: str  # "text" (renderer text) or "html"
    run: Extract


class SystemUnavailable(Exception):
    """A system's package is not importable."""


def make_cleaner(kind: str, enable: tuple[str, ...] = ()) -> Extract:
    """The project's engine: ``Cleaner().clean(content, kind=..., url=...).body``.

    ``enable``: plugins that are off by default to use (``judge``: the engine with its
    learned judge). The judge was trained on these pages: its quality figures here are
    no results (the cross-validated ones come from ``python -m benchmarks.train --cv``);
    its speed is.
    """
    try:
        from cleaner import Cleaner  # imported lazily: the engine is optional here
    except Exception as exc:  # noqa: BLE001 - any import failure means "not available"
        raise SystemUnavailable(
            f"cannot import the engine (`from cleaner import Cleaner` failed: {exc!r}); "
            "run from the repository root with the package installed or on the path"
        ) from exc
    engine = Cleaner(enable=enable)
    # warm up outside the clock: the first HTML page pays for importing trafilatura,
    # which the trafilatura peer imports before its clock starts
    engine.clean("<html><body><p>warm up</p></body></html>" if kind == "html" else "warm up", kind=kind)

    def run(content: str, url: str) -> str:
        return engine.clean(content, kind=kind, url=url).body

    return run


def make_none() -> Extract:
    """The floor: the renderer's full text, untouched."""
    return lambda content, url: content


def make_c4() -> Extract:
    """The C4 line rules as datatrove's ``C4QualityFilter`` implements them.

    Line-level rules on, with datatrove's defaults: drop lines with a word over 1,000
    characters, strip Wikipedia-style citations (``[1]``, ``[edit]``), drop lines not
    ending in terminal punctuation (``. ? ! " '``, or ending in ``...``), lines with
    fewer than 3 words, lines mentioning "javascript", and lines with a cookie/terms/
    privacy-policy phrase. The three document-level rules are off because they drop the
    whole page rather than lines: ``min_num_sentences`` (fewer than 5 sentences),
    ``filter_lorem_ipsum`` and ``filter_curly_bracket``. The filter rewrites
    ``doc.text`` to the kept lines joined by newlines, which is what is scored.
    """
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters.c4_filters import C4QualityFilter
    except Exception as exc:  # noqa: BLE001
        raise SystemUnavailable(f"cannot import datatrove ({exc!r}); pip install datatrove") from exc
    logging.getLogger("datatrove").setLevel(logging.WARNING)
    c4 = C4QualityFilter(min_num_sentences=-1, filter_lorem_ipsum=False, filter_curly_bracket=False)

    def run(content: str, url: str) -> str:
        doc = Document(text=content, id=url or "page")
        result = c4.filter(doc)
        kept = result if isinstance(result, bool) else result[0]
        return doc.text if kept else ""

    return run


# ISO 639-1 code (from <html lang=...>) -> jusText stoplist name, for common languages.
JUSTEXT_LANGUAGES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "mr": "Marathi", "ms": "Malay",
    "nb": "Norwegian_Bokmal", "nl": "Dutch", "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese",
}  # fmt: skip
_HTML_LANG_RE = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})", re.IGNORECASE)


def justext_language(html: str) -> str:
    """jusText stoplist for the page: from ``<html lang>`` when it names one, else English."""
    match = _HTML_LANG_RE.search(html[:20000])
    return JUSTEXT_LANGUAGES.get(match.group(1).lower(), "English") if match else "English"


def make_justext(stoplist: str = "auto") -> Extract:
    """jusText on the HTML with default parameters; the non-boilerplate paragraphs, one per line.

    ``stoplist="auto"``: English, unless ``<html lang>`` names another language jusText
    has a stoplist for; then the page is run with both stoplists and the one that keeps
    more text wins (a page may declare a language it is not written in). Any other value
    names one jusText stoplist used for every page.
    """
    try:
        import justext
    except Exception as exc:  # noqa: BLE001
        raise SystemUnavailable(f"cannot import justext ({exc!r}); pip install justext") from exc
    if stoplist != "auto" and stoplist not in justext.get_stoplists():
        raise SystemUnavailable(f"jusText has no stoplist {stoplist!r}")
    stoplists: dict[str, frozenset[str]] = {}

    def extract(content: str, language: str) -> str:
        if language not in stoplists:
            stoplists[language] = justext.get_stoplist(language)
        paragraphs = justext.justext(content, stoplists[language])
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    def run(content: str, url: str) -> str:
        if stoplist != "auto":
            return extract(content, stoplist)
        english = extract(content, "English")
        declared = justext_language(content)
        if declared == "English":
            return english
        native = extract(content, declared)
        return native if len(native) >= len(english) else english

    return run


def make_trafilatura() -> Extract:
    """``trafilatura.extract(html, include_comments=False, url=url)`` (None scores as empty)."""
    try:
        import trafilatura
    except Exception as exc:  # noqa: BLE001
        raise SystemUnavailable(f"cannot import trafilatura ({exc!r}); pip install trafilatura") from exc
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    def run(content: str, url: str) -> str:
        return trafilatura.extract(content, include_comments=False, url=url or None) or ""

    return run


def make_system(name: str, mode: str, justext_stoplist: str = "auto") -> System | None:
    """Build a system for a mode; None if it does not apply to that mode."""
    if name == "cleaner":
        return System(name, mode, make_cleaner(mode))
    if name == "judge":
        return System(name, mode, make_cleaner(mode, ("judge",)))
    if name in ("none", "c4"):
        if mode != "text":
            return None
        return System(name, "text", make_none() if name == "none" else make_c4())
    if name == "justext":
        return System(name, "html", make_justext(justext_stoplist))
    if name == "trafilatura":
        return System(name, "html", make_trafilatura())
    raise ValueError(f"unknown system {name!r}; choose from {', '.join(SYSTEMS)}")


# --------------------------------------------------------------------------- scoring


@dataclass
class Result:
    """A system's scores on one dataset and input."""

    dataset: str
    mode: str
    input: str  # renderer name, or "html"
    system: str
    pages: int
    corpus: Corpus
    std: Corpus
    seconds: float
    megabytes: float
    errors: int
    with_rate: float | None = None
    without_rate: float | None = None
    by_type: dict[str, float] = field(default_factory=dict)
    type_pages: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else float("inf")

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds > 0 else float("inf")

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "mode": self.mode,
            "input": self.input,
            "system": self.system,
            "pages": self.pages,
            "f1": self.corpus.f1,
            "precision": self.corpus.precision,
            "recall": self.corpus.recall,
            "accuracy": self.corpus.accuracy,
            "f1_std": self.std.f1,
            "precision_std": self.std.precision,
            "recall_std": self.std.recall,
            "with_rate": self.with_rate,
            "without_rate": self.without_rate,
            "f1_by_type": self.by_type or None,
            "pages_by_type": self.type_pages or None,
            "seconds": self.seconds,
            "input_mb": self.megabytes,
            "docs_per_s": self.docs_per_s,
            "mb_per_s": self.mb_per_s,
            "errors": self.errors,
        }


def evaluate(
    dataset: str,
    mode: str,
    source: str,
    system: System,
    pages: list[Page],
    per_page: TextIO | None,
    bootstrap: int,
) -> Result:
    """Run ``system`` on every page (input ``source``: a renderer name or "html") and score it."""
    seconds = 0.0
    nbytes = 0
    errors = 0
    shingle_pages: list[ShinglePage] = []
    word_pages: list[WordPage] = []
    with_rates: list[float] = []
    without_rates: list[float] = []
    by_type: dict[str, list[float]] = {}
    for page in pages:
        content = page.html if source == "html" else page.text[source]
        assert content is not None
        nbytes += len(content.encode("utf-8"))
        error = None
        start = time.perf_counter()
        try:
            output = system.run(content, page.url)
        except Exception as exc:  # noqa: BLE001 - a crash scores as an empty output
            output, error = "", repr(exc)
        seconds += time.perf_counter() - start
        if error is not None:
            if errors == 0:
                print(f"  {system.name} failed on {dataset}/{page.id}: {error}", file=sys.stderr)
            errors += 1
        if not isinstance(output, str):
            output = "" if output is None else str(output)
        record: dict[str, Any] = {
            "id": page.id,
            "dataset": dataset,
            "mode": mode,
            "renderer": source,
            "system": system.name,
            "page_type": page.page_type,
        }
        if dataset == "scrapinghub":
            sp = shingle_page(output, page.gold)
            shingle_pages.append(sp)
            record.update(p=sp.precision, r=sp.recall, f1=sp.f1, exact=sp.exact)
        else:
            wp = word_page(output, page.gold)
            word_pages.append(wp)
            w_in = snippet_rate(output, page.with_snippets)
            w_out = snippet_rate(output, page.without_snippets)
            with_rates.append(w_in)
            without_rates.append(w_out)
            by_type.setdefault(page.page_type or "?", []).append(wp.f1)
            record.update(p=wp.precision, r=wp.recall, f1=wp.f1, with_rate=w_in, without_rate=w_out)
        if error is not None:
            record["error"] = error
        if per_page is not None:
            per_page.write(json.dumps(record, ensure_ascii=False) + "\n")

    if dataset == "scrapinghub":
        corpus = shingle_corpus(shingle_pages)
        std = bootstrap_std(shingle_pages, shingle_corpus, samples=bootstrap)
    else:
        corpus = word_corpus(word_pages)
        std = bootstrap_std(word_pages, word_corpus, samples=bootstrap)
    result = Result(dataset, mode, source, system.name, len(pages), corpus, std, seconds, nbytes / 1e6, errors)
    if dataset == "wcxb":
        n = len(pages) or 1
        result.with_rate = sum(with_rates) / n
        result.without_rate = sum(without_rates) / n
        result.by_type = {t: sum(v) / len(v) for t, v in sorted(by_type.items())}
        result.type_pages = {t: len(v) for t, v in sorted(by_type.items())}
    return result


# --------------------------------------------------------------------------- output


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_table(results: list[Result]) -> str:
    """One table per dataset; WCXB adds the snippet rates, ScrapingHub the accuracy."""
    lines: list[str] = []
    for dataset in DATASETS:
        rows = [r for r in results if r.dataset == dataset]
        if not rows:
            continue
        metric = "shingle F1" if dataset == "scrapinghub" else "word F1"
        extra = ["acc"] if dataset == "scrapinghub" else ["with", "without"]
        header = ["dataset", "input", "system", "F1", "±", "P", "R", *extra, "docs/s", "MB/s", "pages"]
        table = [header]
        for r in rows:
            cells = [r.dataset, r.input, r.system, _fmt(r.corpus.f1), _fmt(r.std.f1),
                     _fmt(r.corpus.precision), _fmt(r.corpus.recall)]  # fmt: skip
            if dataset == "scrapinghub":
                cells.append(_fmt(r.corpus.accuracy))
            else:
                cells += [_fmt(r.with_rate), _fmt(r.without_rate)]
            cells += [f"{r.docs_per_s:.1f}", f"{r.mb_per_s:.2f}", str(r.pages)]
            if r.errors:
                cells[-1] += f" ({r.errors} errors)"
            table.append(cells)
        lines.append(f"{dataset}: {metric} (mode {rows[0].mode})")
        lines += _align(table, left=3)
        lines.append("")
    return "\n".join(lines)


def format_by_type(results: list[Result]) -> str:
    """WCXB word F1 per page type (page counts in the header)."""
    rows = [r for r in results if r.dataset == "wcxb" and r.by_type]
    if not rows:
        return ""
    types = [t for t in PAGE_TYPES if any(t in r.by_type for r in rows)]
    types += sorted({t for r in rows for t in r.by_type} - set(types))
    header = ["input", "system", *(f"{t} ({rows[0].type_pages.get(t, 0)})" for t in types)]
    table = [header] + [[r.input, r.system, *(_fmt(r.by_type.get(t)) for t in types)] for r in rows]
    return "\n".join(["wcxb: word F1 by page type (pages)", *_align(table, left=2)]) + "\n"


def _align(table: list[list[str]], left: int) -> list[str]:
    """Lay out rows in columns: the first ``left`` columns left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]

    def line(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if j < left else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths, strict=False)))

    return [line(table[0]), "  ".join("-" * w for w in widths), *(line(row) for row in table[1:])]


# --------------------------------------------------------------------------- main


def _choices(value: str, allowed: tuple[str, ...], what: str) -> list[str]:
    if value == "all":
        return list(allowed)
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        options = ", ".join(allowed)
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (choose from {options} or all)")
    return chosen


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    description = (__doc__ or "").split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=description)
    parser.add_argument(
        "--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder (default: ../shared/bench from the repo root)"
    )
    parser.add_argument("--dataset", default="all", help="scrapinghub, wcxb or all (default)")
    parser.add_argument(
        "--renderer", default="all", help="text-mode renderer: inscriptis, htmltext, resiliparse or all (default)"
    )
    parser.add_argument(
        "--mode", choices=("text", "html"), default="text", help="input of the cleaner: renderer text (default) or HTML"
    )
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma list from {', '.join(SYSTEMS)} (default: all)")
    parser.add_argument("--limit", type=int, default=None, help="only N pages per dataset, spread evenly over the id order")
    parser.add_argument("--per-page", type=Path, default=None, help="write per-page scores to this JSONL file")
    parser.add_argument("--by-type", action="store_true", help="print WCXB word F1 per page type")
    parser.add_argument("--json", type=Path, default=None, help="write the summary to this JSON file")
    parser.add_argument(
        "--justext-stoplist",
        default="auto",
        help="jusText stoplist: auto (from <html lang>, else English; default) or a stoplist name such as English for every page",
    )
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="bootstrap resamples for the ± column (default 1000; 0 to skip)"
    )
    parser.add_argument(
        "--gate",
        type=Path,
        default=None,
        metavar="SCORES",
        help="recorded scores (benchmarks/scores.json): exit 1 when a result's F1 is "
        "below its recorded F1 by more than the recorded bootstrap std",
    )
    parser.add_argument(
        "--accept", action="store_true", help="with --gate: write this run's F1s and stds into SCORES (other entries stay)"
    )
    args = parser.parse_args(argv)
    if args.accept and args.gate is None:
        parser.error("--accept needs --gate SCORES")
    if args.accept and args.bootstrap <= 0:
        parser.error("--accept records the bootstrap std: run it with --bootstrap N (e.g. 200)")
    return args  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    datasets = _choices(args.dataset, DATASETS, "dataset")
    renderers = _choices(args.renderer, RENDERERS, "renderer")
    names = _choices(args.systems, SYSTEMS, "system")
    bench: Path = args.bench.resolve()
    if not (bench / "gold-dev.json").exists():
        print(f"benchmark data not found in {bench} (use --bench DIR)", file=sys.stderr)
        return 2

    systems: list[System] = []
    for name in names:
        try:
            system = make_system(name, args.mode, args.justext_stoplist)
        except SystemUnavailable as exc:
            print(f"{name}: skipped: {exc}", file=sys.stderr)
            continue
        if system is None:
            print(f"{name}: skipped: text mode only", file=sys.stderr)
            continue
        systems.append(system)
    if not systems:
        print("no system to run", file=sys.stderr)
        return 2

    text_systems = [s for s in systems if s.input == "text"]
    html_systems = [s for s in systems if s.input == "html"]
    per_page = args.per_page.open("w", encoding="utf-8") if args.per_page else None
    results: list[Result] = []
    try:
        for dataset in datasets:
            start = time.perf_counter()
            needed = renderers if text_systems else []
            pages = load_dataset(bench, dataset, needed, bool(html_systems), args.limit)
            took = time.perf_counter() - start
            print(f"{dataset}: loaded {len(pages)} pages in {took:.1f}s", file=sys.stderr)
            runs = [(r, s) for r in renderers for s in text_systems] + [("html", s) for s in html_systems]
            for source, system in runs:
                result = evaluate(dataset, args.mode, source, system, pages, per_page, args.bootstrap)
                results.append(result)
                print(f"  {dataset} {source} {system.name}: F1 {result.corpus.f1:.3f} "
                      f"({result.seconds:.1f}s in the system)", file=sys.stderr)  # fmt: skip
    finally:
        if per_page is not None:
            per_page.close()

    if args.json:
        summary = {"bench": str(bench), "mode": args.mode, "limit": args.limit,
                   "results": [r.to_json() for r in results]}  # fmt: skip
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(format_table(results))
    if args.by_type:
        print(format_by_type(results))
    if args.gate is not None:
        return run_gate(args.gate, results, args.accept)
    return 0


def run_gate(path: Path, results: list[Result], accept: bool) -> int:
    """Check the results against the recorded scores (or record them): 1 when one is lower."""
    if accept:
        gate.accept(path, results, gate.current_commit(REPO_ROOT))
        print(f"gate: {len(results)} results recorded in {path}")
        return 0
    if not path.exists():
        print(f"gate: no scores file {path} (record one with --accept)", file=sys.stderr)
        return 2
    verdict = gate.check(gate.load(path), results)
    print(verdict.report())
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    sys.exit(main())
