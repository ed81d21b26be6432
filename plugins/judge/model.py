"""The judge's model: gradient-boosted trees (LightGBM) over the page features.

The shipped model is ``judge_model.txt.gz`` beside this file, built by ``python -m
benchmarks.train`` with a fixed seed from the development bench. It is read from the
package, never from a network; a model file built for other features is refused with a
message that says how to rebuild it.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from cleaner.errors import ConfigError
from cleaner_plugins.judge.features import NAMES, SECOND_NAMES, second_features

MODEL_FILE = Path(__file__).with_name("judge_model.txt.gz")
# A line is kept when the model gives it at least this probability of being content.
KEEP_THRESHOLD = 0.5
# Rows explained at a time (each row's paths take some trees x depth x 16 bytes).
EXPLAIN_CHUNK = 256


class Explainer(Protocol):
    def __call__(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
        """For the rows ``rows``: each feature's contribution to the log-odds (one row per
        chosen row), the feature values they refer to, and the features' names."""


class Scorer(Protocol):
    """What the judge needs of a model: probabilities, and what weighed in them."""

    threshold: float

    def score(self, x: np.ndarray) -> tuple[np.ndarray, Explainer]:
        """The probability that each row's line is content, and how to explain rows.

        Nothing of a page is kept on the model: one model serves every thread."""


class TreeModel:
    """A LightGBM booster over named feature columns (:data:`NAMES` by default).

    What each feature contributed to a line's probability is read off the paths to the
    line's leaves (each split on a path credits its feature with the change in the
    expected value it makes: Saabas's attribution), from tables built once when the model
    loads. TreeSHAP (LightGBM's ``pred_contrib``) is exact but costs some 2 ms a line.
    """

    def __init__(
        self,
        booster: Any,
        threshold: float = KEEP_THRESHOLD,
        meta: dict[str, Any] | None = None,
        names: tuple[str, ...] = NAMES,
    ) -> None:
        self.booster = booster
        self.threshold = threshold
        self.meta = meta or {}
        self.names = names
        if booster.num_feature() != len(names):
            raise ConfigError(
                f"the judge's model reads {booster.num_feature()} features, this version computes "
                f"{len(names)}; rebuild it with `python -m benchmarks.train`"
            )
        self._paths: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where each tree's leaves are numbered from, and per leaf (numbered across trees)
        the features and value changes of the splits on its path; built when first asked
        (reading every tree takes a while), then kept."""
        if self._paths is not None:
            return self._paths
        trees = self.booster.dump_model()["tree_info"]
        paths: list[list[tuple[int, float]]] = []
        offsets = []
        for tree in trees:
            offsets.append(len(paths))
            root = tree["tree_structure"]
            count = tree.get("num_leaves", 1)
            tree_paths: list[list[tuple[int, float]]] = [[] for _ in range(count)]
            stack: list[tuple[dict[str, Any], list[tuple[int, float]]]] = [(root, [])]
            while stack:
                node, path = stack.pop()
                if "leaf_index" in node or "split_feature" not in node:
                    leaf = node.get("leaf_index", 0)
                    tree_paths[leaf] = path
                    continue
                here = node["internal_value"]
                for side in ("left_child", "right_child"):
                    child = node[side]
                    value = child.get("leaf_value", child.get("internal_value", 0.0))
                    stack.append((child, [*path, (node["split_feature"], value - here)]))
            paths.extend(tree_paths)
        depth = max((len(p) for p in paths), default=1) or 1
        feat = np.zeros((len(paths), depth), dtype=np.int64)
        delta = np.zeros((len(paths), depth), dtype=np.float64)
        for k, path in enumerate(paths):
            for j, (feature, change) in enumerate(path):
                feat[k, j] = feature
                delta[k, j] = change
        self._paths = (np.asarray(offsets, dtype=np.int64), feat, delta)
        return self._paths

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """Each row's leaf in every tree, numbered across trees."""
        return self.booster.predict(x, pred_leaf=True, num_threads=1).astype(np.int64) + self._tables()[0]

    def probability(self, x: np.ndarray) -> np.ndarray:
        """The probability that each row's line is content (the sum of its leaves' values,
        through the logistic function: LightGBM's own prediction)."""
        if len(x) == 0:
            return np.zeros(0)
        return self.booster.predict(x, num_threads=1)

    def contributions(self, leaves: np.ndarray) -> np.ndarray:
        """Each feature's contribution to the log-odds of each row of ``leaves`` (a chunk
        of rows at a time: a row's paths take trees x depth cells)."""
        width = len(self.names)
        _, feat, delta = self._tables()
        out = np.zeros((len(leaves), width))
        for lo in range(0, len(leaves), EXPLAIN_CHUNK):
            chunk = leaves[lo : lo + EXPLAIN_CHUNK]
            n = len(chunk)
            rows = np.arange(n, dtype=np.int64)[:, None, None] * width
            cells = (rows + feat[chunk]).ravel()
            out[lo : lo + n] = np.bincount(cells, weights=delta[chunk].ravel(), minlength=n * width).reshape(n, width)
        return out

    def score(self, x: np.ndarray) -> tuple[np.ndarray, Explainer]:
        # the leaves are found again for the rows to explain: a page's are many (rows x trees)
        return self.probability(x), lambda rows: (self.contributions(self.leaves(x[rows])), x[rows], self.names)


class StackedModel:
    """Two tree models: the first reads the page features, the second those and the
    context of the first's probabilities (:func:`second_features`), so that a line's
    neighbours' verdicts weigh in its own. The second decides and explains."""

    def __init__(
        self, first: TreeModel, second: TreeModel, threshold: float = KEEP_THRESHOLD, meta: dict[str, Any] | None = None
    ) -> None:
        self.first, self.second, self.threshold, self.meta = first, second, threshold, meta or {}

    @property
    def booster(self) -> Any:
        return self.second.booster

    def score(self, x: np.ndarray) -> tuple[np.ndarray, Explainer]:
        p1 = self.first.probability(x)
        return self.second.score(second_features(x, p1))

    def to_string(self) -> str:
        meta = {**self.meta, "features": list(NAMES), "threshold": self.threshold, "stages": 2}
        return "\n".join([_HEAD + json.dumps(meta, sort_keys=True), self.first.booster.model_to_string(),
                          _SECOND, self.second.booster.model_to_string()])  # fmt: skip


_HEAD = "#cleaner-judge "
_SECOND = "#cleaner-judge-second-stage"


def from_string(text: str) -> TreeModel | StackedModel:
    """A model from the text :func:`save` writes (one tree model, or two stacked)."""
    import lightgbm

    head, _, body = text.partition("\n")
    if not head.startswith(_HEAD):
        raise ConfigError("not a model file of the judge; rebuild it with `python -m benchmarks.train`")
    meta = json.loads(head[len(_HEAD) :])
    if tuple(meta.get("features") or ()) != NAMES:
        raise ConfigError(
            "the judge's model was built for other features than this version computes; "
            "rebuild it with `python -m benchmarks.train`"
        )
    threshold = float(meta.get("threshold", KEEP_THRESHOLD))
    first_text, _, second_text = body.partition("\n" + _SECOND + "\n")
    first = TreeModel(lightgbm.Booster(model_str=first_text), threshold, meta)
    if not second_text:
        return first
    second = TreeModel(lightgbm.Booster(model_str=second_text), threshold, meta, SECOND_NAMES)
    return StackedModel(first, second, threshold, meta)


def to_string(model: TreeModel | StackedModel) -> str:
    if isinstance(model, StackedModel):
        return model.to_string()
    meta = {**model.meta, "features": list(NAMES), "threshold": model.threshold}
    return _HEAD + json.dumps(meta, sort_keys=True) + "\n" + model.booster.model_to_string()


def save(model: TreeModel | StackedModel, path: Path) -> None:
    """Write a model file (gzip with no time stamp: the same model gives the same bytes)."""
    data = to_string(model).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(data)


def load(path: Path) -> TreeModel | StackedModel:
    """A model file written by :func:`save`."""
    try:
        text = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the judge's model {str(path)!r}: {exc}") from None
    return from_string(text)


@lru_cache(maxsize=1)
def shipped() -> TreeModel | StackedModel | None:
    """The model in the package, read once per process; None when the package has none."""
    if not MODEL_FILE.exists():
        return None
    return load(MODEL_FILE)
