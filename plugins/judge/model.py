"""The judge's model: gradient-boosted trees (trained by LightGBM) over the page features.

The shipped model is ``judge_model.txt.gz`` beside this file, built by ``python -m
benchmarks.train`` with a fixed seed from the development bench. It is read from the
package, never from a network; a model file built for other features is refused with a
message that says how to rebuild it. The trees are evaluated in numpy from the model's
text (:class:`Forest`): judging imports no LightGBM, whose imports (scikit-learn, pandas,
scipy) cost seconds and some 150 MB a process.
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
# The judge overrules the rules only when it is fairly sure: a line the rules keep is
# dropped below this probability of being content, a line they drop is kept at or above
# KEEP_ABOVE. Cross-validated by site, one threshold of 0.5 lost to the rules on
# ScrapingHub and WCXB alike (related headlines at p 0.5-0.6 kept, CHANGELOG 2026-12-08).
KEEP_THRESHOLD = 0.35
KEEP_ABOVE = 0.7
# Rows walked through the trees at a time: a walk holds some rows x trees x 4 bytes in
# each of a few arrays, so a page of 10,000 lines takes a chunk of it at a time.
CHUNK = 512


class Explainer(Protocol):
    def __call__(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
        """For the rows ``rows``: each feature's contribution to the log-odds (one row per
        chosen row), the feature values they refer to, and the features' names."""


class Scorer(Protocol):
    """What the judge needs of a model: probabilities, and what weighed in them.

    ``threshold``: a line the rules keep stays at or above it; a line they drop is kept
    at or above ``keep_above`` when the model has one, else at or above ``threshold``."""

    threshold: float

    def score(self, x: np.ndarray) -> tuple[np.ndarray, Explainer]:
        """The probability that each row's line is content, and how to explain rows.

        Nothing of a page is kept on the model: one model serves every thread."""


class Forest:
    """LightGBM's trees as flat numpy arrays over their nodes, read from the model's text.

    Every tree's internal nodes, then its leaves, tree after tree. A leaf points to itself
    on both sides (threshold +inf), so a row walks every tree the same number of steps and
    all rows and trees walk at once. The sum of the leaves' values is LightGBM's raw score,
    to the last bit of each tree's value; no LightGBM (nor its imports) is needed to judge.
    """

    def __init__(self, text: str) -> None:
        header = dict(line.partition("=")[::2] for line in text.split("\nTree=", 1)[0].splitlines() if "=" in line)
        self.features = int(header.get("max_feature_idx", "-1")) + 1
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        parent: list[int] = []
        roots: list[int] = []
        depth = 0
        for tree in _tree_sections(text):
            leaves = int(tree["num_leaves"])
            split = _ints(tree.get("split_feature"))
            inner, base = len(split), len(feature)
            if any(kind & 1 or (kind >> 2) & 3 == 1 for kind in _ints(tree.get("decision_type"))):
                raise ConfigError("the judge's model has categorical or zero-as-missing splits; rebuild it")
            roots.append(base)
            up = [-1] * (inner + leaves)
            for key, side in (("left_child", left), ("right_child", right)):
                at = [child if child >= 0 else inner + ~child for child in _ints(tree.get(key))]
                for node, child in enumerate(at):
                    up[child] = node
                side += [base + child for child in at] + list(range(base + inner, base + inner + leaves))
            for node in range(inner, inner + leaves):
                k, d = node, 0
                while up[k] >= 0:
                    k, d = up[k], d + 1
                depth = max(depth, d)
            feature += split + [0] * leaves
            threshold += [float(v) for v in (tree.get("threshold") or "").split()] + [float("inf")] * leaves
            value += [float(v) for v in (tree.get("internal_value") or "").split()[:inner]]
            value += [float(v) for v in tree["leaf_value"].split()]
            parent += [base + u if u >= 0 else -1 for u in up]
        self.feature = np.asarray(feature, dtype=np.int32)
        self.left = np.asarray(left, dtype=np.int32)
        self.right = np.asarray(right, dtype=np.int32)
        self.value = np.asarray(value, dtype=np.float64)
        self.roots = np.asarray(roots, dtype=np.int32)
        self.depth = depth
        self.parent = np.asarray(parent, dtype=np.int32)
        # the features are float32: x <= t (in double, as LightGBM compares) holds exactly
        # when x <= the largest float32 not above t, so the walk compares in float32
        cut = np.asarray(threshold, dtype=np.float64)
        low = cut.astype(np.float32)
        above = low.astype(np.float64) > cut
        low[above] = np.nextafter(low[above], np.float32(-np.inf))
        self.threshold = low
        # a node's children side by side: child (2 * node + went left)
        self.children = np.stack([self.right, self.left], axis=1).ravel()
        # what the split into a node credits to its parent's feature (0 at a root)
        self.split_feature = np.where(self.parent >= 0, self.feature[np.maximum(self.parent, 0)], 0)
        self.change = np.where(self.parent >= 0, self.value - self.value[np.maximum(self.parent, 0)], 0.0)

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """Each row's leaf (a node number) in every tree."""
        n, width = x.shape
        cells = np.ascontiguousarray(x, dtype=np.float32).ravel()
        base = (np.arange(n, dtype=np.int32) * width)[:, None]
        node = np.broadcast_to(self.roots, (n, len(self.roots)))
        for _ in range(self.depth):
            node = self.children[2 * node + (cells[base + self.feature[node]] <= self.threshold[node])]
        return np.asarray(node)

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The sum of each row's leaves' values (LightGBM's raw score), :data:`CHUNK` rows at a time."""
        out = np.zeros(len(x))
        for lo in range(0, len(x), CHUNK):
            out[lo : lo + CHUNK] = self.value[self.leaves(x[lo : lo + CHUNK])].sum(axis=1)
        return out


def keeps(p: np.ndarray, rules_keep: np.ndarray, scorer: Scorer) -> np.ndarray:
    """Which lines the judge keeps: the rules' kept lines at ``threshold`` or above, their
    dropped lines at ``keep_above`` or above."""
    above = getattr(scorer, "keep_above", scorer.threshold)
    return np.where(rules_keep, p >= scorer.threshold, p >= above)


class TreeModel:
    """Gradient-boosted trees (trained by LightGBM) over named feature columns
    (:data:`NAMES` by default), evaluated by :class:`Forest` in numpy.

    What each feature contributed to a line's probability is read off the paths to the
    line's leaves (each split on a path credits its feature with the change in the
    expected value it makes: Saabas's attribution), walking from each leaf up to its
    root. TreeSHAP (LightGBM's ``pred_contrib``) is exact but costs some 2 ms a line.
    """

    def __init__(
        self,
        booster: Any = None,
        threshold: float = KEEP_THRESHOLD,
        meta: dict[str, Any] | None = None,
        names: tuple[str, ...] = NAMES,
        text: str | None = None,
        keep_above: float = KEEP_ABOVE,
    ) -> None:
        self._booster = booster
        self.keep_above = keep_above
        self.text = text if text is not None else booster.model_to_string()
        self.forest = Forest(self.text)
        self.threshold = threshold
        self.meta = meta or {}
        self.names = names
        if self.forest.features != len(names):
            raise ConfigError(
                f"the judge's model reads {self.forest.features} features, this version computes "
                f"{len(names)}; rebuild it with `python -m benchmarks.train`"
            )

    @property
    def booster(self) -> Any:
        """The LightGBM booster (read from the text when the model was loaded from a file)."""
        if self._booster is None:
            import lightgbm

            self._booster = lightgbm.Booster(model_str=self.text)
        return self._booster

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """Each row's leaf in every tree, numbered across trees."""
        return self.forest.leaves(x)

    def probability(self, x: np.ndarray) -> np.ndarray:
        """The probability that each row's line is content (the sum of its leaves' values,
        through the logistic function: LightGBM's own prediction)."""
        if len(x) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.forest.raw(x)))

    def contributions(self, leaves: np.ndarray) -> np.ndarray:
        """Each feature's contribution to the log-odds of each row of ``leaves``: from each
        leaf up to its tree's root, each step credits the feature split on."""
        width = len(self.names)
        f = self.forest
        n = len(leaves)
        rows = np.repeat(np.arange(n, dtype=np.intp) * width, leaves.shape[1])
        node = leaves.ravel()
        out = np.zeros(n * width)
        while len(node):
            out += np.bincount(rows + f.split_feature[node], weights=f.change[node], minlength=n * width)
            node = f.parent[node]
            alive = node >= 0
            node, rows = node[alive], rows[alive]
        return out.reshape(n, width)

    def explain(self, x: np.ndarray) -> np.ndarray:
        """Each feature's contribution to the log-odds of each row of ``x``, :data:`CHUNK` rows at a time."""
        out = np.zeros((len(x), len(self.names)))
        for lo in range(0, len(x), CHUNK):
            out[lo : lo + CHUNK] = self.contributions(self.leaves(x[lo : lo + CHUNK]))
        return out

    def score(self, x: np.ndarray) -> tuple[np.ndarray, Explainer]:
        # the leaves are found again for the rows to explain: a page's are many (rows x trees)
        return self.probability(x), lambda rows: (self.explain(x[rows]), x[rows], self.names)


class StackedModel:
    """Two tree models: the first reads the page features, the second those and the
    context of the first's probabilities (:func:`second_features`), so that a line's
    neighbours' verdicts weigh in its own. The second decides and explains."""

    def __init__(
        self,
        first: TreeModel,
        second: TreeModel,
        threshold: float = KEEP_THRESHOLD,
        meta: dict[str, Any] | None = None,
        keep_above: float = KEEP_ABOVE,
    ) -> None:
        self.first, self.second, self.threshold, self.meta = first, second, threshold, meta or {}
        self.keep_above = keep_above

    @property
    def booster(self) -> Any:
        return self.second.booster

    def score(self, x: np.ndarray) -> tuple[np.ndarray, Explainer]:
        p1 = self.first.probability(x)
        return self.second.score(second_features(x, p1))

    def to_string(self) -> str:
        meta = {**self.meta, "features": list(NAMES), "threshold": self.threshold, "keep_above": self.keep_above}
        meta["stages"] = 2
        return "\n".join([_HEAD + json.dumps(meta, sort_keys=True), self.first.text, _SECOND, self.second.text])


def _ints(field: str | None) -> list[int]:
    return [int(v) for v in (field or "").split()]


def _tree_sections(text: str):
    """The fields of each tree in a LightGBM model text (``key=value`` lines after ``Tree=k``)."""
    tree: dict[str, str] | None = None
    for line in text.splitlines():
        if line.startswith("Tree="):
            if tree is not None:
                yield tree
            tree = {}
        elif tree is not None:
            if line.startswith("end of trees"):
                break
            key, sep, rest = line.partition("=")
            if sep:
                tree[key] = rest
    if tree is not None:
        yield tree


_HEAD = "#cleaner-judge "
_SECOND = "#cleaner-judge-second-stage"


def from_string(text: str) -> TreeModel | StackedModel:
    """A model from the text :func:`save` writes (one tree model, or two stacked)."""
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
    above = float(meta.get("keep_above", threshold))  # a model file of one threshold keeps it
    first_text, _, second_text = body.partition("\n" + _SECOND + "\n")
    first = TreeModel(None, threshold, meta, text=first_text, keep_above=above)
    if not second_text:
        return first
    second = TreeModel(None, threshold, meta, SECOND_NAMES, text=second_text, keep_above=above)
    return StackedModel(first, second, threshold, meta, above)


def to_string(model: TreeModel | StackedModel) -> str:
    if isinstance(model, StackedModel):
        return model.to_string()
    meta = {**model.meta, "features": list(NAMES), "threshold": model.threshold, "keep_above": model.keep_above}
    return _HEAD + json.dumps(meta, sort_keys=True) + "\n" + model.text


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
