"""How time and memory grow with the size of a page, for each shape of hostile input.

Usage (from the repository root)::

    python -m benchmarks.sizes                      # every shape at 1x, 10x, 100x
    python -m benchmarks.sizes --shapes long_line,many_lines --scales 1,10
    python -m benchmarks.sizes --timeout 120        # give up on one measurement after 120 s

Each measurement runs in a fresh child process, so one shape's memory does not inflate
the next: the child reads the page from a file, resets its peak-RSS counter, cleans
the page once through the public API (``Cleaner().clean(bytes)``), and reports the wall
time and the peak resident memory above what it held before cleaning (the input bytes
and the loaded libraries). The ``x`` columns compare each scale with the one before:
linear cost shows as a time ratio near the size ratio (10), quadratic as near 100.

Shapes (the size at 1x; 100x is the size the issue names):

* ``empty``: a zero-byte file (one scale only);
* ``page``: a news page of mixed article paragraphs and boilerplate lines, 0.5 MB;
* ``long_line``: a single line of prose, no line break, 0.1 MB;
* ``many_lines``: 10,000 short lines (menus, numbers, headlines, short sentences);
* ``deep_html``: HTML whose body nests ``<div>`` elements thousands deep, with text, 0.1 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

SHAPES = ("empty", "page", "long_line", "many_lines", "deep_html")
DEFAULT_SCALES = (1, 10, 100)
# Sizes at 1x.
PAGE_BYTES = 500_000
LONG_LINE_BYTES = 100_000
MANY_LINES = 10_000
DEEP_HTML_BYTES = 100_000
# Nesting depth of the deep HTML at 1x; it grows with the scale up to this cap.
DEEP_HTML_DEPTH = 2_000
DEEP_HTML_MAX_DEPTH = 50_000

_WORDS = (
    "the government said on tuesday that talks with its partners would continue through the winter "
    "while officials in the capital warned of rising prices and a shortage of fuel in several regions "
    "minister report council budget energy market court election army city river school hospital "
    "because although however after before during between against without within across"
).split()
_BOILERPLATE = (
    "Advertisement",
    "Menu",
    "Home | World | Business | Sport | Culture",
    "Share on Facebook",
    "Follow us on Instagram!",
    "TRENDING",
    "Most read",
    "Terms of Use | Privacy Policy",
    "© 2024 Example Media. All rights reserved.",
    "Read more: {headline}",
    "19:02",
    "{headline}",
    "|",
    "Укр Рус Eng",
)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _headline(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS).capitalize() for _ in range(rng.randint(4, 9)))


def make_page(size: int, seed: int = 0) -> bytes:
    """A page of about ``size`` bytes: article paragraphs between runs of boilerplate."""
    rng = random.Random(seed)
    lines: list[str] = []
    total = 0
    while total < size:
        for _ in range(rng.randint(3, 12)):
            line = rng.choice(_BOILERPLATE).format(headline=_headline(rng))
            lines.append(line)
            total += len(line) + 1
        lines.append("")
        lines.append(_headline(rng))
        for _ in range(rng.randint(3, 8)):
            line = " ".join(_sentence(rng, rng.randint(8, 25)) for _ in range(rng.randint(1, 4)))
            lines += [line, ""]
            total += len(line) + 2
    return "\n".join(lines).encode("utf-8")


def make_long_line(size: int, seed: int = 0) -> bytes:
    """One line of ``size`` bytes of sentences, with no line break."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        s = _sentence(rng, rng.randint(5, 30))
        parts.append(s)
        total += len(s) + 1
    return " ".join(parts).encode("utf-8")[:size]


def make_many_lines(count: int, seed: int = 0) -> bytes:
    """``count`` short lines: menu items, numbers, time stamps, headlines, short sentences."""
    rng = random.Random(seed)
    makers: tuple[Callable[[], str], ...] = (
        lambda: rng.choice(_WORDS).capitalize(),
        lambda: str(rng.randint(1, 999)),
        lambda: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        lambda: _headline(rng),
        lambda: _sentence(rng, rng.randint(3, 10)),
        lambda: rng.choice(_BOILERPLATE).format(headline=_headline(rng)),
        lambda: "",
    )
    return "\n".join(rng.choice(makers)() for _ in range(count)).encode("utf-8")


def make_deep_html(size: int, depth: int, seed: int = 0) -> bytes:
    """HTML of about ``size`` bytes: ``depth`` nested divs, each with a paragraph of text."""
    rng = random.Random(seed)
    head = "<!doctype html><html><head><title>Deep page</title></head><body>"
    tail = "</body></html>"
    each = max(0, (size - len(head) - len(tail)) // depth - len("<div><p></p></div>"))
    opening = []
    for _ in range(depth):
        text = ""
        while len(text) < each:
            text += _sentence(rng, rng.randint(8, 20)) + " "
        opening.append(f"<div><p>{text[:each].strip()}</p>")
    return (head + "".join(opening) + "</div>" * depth + tail).encode("utf-8")


def build(shape: str, scale: int) -> tuple[bytes, str]:
    """The input for ``shape`` at ``scale``, and the kind to clean it as."""
    if shape == "empty":
        return b"", "text"
    if shape == "page":
        return make_page(PAGE_BYTES * scale), "text"
    if shape == "long_line":
        return make_long_line(LONG_LINE_BYTES * scale), "text"
    if shape == "many_lines":
        return make_many_lines(MANY_LINES * scale), "text"
    if shape == "deep_html":
        depth = min(DEEP_HTML_DEPTH * scale, DEEP_HTML_MAX_DEPTH)
        return make_deep_html(DEEP_HTML_BYTES * scale, depth), "html"
    raise ValueError(f"unknown shape {shape!r} (valid: {', '.join(SHAPES)})")


# -- measuring, in a child process ----------------------------------------------------


def _rss_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter (Linux 4.0+); False where it cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def measure_one(path: str, kind: str, enable: tuple[str, ...] = ()) -> dict[str, object]:
    """Clean the page in ``path`` once; time, peak memory above the baseline, outcome."""
    import gc

    from cleaner import Cleaner, CleanerError

    data = Path(path).read_bytes()
    cleaner = Cleaner(autoload=False, enable=enable)
    cleaner.clean(b"Warm up.\n\nA line of text to load every plugin once.")
    # and the HTML path's libraries (trafilatura, htmldate, lxml's parser), loaded on first use
    cleaner.clean(b"<html><body><article><p>Warm up the HTML path with a line of text.</p></article></body></html>", kind="html")
    gc.collect()
    exact = _reset_peak()
    base_kb = _rss_kb("VmRSS") or 0
    if not exact:  # without a resettable counter, the lifetime peak is the best we have
        base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = None
    started = time.perf_counter()
    try:
        result = cleaner.clean(data, kind=kind)
        out_chars = len(result.text)
    except CleanerError as exc:
        error, out_chars = str(exc), 0
    seconds = time.perf_counter() - started
    peak_kb = (_rss_kb("VmHWM") if exact else None) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "peak_mb": max(0, peak_kb - base_kb) / 1024,
        "out_chars": out_chars,
        "error": error,
    }


def run_child(shape: str, scale: int, timeout: float, enable: tuple[str, ...] = ()) -> dict[str, object]:
    data, kind = build(shape, scale)
    with tempfile.NamedTemporaryFile(prefix=f"sizes-{shape}-", suffix=".bin", delete=False) as fh:
        fh.write(data)
        path = fh.name
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.sizes", "--child", path, kind, *(f"--enable={e}" for e in enable)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=Path(__file__).resolve().parent.parent,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            row: dict[str, object] = {"error": f"child exited {proc.returncode}: {last}", "seconds": None, "peak_mb": None}
        else:
            row = json.loads(proc.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        row = {"error": f"over {timeout:g}s", "seconds": None, "peak_mb": None}
    finally:
        os.unlink(path)
    row["input_mb"] = len(data) / 1e6
    return row


def _fmt(value: object, spec: str) -> str:
    if value is None:
        return "-".rjust(int(spec.split(".")[0]))
    return format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"comma list from {','.join(SHAPES)}")
    parser.add_argument("--scales", default=",".join(map(str, DEFAULT_SCALES)), help="comma list of multipliers")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one measurement may take")
    parser.add_argument(
        "--enable",
        action="append",
        default=[],
        metavar="PLUGIN",
        help="use a plugin that is off by default (judge: the learned judge)",
    )
    parser.add_argument("--child", nargs=2, metavar=("PATH", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    enable = tuple(args.enable)
    if args.child:
        path, kind = args.child
        print(json.dumps(measure_one(path, kind, enable)))
        return 0

    shapes = [s for s in args.shapes.split(",") if s]
    scales = [int(s) for s in args.scales.split(",") if s]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape {unknown[0]!r} (valid: {', '.join(SHAPES)})")
    print(
        f"{'shape':<11} {'scale':>5} {'input MB':>9} {'seconds':>8} {'MB/s':>7} {'x time':>7} {'peak MB':>8} {'peak/in':>8}  note"
    )
    for shape in shapes:
        prev = None
        for scale in [1] if shape == "empty" else scales:
            row = run_child(shape, scale, args.timeout, enable)
            secs = cast("float | None", row.get("seconds"))
            mb, peak = cast(float, row["input_mb"]), cast("float | None", row.get("peak_mb"))
            rate = mb / secs if secs and mb else None
            growth: float | None = secs / prev if secs and prev else None
            ratio = peak / mb if peak is not None and mb else None
            note = row.get("error") or ""
            print(
                f"{shape:<11} {scale:>4}x {mb:>9.2f} {_fmt(secs, '8.3f')} {_fmt(rate, '7.2f')} {_fmt(growth, '7.1f')}"
                f" {_fmt(peak, '8.1f')} {_fmt(ratio, '8.1f')}  {note}",
                flush=True,
            )
            prev = secs if secs else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
