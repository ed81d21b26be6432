"""Line labels for training: which lines of a page's text are its gold main content.

The bench gives, for each page, its full text (one block per line) and the gold main
text, but not which lines the gold came from. :func:`label_lines` recovers that by
aligning the two as token sequences:

1. Both are cut into lower-cased word tokens (``\\w+``, as the metrics do), so white
   space, punctuation and line breaks do not matter.
2. Each line proposes where in the gold it could sit: the gold offsets its token
   trigrams vote for (a line of one or two tokens must sit at the start of a gold line,
   or short lines such as "Home" would match any word). A proposal scores the tokens that
   match at that offset, so a renderer's glued or split words cost a few tokens, not the
   line.
3. A dynamic programme picks the proposals, at most one per line, that keep the gold in
   page order and do not overlap, with the most matched tokens. A paragraph shown twice
   (a teaser above the story, the story itself) is matched once: the copy that fits the
   order.
4. A line is content when its chosen proposal matches at least ``MIN_SHARE`` of its
   tokens.

Run ``python -m benchmarks.labels`` to score "keep exactly the labelled lines" with the
bench metrics, beside the untouched text (the recall ceiling of any line selection).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from typing import Any

TOKEN = re.compile(r"\w+")
# A line is content when its place in the gold matches at least this share of its tokens.
MIN_SHARE = 0.5
# Lines of at least this many tokens are placed by their token n-grams of this length.
NGRAM = 3
# An n-gram found more often than this in the gold says little about where a line sits.
MAX_OCCURRENCES = 64
# Each line proposes at most this many places (the best by votes).
MAX_PROPOSALS = 6
# Two chosen lines may overlap in the gold by this many tokens (a renderer repeats a word
# at a block's edge, an image's alt text is both caption and sentence).
OVERLAP = 1


def tokens(text: str) -> list[str]:
    """The metric's word tokens, lower-cased (NFKC first, so ligatures and widths agree)."""
    return TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


class _Gold:
    """The gold as a token sequence, with where its lines start and an n-gram index."""

    def __init__(self, gold: str) -> None:
        self.tokens: list[str] = []
        self.line_starts: set[int] = set()
        for line in gold.splitlines():
            words = tokens(line)
            if words:
                self.line_starts.add(len(self.tokens))
                self.tokens.extend(words)
        self.ngrams: dict[tuple[str, ...], list[int]] = {}
        toks = self.tokens
        for g in range(len(toks) - NGRAM + 1):
            self.ngrams.setdefault(tuple(toks[g : g + NGRAM]), []).append(g)
        self.unigrams: dict[str, list[int]] = {}
        for g in sorted(self.line_starts):
            self.unigrams.setdefault(toks[g], []).append(g)

    def proposals(self, words: list[str]) -> list[tuple[int, int, int]]:
        """Where a line of these tokens may sit: (start, end, matched tokens), best first."""
        m, toks, n = len(words), self.tokens, len(self.tokens)
        if m == 0 or n == 0:
            return []
        if m < NGRAM:  # a short line: only at the start of a gold line, all its tokens
            return [(g, g + m, m) for g in self.unigrams.get(words[0], ())[:MAX_OCCURRENCES] if toks[g : g + m] == words]
        votes: Counter[int] = Counter()
        for p in range(m - NGRAM + 1):
            found = self.ngrams.get(tuple(words[p : p + NGRAM]))
            if found and len(found) <= MAX_OCCURRENCES:
                for g in found:
                    votes[g - p] += 1
        out = []
        for offset, _ in votes.most_common(MAX_PROPOSALS):
            lo, hi = max(offset, 0), min(offset + m, n)
            matched = sum(toks[g] == words[g - offset] for g in range(lo, hi))
            out.append((lo, hi, matched))
        return out


def label_lines(lines: Sequence[str], gold: str, min_share: float = MIN_SHARE) -> list[bool]:
    """For each line, whether it is (part of) the gold main content.

    :param lines: the page's lines (blank lines are never content).
    :param gold: the gold main text.
    :param min_share: the share of a line's tokens that must match the gold where it sits.
    """
    g = _Gold(gold)
    words = [tokens(line) for line in lines]
    # candidates per line, each (start, end, matched)
    cands: list[list[tuple[int, int, int]]] = []
    for w in words:
        need = max(1, -(-len(w) * min_share // 1)) if w else 1
        cands.append([c for c in g.proposals(w) if c[2] >= need])
    # dynamic programme over lines: best total of a chain ending with a candidate whose
    # gold span ends at `end`, kept as a sorted list of (end, best, id) with running max
    ends: list[int] = []  # sorted chain ends
    best_upto: list[tuple[int, int]] = []  # (best total, candidate id) of chains ending at or before ends[k]
    chosen_of: list[tuple[int, int, int]] = []  # candidate id -> (line, total, previous id)
    for i, line_cands in enumerate(cands):
        scored = []
        for start, end, matched in line_cands:
            k = bisect_right(ends, start + OVERLAP) - 1
            prev_total, prev_id = best_upto[k] if k >= 0 else (0, -1)
            scored.append((end, prev_total + matched, prev_id))
        for end, total, prev_id in scored:  # inserted after the line: one candidate per line
            cid = len(chosen_of)
            chosen_of.append((i, total, prev_id))
            k = bisect_right(ends, end)
            before = best_upto[k - 1] if k > 0 else (0, -1)
            entry = max(before, (total, cid))
            ends.insert(k, end)
            best_upto.insert(k, entry)
            for j in range(k + 1, len(best_upto)):  # keep the running maximum
                if best_upto[j] >= entry:
                    break
                best_upto[j] = entry
    labels = [False] * len(lines)
    cid = best_upto[-1][1] if best_upto else -1
    while cid >= 0:
        line, _total, prev = chosen_of[cid]
        labels[line] = True
        cid = prev
    return labels


# --------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    """Score "keep exactly the labelled lines" on the bench, beside the untouched text."""
    import argparse

    from benchmarks.metrics import shingle_corpus, shingle_page, word_corpus, word_page
    from benchmarks.run import DEFAULT_BENCH, RENDERERS, load_dataset

    parser = argparse.ArgumentParser(prog="python -m benchmarks.labels", description=main.__doc__)
    parser.add_argument("--bench", default=str(DEFAULT_BENCH))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    from pathlib import Path

    print("dataset      renderer     labelled F1  (P / R)            untouched R   content lines")
    for dataset in ("scrapinghub", "wcxb"):
        pages = load_dataset(Path(args.bench), dataset, RENDERERS, False, args.limit)
        for renderer in RENDERERS:
            scored: list[Any] = []
            untouched: list[Any] = []
            kept = total = 0
            for page in pages:
                lines = page.text[renderer].splitlines()
                labels = label_lines(lines, page.gold)
                kept += sum(labels)
                total += sum(1 for line in lines if line.strip())
                out = "\n".join(line for line, keep in zip(lines, labels, strict=False) if keep)
                if dataset == "scrapinghub":
                    scored.append(shingle_page(out, page.gold))
                    untouched.append(shingle_page(page.text[renderer], page.gold))
                else:
                    scored.append(word_page(out, page.gold))
                    untouched.append(word_page(page.text[renderer], page.gold))
            corpus = shingle_corpus if dataset == "scrapinghub" else word_corpus
            c, u = corpus(scored), corpus(untouched)
            print(f"{dataset:<12} {renderer:<12} {c.f1:.4f}      ({c.precision:.4f} / {c.recall:.4f})   "
                  f"{u.recall:.4f}        {kept}/{total}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
