"""Train the judge (the learned model of ``cleaner_plugins.judge``) on the development bench.

Usage (from the repository root)::

    python -m benchmarks.train                    # rebuild the shipped model (fixed seed)
    python -m benchmarks.train --cv               # cross-validated figures, folds grouped by site
    python -m benchmarks.train --cv --models lgbm,stacked,logreg   # compare models on the same folds
    python -m benchmarks.train --cv --cache /tmp/judge.npz     # keep the features between runs

Every page of both bench sets, in all three renderers, is cleaned by the rules with a
recording plugin in the judge's place, which keeps the features of its first pass; each
line is labelled by :func:`benchmarks.labels.label_lines` against the gold. Each page
also comes a second time as its own gold lines alone (a page already clean), labelled
content throughout: the engine cleans its own output again, and a cleaned page must stay
as it is. A line weighs its share of its page's tokens, so every page counts alike, as in
the metrics.

Folds are grouped by site: a site (the URL's host, WCXB's domain) is in exactly one fold,
chosen by a hash of its name, so no site is both trained on and scored. ``--cv`` trains a
model per fold and cleans the fold's pages with it, beside the rules alone in the same
run, and prints the bench metrics per set, renderer and page type. The shipped model is
then trained on every page. The seeds (fixtures/) are never training data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from benchmarks.labels import label_lines, tokens
from benchmarks.metrics import ShinglePage, WordPage, shingle_corpus, shingle_page, word_corpus, word_page
from benchmarks.run import DEFAULT_BENCH, PAGE_TYPES, RENDERERS, load_dataset
from cleaner import hookimpl

SEED = 20261207
FOLDS = 5
# Gradient-boosted trees: small enough to ship (a few hundred kB), deep enough for context.
LGBM_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "max_depth": 8,
    "num_threads": 2,
    "deterministic": True,
    "force_row_wise": True,
    "verbosity": -1,
}
LGBM_ROUNDS = 150
# A clean copy of a page (its gold lines alone) weighs this much beside the page itself.
CLEAN_COPY_WEIGHT = 0.5
# A page of a set weighs this much beside a WCXB page: ScrapingHub's 79 pages would
# otherwise be 6 % of the training, and its gold leaves out what WCXB's often keeps
# (lists of related headlines).
DATASET_WEIGHT = {"scrapinghub": 5.0}


@dataclass
class Sample:
    """One page in one renderer: its features, labels and line weights."""

    dataset: str
    page: str
    renderer: str
    site: str
    page_type: str | None
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray
    clean_copy: bool = False


def site_of(dataset: str, url: str, domain: str | None) -> str:
    """The site a page belongs to: WCXB's domain, else the URL's host without www."""
    if domain:
        return domain.lower()
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def fold_of(site: str, folds: int = FOLDS, salt: str = "") -> int:
    """The fold of a site: a hash of its name (the same site, the same fold, every run)."""
    return int(hashlib.sha1((salt + site).encode("utf-8")).hexdigest(), 16) % folds


class Recorder:
    """Stands in the judge's place and keeps the features of each page's first pass."""

    name = "judge-recorder"

    def __init__(self) -> None:
        self.captured: tuple[Any, np.ndarray] | None = None

    @hookimpl
    def cleaner_weigh(self, doc, decisions, evidence):
        from cleaner_plugins.judge.features import page_features

        if self.captured is None:
            self.captured = (doc, page_features(doc, decisions, evidence))
        return None


def _weights(texts: list[str]) -> np.ndarray:
    """Each line's share of its page's tokens (a line without tokens weighs a little)."""
    counts = np.array([len(tokens(t)) for t in texts], dtype=np.float64) + 0.5
    return counts / counts.sum() * min(len(texts), 200)


def _clean_copy(doc, labels: list[bool]) -> str:
    """The page's content lines alone, as the engine would print them."""
    out: list[str] = []
    prev = None
    for b, keep in zip(doc.blocks, labels, strict=False):
        if not keep:
            continue
        if prev is not None:
            out.append("\n" if b.lineno == prev.lineno + 1 else "\n\n")
        out.append(b.text)
        prev = b
    return "".join(out)


def _record(cleaner, recorder: Recorder, text: str, url: str, gold: str) -> tuple[Any, np.ndarray, list[bool]] | None:
    """The first pass's document and features, and its lines' labels. The headline the
    rules pick is content: it is the page's title, outside the body the metrics score (the
    gold of both sets mostly leaves it out)."""
    recorder.captured = None
    result = cleaner.clean(text, kind="text", url=url or None)
    if recorder.captured is None:
        return None
    doc, x = recorder.captured
    labels = label_lines([b.text for b in doc.blocks], gold)
    if result.title_index is not None:
        labels[result.title_index] = True
    return doc, x, labels


def collect(bench: Path, limit: int | None = None, progress: bool = True) -> list[Sample]:
    """Features and labels of every bench page in every renderer, with clean copies."""
    from cleaner import Cleaner

    recorder = Recorder()
    cleaner = Cleaner(disable=["judge"], plugins=[recorder])
    samples: list[Sample] = []

    for dataset in ("scrapinghub", "wcxb"):
        pages = load_dataset(bench, dataset, RENDERERS, False, limit)
        gold_file = bench / ("gold-dev.json" if dataset == "scrapinghub" else "wcxb-dev/gold-dev.json")
        domains = {k: v.get("domain") for k, v in json.loads(gold_file.read_text(encoding="utf-8")).items()}
        start = time.perf_counter()
        for n, page in enumerate(pages, 1):
            site = site_of(dataset, page.url, domains.get(page.id))
            for renderer in RENDERERS:
                got = _record(cleaner, recorder, page.text[renderer], page.url, page.gold)
                if got is None:
                    continue
                doc, x, labels = got
                texts = [b.text for b in doc.blocks]
                samples.append(Sample(dataset, page.id, renderer, site, page.page_type, x, np.array(labels), _weights(texts)))
                if not any(labels):
                    continue
                again = _record(cleaner, recorder, _clean_copy(doc, labels), page.url, page.gold)
                if again is None:
                    continue
                cdoc, cx, clabels = again
                ctexts = [b.text for b in cdoc.blocks]
                samples.append(Sample(dataset, page.id, renderer, site, page.page_type, cx, np.array(clabels),
                                      _weights(ctexts) * CLEAN_COPY_WEIGHT, True))  # fmt: skip
            if progress and n % 100 == 0:
                print(f"  {dataset}: {n}/{len(pages)} pages ({time.perf_counter() - start:.0f}s)", file=sys.stderr)
    return samples


def save_samples(samples: list[Sample], path: Path) -> None:
    """Keep the features between runs (with their names: a later run reads the columns it knows)."""
    from cleaner_plugins.judge.features import NAMES

    meta = [(s.dataset, s.page, s.renderer, s.site, s.page_type or "", int(s.clean_copy), len(s.y)) for s in samples]
    np.savez_compressed(
        path,
        names=np.array(NAMES),
        x=np.concatenate([s.x for s in samples]),
        y=np.concatenate([s.y for s in samples]),
        w=np.concatenate([s.w for s in samples]),
        meta=np.array(meta, dtype=object),
    )


def load_samples(path: Path) -> list[Sample]:
    """The samples :func:`save_samples` wrote, with this version's feature columns; a
    feature the file lacks means it must be collected again (SystemExit says so)."""
    from cleaner_plugins.judge.features import NAMES

    data = np.load(path, allow_pickle=True)
    x, y, w = data["x"], data["y"], data["w"]  # each read of data[...] decompresses the whole array
    names = [str(n) for n in data["names"]] if "names" in data else []
    missing = [n for n in NAMES if n not in names]
    if missing:
        raise SystemExit(f"{path} lacks the features {', '.join(missing[:3])}...: collect again (remove the file)")
    x = x[:, [names.index(n) for n in NAMES]]
    out, at = [], 0
    for dataset, page, renderer, site, page_type, clean, n in data["meta"]:
        n = int(n)
        out.append(Sample(dataset, page, renderer, site, page_type or None, x[at : at + n].copy(),
                          y[at : at + n].copy(), w[at : at + n].copy(), bool(clean)))  # fmt: skip
        at += n
    return out


def _stack(samples: Iterable[Sample]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    chosen = list(samples)
    return (np.concatenate([s.x for s in chosen]), np.concatenate([s.y for s in chosen]).astype(np.float32),
            np.concatenate([s.w * DATASET_WEIGHT.get(s.dataset, 1.0) for s in chosen]))  # fmt: skip


# --------------------------------------------------------------------------- models


def fit_lgbm(samples: list[Sample], seed: int = SEED, rounds: int = LGBM_ROUNDS):
    """Gradient-boosted trees over the features (the shipped kind of model)."""
    from cleaner_plugins.judge.features import NAMES

    x, y, w = _stack(samples)
    return _trees(x, y, w, NAMES, seed, rounds, len(samples))


def _trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, names, seed: int, rounds: int, pages: int):
    import lightgbm

    from cleaner_plugins.judge.model import TreeModel

    params = {**LGBM_PARAMS, "seed": seed}
    data = lightgbm.Dataset(x, y, weight=w, feature_name=list(names), free_raw_data=True)
    booster = lightgbm.train(params, data, num_boost_round=rounds)
    return TreeModel(booster, meta={"seed": seed, "rounds": rounds, "pages": pages}, names=tuple(names))


# The second stage learns from first-stage probabilities made on pages of sites the first
# stage did not see: inner folds of the training pages, grouped by site the same way.
INNER_FOLDS = 3
INNER_ROUNDS = 150


def fit_stacked(samples: list[Sample], seed: int = SEED, rounds: int = LGBM_ROUNDS, first=None, oof=None):
    """Two stages of trees: the second reads the first's probabilities around each line.

    The second stage learns from first-stage probabilities on pages of sites that the
    model making them did not see (``oof``: one array per sample; by default from models
    trained on inner folds of ``samples``, grouped by site). ``first``: the first stage,
    when it is trained already.
    """
    from cleaner_plugins.judge.features import SECOND_NAMES, second_features
    from cleaner_plugins.judge.model import StackedModel

    samples = [s for s in samples if len(s.y)]
    if first is None:
        first = fit_lgbm(samples, seed, rounds)
    if oof is None:
        oof = [np.zeros(0)] * len(samples)
        for inner in range(INNER_FOLDS):
            chosen = [k for k, s in enumerate(samples) if fold_of(s.site, INNER_FOLDS, salt="inner") == inner]
            picked = set(chosen)
            model = fit_lgbm([s for k, s in enumerate(samples) if k not in picked], seed, INNER_ROUNDS)
            for k in chosen:
                oof[k] = model.probability(samples[k].x)
    x2 = np.concatenate([second_features(s.x, p) for s, p in zip(samples, oof, strict=False)])
    _, y, w = _stack(samples)
    second = _trees(x2, y, w, SECOND_NAMES, seed, rounds, len(samples))
    return StackedModel(first, second, meta={"seed": seed, "rounds": rounds, "pages": len(samples)})


class _Standardised:
    """A baseline model's input: each feature less its mean over the training lines, over its std."""

    threshold = 0.5

    def __init__(self, x: np.ndarray) -> None:
        self.mean = x.mean(axis=0)
        self.scale = x.std(axis=0) + 1e-6

    def standard(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.scale


class LinearModel(_Standardised):
    """Logistic regression over the standardised features (a baseline to beat)."""

    def __init__(self, samples: list[Sample], seed: int = SEED) -> None:
        from sklearn.linear_model import LogisticRegression

        x, y, w = _stack(samples)
        super().__init__(x)
        self.lr = LogisticRegression(max_iter=300, C=1.0, random_state=seed)
        self.lr.fit(self.standard(x), y, sample_weight=w)

    def score(self, x: np.ndarray):
        from cleaner_plugins.judge.features import NAMES

        z = self.standard(x)
        return self.lr.predict_proba(z)[:, 1], lambda rows: (z[rows] * self.lr.coef_[0], x[rows], NAMES)


class CRFModel(_Standardised):
    """A linear-chain CRF (python-crfsuite) over the same features, as real-valued attributes."""

    def __init__(self, samples: list[Sample], seed: int = SEED) -> None:
        import tempfile

        import pycrfsuite

        super().__init__(_stack(samples)[0])
        trainer = pycrfsuite.Trainer(verbose=False)
        for s in samples:
            if s.clean_copy:
                continue
            trainer.append(self._items(s.x), ["1" if v else "0" for v in s.y])
        trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 100})
        self._path = tempfile.mkstemp(suffix=".crfsuite")[1]
        trainer.train(self._path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(self._path)

    def _items(self, x: np.ndarray):
        import pycrfsuite

        from cleaner_plugins.judge.features import NAMES

        z = self.standard(x)
        return pycrfsuite.ItemSequence([{name: float(v) for name, v in zip(NAMES, row, strict=False)} for row in z])

    def score(self, x: np.ndarray):
        from cleaner_plugins.judge.features import NAMES

        self.tagger.set(self._items(x))
        p = np.array([self.tagger.marginal("1", i) for i in range(len(x))])
        return p, lambda rows: (np.zeros((len(rows), x.shape[1])), x[rows], NAMES)


MODELS: dict[str, Callable[..., Any]] = {"lgbm": fit_lgbm, "stacked": fit_stacked, "logreg": LinearModel, "crf": CRFModel}
# The kind of model shipped (chosen by the cross-validated table in BENCHMARKS.md).
SHIPPED = "lgbm"


# --------------------------------------------------------------------------- evaluation


def _line_scores(model, samples: list[Sample]) -> tuple[float, float]:
    """Weighted line accuracy and log-loss of a model on pages (clean copies left out)."""
    from cleaner_plugins.judge.features import INDEX
    from cleaner_plugins.judge.model import keeps

    chosen = [s for s in samples if not s.clean_copy]
    y = np.concatenate([s.y for s in chosen])
    w = np.concatenate([s.w for s in chosen])  # every page alike, as the metrics weigh them
    # page by page: the stacked model's second stage reads each page's own probabilities
    p = np.clip(np.concatenate([model.score(s.x)[0] for s in chosen]), 1e-6, 1 - 1e-6)
    rules = np.concatenate([s.x[:, INDEX["final_keep"]] > 0 for s in chosen])
    acc = float(np.sum(w * (keeps(p, rules, model) == (y > 0))) / w.sum())
    loss = float(-np.sum(w * (y * np.log(p) + (1 - y) * np.log(1 - p))) / w.sum())
    return acc, loss


@dataclass
class Scores:
    f1: dict[tuple[str, str], list[Any]]
    seconds: float = 0.0
    pages: int = 0


def clean_pages(cleaner, pages, dataset: str, renderer_pages: dict[str, list], scores: Scores) -> None:
    """Clean pages with ``cleaner`` and file their per-page scores by (dataset, renderer)."""
    for renderer, chosen in renderer_pages.items():
        for page in chosen:
            text = page.text[renderer]
            start = time.perf_counter()
            body = cleaner.clean(text, kind="text", url=page.url or None).body
            scores.seconds += time.perf_counter() - start
            scores.pages += 1
            scored: ShinglePage | WordPage
            if dataset == "scrapinghub":
                scored = shingle_page(body, page.gold)
            else:
                scored = word_page(body, page.gold)
            scores.f1.setdefault((dataset, renderer), []).append((scored, page.page_type))


def cross_validate(bench: Path, samples: list[Sample], model_names: list[str], limit: int | None) -> str:
    """Per fold: train on the other folds' sites, clean this fold's pages; the rules alone beside.

    The stacked model of a fold reuses that fold's tree model as its first stage; its
    second stage learns from first-stage probabilities on each training page made by a
    model that saw neither that page's fold nor the scored fold (one model per pair of
    folds, trained on the other three).
    """
    from cleaner import Cleaner
    from cleaner_plugins.judge import Judge

    samples = [s for s in samples if len(s.y)]
    pages = {d: load_dataset(bench, d, RENDERERS, False, limit) for d in ("scrapinghub", "wcxb")}
    site_by_page = {(s.dataset, s.page): s.site for s in samples}
    folds = [fold_of(s.site) for s in samples]
    rules = Cleaner(disable=["judge"])
    results: dict[str, Scores] = {"rules": Scores({})}
    lines: dict[str, list[tuple[float, float]]] = {}
    for name in model_names:
        results[name] = Scores({})
    pairs: dict[frozenset[int], Any] = {}

    def pair_model(a: int, b: int):
        key = frozenset((a, b))
        if key not in pairs:
            pairs[key] = fit_lgbm([s for s, f in zip(samples, folds, strict=False) if f not in key], SEED, INNER_ROUNDS)
        return pairs[key]

    for fold in range(FOLDS):
        train = [s for s, f in zip(samples, folds, strict=False) if f != fold]
        held = [s for s, f in zip(samples, folds, strict=False) if f == fold]
        fold_pages = {
            dataset: [p for p in chosen if fold_of(site_by_page.get((dataset, p.id), "")) == fold]
            for dataset, chosen in pages.items()
        }
        for dataset, chosen in fold_pages.items():
            clean_pages(rules, chosen, dataset, {r: chosen for r in RENDERERS}, results["rules"])
        first = None
        for name in model_names:
            start = time.perf_counter()
            if name in ("lgbm", "stacked") and first is None:
                first = fit_lgbm(train)
            if name == "lgbm":
                model = first
            elif name == "stacked":
                oof = [pair_model(fold, f).probability(s.x) for s, f in zip(samples, folds, strict=False) if f != fold]
                model = fit_stacked(train, first=first, oof=oof)
            else:
                model = MODELS[name](train)
            took = time.perf_counter() - start
            lines.setdefault(name, []).append(_line_scores(model, held))
            judge = Cleaner(disable=["judge"], plugins=[Judge(model, name="judge-cv")])
            for dataset, chosen in fold_pages.items():
                clean_pages(judge, chosen, dataset, {r: chosen for r in RENDERERS}, results[name])
            print(f"  fold {fold}: {name} trained in {took:.0f}s on {len(train)} pages, "
                  f"line accuracy {lines[name][-1][0]:.4f}", file=sys.stderr)  # fmt: skip
    return report(results, lines)


def report(results: dict[str, Scores], lines: dict[str, list[tuple[float, float]]]) -> str:
    out = ["| system | line acc | log-loss | " + " | ".join(f"{d} {r}" for d in ("SH", "WCXB") for r in RENDERERS)
           + " | docs/s |", "|---" * (4 + 2 * len(RENDERERS)) + "|"]  # fmt: skip
    by_type: list[str] = []
    for name, scores in results.items():
        cells = []
        for dataset in ("scrapinghub", "wcxb"):
            for renderer in RENDERERS:
                got = scores.f1.get((dataset, renderer), [])
                corpus = shingle_corpus if dataset == "scrapinghub" else word_corpus
                cells.append(f"{corpus([s for s, _ in got]).f1:.4f}" if got else "-")
                if dataset == "wcxb" and got:
                    types = []
                    for t in PAGE_TYPES:
                        chosen = [s.f1 for s, pt in got if pt == t]
                        types.append(f"{sum(chosen) / len(chosen):.3f}" if chosen else "-")
                    by_type.append(f"| {name} | {renderer} | " + " | ".join(types) + " |")
        acc = np.mean([a for a, _ in lines[name]]) if name in lines else float("nan")
        loss = np.mean([b for _, b in lines[name]]) if name in lines else float("nan")
        speed = scores.pages / scores.seconds if scores.seconds else 0.0
        out.append(f"| {name} | {acc:.4f} | {loss:.4f} | " + " | ".join(cells) + f" | {speed:.0f} |")
    head = "| system | renderer | " + " | ".join(PAGE_TYPES) + " |"
    return "\n".join([*out, "", "WCXB word F1 by page type", head, "|---" * (2 + len(PAGE_TYPES)) + "|", *by_type])


def importances(model, top: int = 15) -> str:
    """The features that weigh most in a model (LightGBM's total gain, as a share), per stage."""
    stages = [("first stage", model.first), ("second stage", model.second)] if hasattr(model, "second") else [("trees", model)]
    out = []
    for title, tree in stages:
        gain = tree.booster.feature_importance(importance_type="gain")
        share = gain / max(gain.sum(), 1e-12)
        order = np.argsort(-share, kind="stable")[:top]
        out.append(f"{title}: " + ", ".join(f"{tree.names[i]} {share[i]:.1%}" for i in order))
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.train", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="the bench folder (default ../shared/bench)")
    parser.add_argument("--cv", action="store_true", help="print cross-validated figures instead of building the model")
    parser.add_argument("--models", default=SHIPPED, help="with --cv: comma list of " + ", ".join(MODELS))
    parser.add_argument("--limit", type=int, default=None, help="only N pages per set (a quick look)")
    parser.add_argument("--cache", type=Path, default=None, help="read the features from / write them to this .npz")
    parser.add_argument(
        "--model", default=SHIPPED, choices=sorted(MODELS), help=f"the kind of model to build (default {SHIPPED})"
    )
    parser.add_argument("--output", type=Path, default=None, help="where to write the model (default: the package's)")
    parser.add_argument("--importance", action="store_true", help="print the shipped model's feature importances and stop")
    args = parser.parse_args(argv)
    if args.importance:
        from cleaner_plugins.judge import model as judge_model

        print(importances(judge_model.load(args.output or judge_model.MODEL_FILE)))
        return 0
    bench = args.bench.resolve()
    if not (bench / "gold-dev.json").exists():
        print(f"benchmark data not found in {bench} (use --bench DIR)", file=sys.stderr)
        return 2
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        print(f"unknown model {unknown[0]!r} (choose from {', '.join(MODELS)})", file=sys.stderr)
        return 2
    if args.cache is not None and args.cache.exists():
        samples = load_samples(args.cache)
        print(f"features of {len(samples)} pages read from {args.cache}", file=sys.stderr)
    else:
        start = time.perf_counter()
        samples = collect(bench, args.limit)
        print(f"features of {len(samples)} pages in {time.perf_counter() - start:.0f}s", file=sys.stderr)
        if args.cache is not None:
            save_samples(samples, args.cache)
    if args.cv:
        print(cross_validate(bench, samples, models, args.limit))
        return 0
    from cleaner_plugins.judge import model as judge_model

    model = MODELS[args.model](samples)
    path = args.output or judge_model.MODEL_FILE
    judge_model.save(model, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} kB, sha256 {digest}) from {len(samples)} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
