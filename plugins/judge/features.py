"""The judge's features: what a page's lines look like, where they stand, what the rules said.

One pass per page, in columns: a few whole-page regex passes count characters and
matches per line (what is not counted is removed, and the lengths of what is left,
line by line, are the counts), the shared line statistics give words, sentence
ends and function words, and numpy computes the context of each line (the same figures
over windows of neighbours, runs of short lines, the distance to the densest prose).
Every built-in detector's verdict on the line is a feature too (signed strength: drop
negative, keep positive), and so are the decisions after revision: the plugins are the
model's evidence.

:func:`page_features` returns a float32 matrix, one row per block, with the columns of
:data:`NAMES`. :data:`WORDS` says each in words, for ``--explain``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from cleaner import Category, Decision, Document, Evidence
from cleaner.textstats import HEADING_MAX_WORDS, LIST_ITEM_MAX_WORDS
from cleaner_plugins.context import densest
from cleaner_plugins.textstats import is_caps_heading, is_code, page
from cleaner_plugins.title import cleaner_title as rules_headline

# Detectors whose verdicts are features, each its own column. A site plugin's verdicts
# (the claimant's) go in one column, "site"; other plugins' are not read.
DETECTORS = (
    "nav", "ad", "trending", "related", "social", "footer", "byline", "caption",
    "taxonomy", "debris", "duplicate", "context",
)  # fmt: skip
CATEGORIES = tuple(Category)

# Whole-page scans: characters per line that match.
# Runs of what is not a digit (and no line break), removed to count the digits.
_NOT_DIGIT = re.compile(r"[^\d\n]+")
# A capital letter (Latin, Greek, Cyrillic) and the rest of its word: a word in capitals
# or title case ("iPhone" counts its "Phone"). Each pattern here starts with a character
# class, so the regex engine skips to the next candidate character in C.
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁЄІЇҐ]\w*")
# Link-like tokens: a web address, an e-mail, a path; separators of menus and breadcrumbs.
_LINKISH = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net|html?|php)\b|/\w")
_SEPARATOR = re.compile(r"[|•·»›«‹>]| [-–—/] ")
# A counter: a number alone, in brackets, or a number before or after a word or two
# ("12 comments", "Page 2 of 5", "(3)").
_COUNTER = re.compile(r"^\W*\d[\d.,:]*\W*$|^\(\d+\)|\(\d+\)$|^\d[\d.,]*\s+\w+$|^\w+\s+\d[\d.,]*$")
_BULLET = frozenset("-*•·▪►▶✓→–—")
_WINDOWS = (1, 3, 8)


def _names() -> tuple[str, ...]:
    line = [
        "log_chars", "log_words", "sentence_end", "function_share", "letters", "cjk", "prose",
        "digits", "punctuation", "capitalised", "linkish", "separators", "counter",
        "headline_like", "code", "caps_heading", "ends_colon", "ends_question", "starts_bullet",
        "starts_digit", "starts_lower", "blank_before", "blank_after", "indent", "repeats",
        "mean_word_len",
    ]  # fmt: skip
    place = ["position", "text_position", "lines_to_end", "short_run", "place_in_run",
             "prose_dist", "in_main", "main_dist", "long_prose_dist",
             "group_lines", "group_words", "group_prose"]  # fmt: skip
    context = []
    for k in _WINDOWS:
        context += [f"words_{k}", f"prose_{k}", f"sentence_end_{k}", f"function_{k}", f"linkish_{k}", f"dropped_{k}"]
    context += ["prev_words", "next_words", "prev_prose", "next_prose", "prev_dropped", "next_dropped"]
    evidence = [f"v_{d}" for d in DETECTORS] + ["v_site"]
    evidence += ["first_keep", "first_strength", "final_keep", "final_strength", "rules_headline"]
    evidence += [f"final_{c.value}" for c in CATEGORIES]
    return tuple(line + place + context + evidence)


# No column is the same for every line of a page (its length, its share of prose): with
# them the trees learnt priors of the training pages' sizes, and cross-validated by site
# they cost WCXB up to 0.01 and ScrapingHub up to 0.05 (CHANGELOG, 2026-12-08).
NAMES = _names()
INDEX = {name: i for i, name in enumerate(NAMES)}


def _chars_per_line(keep: re.Pattern[str], joined: str, n: int) -> np.ndarray:
    """How many characters of each line are of a class: ``keep`` matches runs of the
    other characters (a negated class that also excludes the line break), which one C pass
    removes; the lengths of what is left, line by line, are the counts."""
    left = keep.sub("", joined).split("\n")
    return np.fromiter(map(len, left), dtype=np.float32, count=n)


_MARK = "\x00"
_NOT_MARK = re.compile(r"[^\x00\n]+")


def _matches_per_line(pattern: re.Pattern[str], joined: str, n: int) -> np.ndarray:
    """How many matches of ``pattern`` (which never spans a line break) each line holds:
    each match becomes one mark character, then :func:`_chars_per_line` counts the marks."""
    if _MARK in joined:  # a page with NUL characters: line by line
        return np.fromiter((len(pattern.findall(t)) for t in joined.split("\n")), dtype=np.float32, count=n)
    return _chars_per_line(_NOT_MARK, pattern.sub(_MARK, joined), n)


def _window_mean(x: np.ndarray, k: int) -> np.ndarray:
    """The mean of each column of ``x`` (lines by columns) over the ``k`` lines on each side
    of each line, the line excluded."""
    n = len(x)
    cs = np.concatenate((np.zeros((1, x.shape[1])), np.cumsum(x, axis=0, dtype=np.float64)))
    idx = np.arange(n)
    lo = np.maximum(idx - k, 0)
    hi = np.minimum(idx + k + 1, n)
    total = cs[hi] - cs[lo] - x
    count = (hi - lo - 1)[:, None]
    return np.where(count > 0, total / np.maximum(count, 1), 0.0).astype(np.float32)


def _shift(x: np.ndarray, by: int, fill: float = 0.0) -> np.ndarray:
    out = np.full_like(x, fill)
    if by > 0:
        out[by:] = x[:-by]
    elif by < 0:
        out[:by] = x[-by:]
    else:
        out[:] = x
    return out


def _runs(short: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each line, the length of the run of ``short`` lines it stands in (0 outside
    one) and its place in that run (from 1)."""
    n = len(short)
    length = np.zeros(n, dtype=np.float32)
    place = np.zeros(n, dtype=np.float32)
    i = 0
    flags = short.tolist()
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < n and flags[j]:
            j += 1
        length[i:j] = j - i
        place[i:j] = np.arange(1, j - i + 1)
        i = j
    return length, place


def _distance_to(mask: np.ndarray) -> np.ndarray:
    """For each line, how many lines away the nearest line of ``mask`` is (n when none)."""
    n = len(mask)
    where = np.flatnonzero(mask)
    if len(where) == 0:
        return np.full(n, float(n), dtype=np.float32)
    idx = np.arange(n)
    k = np.searchsorted(where, idx)
    after = where[np.minimum(k, len(where) - 1)]
    before = where[np.maximum(k - 1, 0)]
    return np.minimum(np.abs(after - idx), np.abs(idx - before)).astype(np.float32)


def _signed(v) -> float:
    """A verdict as a number: its strength, negative for a drop, positive for a keep, 0 for none."""
    if v is None:
        return 0.0
    return float(v.strength) if v.category is None else -float(v.strength)


def page_features(doc: Document, decisions: Sequence[Decision], evidence: Evidence | None = None) -> np.ndarray:
    """The feature matrix of a page: one float32 row per block, columns :data:`NAMES`."""
    blocks = doc.blocks
    n = len(blocks)
    out = np.zeros((n, len(NAMES)), dtype=np.float32)
    if n == 0:
        return out
    view = page(doc)
    stats = view.stats
    texts = [b.text for b in blocks]
    joined = view.joined

    words = np.fromiter((s.words for s in stats), dtype=np.float32, count=n)
    chars = np.fromiter((s.chars for s in stats), dtype=np.float32, count=n)
    safe_chars = np.maximum(chars, 1.0)
    prose = np.fromiter(view.prose, dtype=np.float32, count=n)
    sentence_end = np.fromiter((s.sentence_end for s in stats), dtype=np.float32, count=n)
    function = np.fromiter((s.function_share for s in stats), dtype=np.float32, count=n)
    linkish = _matches_per_line(_LINKISH, joined, n)
    counts = doc.counts

    col = INDEX
    out[:, col["log_chars"]] = np.log1p(chars)
    out[:, col["log_words"]] = np.log1p(words)
    out[:, col["sentence_end"]] = sentence_end
    out[:, col["function_share"]] = function
    letters64 = np.fromiter((s.letters for s in stats), dtype=np.float64, count=n)
    letter_share = letters64.astype(np.float32)
    out[:, col["letters"]] = letter_share
    out[:, col["cjk"]] = np.fromiter((s.cjk for s in stats), dtype=np.float32, count=n)
    out[:, col["prose"]] = prose
    digits = _chars_per_line(_NOT_DIGIT, joined, n)
    out[:, col["digits"]] = digits / safe_chars
    # punctuation: what is neither a letter, a digit, "_" nor a space (lines are normalised:
    # their only white space is " ")
    letters = letter_share * chars
    spaces = np.fromiter((t.count(" ") + t.count("_") for t in texts), dtype=np.float32, count=n)
    out[:, col["punctuation"]] = np.maximum(chars - letters - digits - spaces, 0.0) / safe_chars
    out[:, col["capitalised"]] = _matches_per_line(_CAPITALISED, joined, n) / np.maximum(words, 1.0)
    out[:, col["linkish"]] = linkish
    out[:, col["separators"]] = _matches_per_line(_SEPARATOR, joined, n)
    out[:, col["counter"]] = [1.0 if len(t) <= 40 and _COUNTER.search(t) else 0.0 for t in texts]
    # textstats.headline_like and is_caps_heading, over the columns (the latter's letter
    # test only where its length and word count allow)
    out[:, col["headline_like"]] = (words >= 2) & (words <= LIST_ITEM_MAX_WORDS) & (sentence_end == 0) & (letters64 >= 0.5)
    out[:, col["code"]] = [is_code(t) for t in texts]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    for i in np.flatnonzero((lengths <= 80) & (words >= 1) & (words <= HEADING_MAX_WORDS)).tolist():
        out[i, col["caps_heading"]] = is_caps_heading(texts[i], stats[i])
    out[:, col["ends_colon"]] = [t.endswith(":") for t in texts]
    out[:, col["ends_question"]] = [t.endswith("?") for t in texts]
    out[:, col["starts_bullet"]] = [t[:1] in _BULLET for t in texts]
    out[:, col["starts_digit"]] = [t[:1].isdigit() for t in texts]
    out[:, col["starts_lower"]] = [t[:1].islower() for t in texts]
    out[:, col["blank_before"]] = [b.blank_before for b in blocks]
    out[:, col["blank_after"]] = [b.blank_after for b in blocks]
    out[:, col["indent"]] = [min(b.indent, 40) for b in blocks]
    out[:, col["repeats"]] = [counts.get(t.casefold(), 1) - 1 for t in texts]
    out[:, col["mean_word_len"]] = (chars - np.maximum(words - 1, 0)) / np.maximum(words, 1.0)

    # place in the page
    idx = np.arange(n, dtype=np.float32)
    out[:, col["position"]] = idx / max(n - 1, 1)
    cum = np.cumsum(words) - words
    out[:, col["text_position"]] = cum / max(float(words.sum()), 1.0)
    out[:, col["lines_to_end"]] = np.log1p(n - 1 - idx)
    short = (prose == 0) & (words <= 12)
    run, place = _runs(short)
    out[:, col["short_run"]] = run
    out[:, col["place_in_run"]] = place
    out[:, col["prose_dist"]] = np.log1p(_distance_to(prose > 0))
    out[:, col["long_prose_dist"]] = np.log1p(_distance_to((prose > 0) & (words >= 25)))
    # the group of lines between two blank lines (a paragraph, a menu written line under line)
    group = np.cumsum([b.blank_before for b in blocks]) - 1
    sizes = np.bincount(group).astype(np.float32)
    out[:, col["group_lines"]] = np.log1p(sizes[group])
    out[:, col["group_words"]] = np.log1p(np.bincount(group, weights=words)[group])
    out[:, col["group_prose"]] = (np.bincount(group, weights=prose) / sizes)[group]
    scores = np.where(prose > 0, words - 10.0, -3.0 * np.minimum(run, 2)).tolist()
    main = densest(scores, 0, n)
    if main is not None:
        a, b, _ = main
        inside = (idx >= a) & (idx <= b)
        out[:, col["in_main"]] = inside
        out[:, col["main_dist"]] = np.sign(idx - a) * np.log1p(np.where(idx < a, a - idx, np.where(idx > b, idx - b, 0)))
    else:
        out[:, col["main_dist"]] = math.log1p(n)

    # what the rules decided
    final_keep = np.fromiter((d.keep for d in decisions), dtype=np.float32, count=n)
    dropped = 1.0 - final_keep
    out[:, col["final_keep"]] = final_keep
    out[:, col["final_strength"]] = [_signed(d.verdict) for d in decisions]
    out[:, col["first_keep"]] = [d.first is None or d.first.keep for d in decisions]
    out[:, col["first_strength"]] = [_signed(d.first) for d in decisions]
    headline = rules_headline(doc, decisions)  # the title plugin's choice on the rules' decisions
    if headline is not None:
        out[headline, col["rules_headline"]] = 1.0
    for d in decisions:
        v = d.verdict
        if v is not None and v.category is not None and not d.kept_by_request:
            out[d.block.index, col[f"final_{v.category.value}"]] = 1.0
    if evidence is not None:
        columns = {name: col[f"v_{name}"] for name in DETECTORS}
        site = col["v_site"]
        for plugin, v in (*evidence.judged, *evidence.revised):
            c = columns.get(plugin)
            if c is None:
                if plugin != evidence.claimant:
                    continue
                c = site
            value = _signed(v)
            if abs(value) > abs(out[v.index, c]):
                out[v.index, c] = value

    # the neighbourhood
    log_words = out[:, col["log_words"]]
    around = np.stack([log_words, prose, sentence_end, function, np.minimum(linkish, 1.0), dropped], axis=1)
    for k in _WINDOWS:
        first = col[f"words_{k}"]  # the six columns of a window follow each other in NAMES
        out[:, first : first + 6] = _window_mean(around, k)
    out[:, col["prev_words"]] = _shift(log_words, 1)
    out[:, col["next_words"]] = _shift(log_words, -1)
    out[:, col["prev_prose"]] = _shift(prose, 1)
    out[:, col["next_prose"]] = _shift(prose, -1)
    out[:, col["prev_dropped"]] = _shift(dropped, 1, 1.0)
    out[:, col["next_dropped"]] = _shift(dropped, -1, 1.0)

    return out


# -- the second stage: what the first stage made of each line's neighbours ----------

_P_WINDOWS = (1, 2, 4, 8)


def _second_names() -> tuple[str, ...]:
    names = ["p"] + [f"p_{k}" for k in _P_WINDOWS]
    names += ["p_max_2", "p_min_2", "p_prev", "p_next", "p_in_main", "p_main_dist", "p_words_before", "p_words_after"]
    return NAMES + tuple(names)


SECOND_NAMES = _second_names()


def second_features(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The page features and, beside them, the context of the first stage's probabilities:
    their mean over windows of neighbours, the extremes near each line, and the run of
    lines it judged content with the most words (Kadane over words times p - 1/2)."""
    n = len(x)
    out = np.zeros((n, len(SECOND_NAMES)), dtype=np.float32)
    out[:, : len(NAMES)] = x
    if n == 0:
        return out
    at = len(NAMES)
    pc = p.astype(np.float32)[:, None]
    out[:, at] = pc[:, 0]
    for j, k in enumerate(_P_WINDOWS, 1):
        out[:, at + j] = _window_mean(pc, k)[:, 0]
    at += 1 + len(_P_WINDOWS)
    padded = np.pad(p, 2, mode="edge")
    near = np.lib.stride_tricks.sliding_window_view(padded, 5)
    out[:, at] = near.max(axis=1)
    out[:, at + 1] = near.min(axis=1)
    out[:, at + 2] = _shift(pc[:, 0], 1, 0.0)
    out[:, at + 3] = _shift(pc[:, 0], -1, 0.0)
    words = np.expm1(x[:, INDEX["log_words"]]).astype(np.float64)
    main = densest(((p - 0.5) * (words + 1.0)).tolist(), 0, n)
    idx = np.arange(n)
    if main is not None:
        a, b, _ = main
        out[:, at + 4] = (idx >= a) & (idx <= b)
        out[:, at + 5] = np.sign(idx - a) * np.log1p(np.where(idx < a, a - idx, np.where(idx > b, idx - b, 0)))
    else:
        out[:, at + 5] = math.log1p(n)
    content = np.cumsum(p * words)
    total = max(float(content[-1]), 1.0)
    out[:, at + 6] = (content - p * words) / total
    out[:, at + 7] = (content[-1] - content) / total
    return out
