"""Scoring functions for the two benchmark datasets (see ``shared/bench/README.md``).

Two metrics, each in two steps: a per-page score, then a corpus aggregate.

* **Shingle F1** (ScrapingHub article-extraction-benchmark): case-kept ``\\w+`` tokens,
  multisets of 4-token shingles, corpus precision averaged over the pages whose output
  has a shingle, corpus recall over the pages whose gold has one, F1 of the two means.
* **Word F1** (WCXB): lower-cased ``\\w+`` tokens as a bag of words, plain means over all
  pages of per-page precision, recall and F1 (a mean of F1s), plus snippet rates.

Everything here is pure (no I/O) and depends only on the standard library.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

_TOKEN_RE = re.compile(r"\w+")

SHINGLE_SIZE = 4
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 0

T = TypeVar("T")


# --------------------------------------------------------------------------- tokens


def tokenize(text: str) -> list[str]:
    """Tokens of the shingle metric: maximal runs of Unicode word characters, case kept."""
    return _TOKEN_RE.findall(text)


def word_tokens(text: str) -> list[str]:
    """Tokens of the word metric: ``\\w+`` runs of the lower-cased text."""
    return _TOKEN_RE.findall(text.lower())


def shingles(tokens: Sequence[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of the runs of ``size`` consecutive tokens.

    A text of 1 to ``size - 1`` tokens gives one shingle made of all its tokens;
    a text without tokens gives none.
    """
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def _overlap(a: Counter[T], b: Counter[T]) -> int:
    """Sum over distinct items of min(count in a, count in b)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(min(n, b[k]) for k, n in a.items() if k in b)


def _f1(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0."""
    total = precision + recall
    return 2 * precision * recall / total if total > 0 else 0.0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


# --------------------------------------------------------------------------- shingle F1


@dataclass(frozen=True)
class ShinglePage:
    """Per-page shingle comparison.

    ``tp``, ``fp`` and ``fn`` are divided by ``tp + fp + fn`` (all 0 when that is 0), as
    in the ScrapingHub benchmark; precision and recall do not depend on that scaling.
    """

    tp: float
    fp: float
    fn: float
    exact: bool  # output token sequence equals the gold's

    @property
    def has_output(self) -> bool:
        """The output has at least one shingle (the page counts in corpus precision)."""
        return self.tp + self.fp > 0

    @property
    def has_gold(self) -> bool:
        """The gold has at least one shingle (the page counts in corpus recall)."""
        return self.tp + self.fn > 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1 on a perfect match (fp = fn = 0), else 0 on a zero denominator."""
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1 on a perfect match (fp = fn = 0), else 0 on a zero denominator."""
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else 0.0

    @property
    def f1(self) -> float:
        """Per-page F1 (for reading single pages; the corpus F1 is not a mean of these)."""
        return _f1(self.precision, self.recall)


def shingle_page(output: str, gold: str) -> ShinglePage:
    """Compare one page's output with its gold under the shingle metric."""
    out_tokens, gold_tokens = tokenize(output), tokenize(gold)
    out_sh, gold_sh = shingles(out_tokens), shingles(gold_tokens)
    tp = _overlap(out_sh, gold_sh)
    fp = sum(out_sh.values()) - tp
    fn = sum(gold_sh.values()) - tp
    total = tp + fp + fn
    if total:
        return ShinglePage(tp / total, fp / total, fn / total, out_tokens == gold_tokens)
    return ShinglePage(0.0, 0.0, 0.0, out_tokens == gold_tokens)


@dataclass(frozen=True)
class Corpus:
    """A corpus aggregate: precision, recall, F1 and (shingle metric only) accuracy."""

    precision: float
    recall: float
    f1: float
    accuracy: float | None = None
    pages: int = 0


def shingle_corpus(pages: Sequence[ShinglePage]) -> Corpus:
    """Corpus shingle scores.

    precision = mean per-page precision over pages whose output has a shingle;
    recall = mean per-page recall over pages whose gold has a shingle;
    F1 = 2PR / (P + R) of those means; accuracy = share of exact token matches.
    An empty output therefore lowers recall only.
    """
    precision = _mean([p.precision for p in pages if p.has_output])
    recall = _mean([p.recall for p in pages if p.has_gold])
    accuracy = _mean([1.0 if p.exact else 0.0 for p in pages])
    return Corpus(precision, recall, _f1(precision, recall), accuracy, len(pages))


# --------------------------------------------------------------------------- word F1


@dataclass(frozen=True)
class WordPage:
    """Per-page bag-of-words precision, recall and F1."""

    precision: float
    recall: float
    f1: float


def word_page(output: str, gold: str) -> WordPage:
    """Compare one page's output with its gold under the word (bag-of-words) metric.

    A gold without tokens gives (1, 1, 1) if the output has none either, else (0, 0, 0);
    an output without tokens (gold with tokens) gives (0, 0, 0).
    """
    out_bag, gold_bag = Counter(word_tokens(output)), Counter(word_tokens(gold))
    n_out, n_gold = sum(out_bag.values()), sum(gold_bag.values())
    if n_gold == 0:
        return WordPage(1.0, 1.0, 1.0) if n_out == 0 else WordPage(0.0, 0.0, 0.0)
    if n_out == 0:
        return WordPage(0.0, 0.0, 0.0)
    overlap = _overlap(out_bag, gold_bag)
    precision, recall = overlap / n_out, overlap / n_gold
    return WordPage(precision, recall, _f1(precision, recall))


def word_corpus(pages: Sequence[WordPage]) -> Corpus:
    """Corpus word scores: plain means over all pages of precision, recall and F1."""
    return Corpus(
        _mean([p.precision for p in pages]),
        _mean([p.recall for p in pages]),
        _mean([p.f1 for p in pages]),
        None,
        len(pages),
    )


def snippet_rate(output: str, snippets: Iterable[str]) -> float:
    """Share of ``snippets`` whose lower-cased text is a substring of the lower-cased output.

    A page with no snippets of a kind scores 1.0 (for ``with`` and ``without`` alike).
    """
    snippets = list(snippets)
    if not snippets:
        return 1.0
    low = output.lower()
    return sum(1 for s in snippets if s.lower() in low) / len(snippets)


# --------------------------------------------------------------------------- bootstrap


def bootstrap_std(
    pages: Sequence[T],
    aggregate: Callable[[Sequence[T]], Corpus],
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Corpus:
    """Standard deviations of ``aggregate`` over bootstrap resamples of the pages.

    Each resample draws ``len(pages)`` pages with replacement, using a
    ``random.Random(seed)`` so results are reproducible. Returns a ``Corpus`` whose
    fields hold the (population) standard deviations; accuracy is None if the
    aggregate has none.
    """
    n = len(pages)
    if n == 0 or samples <= 0:
        return Corpus(0.0, 0.0, 0.0, None, n)
    rng = random.Random(seed)
    results = [aggregate(rng.choices(pages, k=n)) for _ in range(samples)]

    def std(values: list[float]) -> float:
        m = _mean(values)
        return (sum((v - m) ** 2 for v in values) / len(values)) ** 0.5

    accuracies = [r.accuracy for r in results if r.accuracy is not None]
    return Corpus(
        std([r.precision for r in results]),
        std([r.recall for r in results]),
        std([r.f1 for r in results]),
        std(accuracies) if len(accuracies) == len(results) else None,
        n,
    )
