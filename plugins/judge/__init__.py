"""The judge: a trained model weighs every plugin's evidence and decides each line.

The detectors and context give verdicts; this plugin (the ``cleaner_weigh`` stage) turns
them, with the line statistics and the context of each line, into features
(:mod:`.features`), asks a model for the probability that each line is content
(:mod:`.model`), and decides: it overrules the rules only when fairly sure (a line they
keep is dropped below the model's ``threshold``, a line they drop is kept at or above its
``keep_above``).
What it says of a line is its probability and the two or three features that weighed
most, in words (:mod:`.explain`). A dropped line keeps the category the rules gave it,
else the category of the rules' nearest drop, else nav above the article and footer
below it.

The engine keeps a verdict of strength FORCE and the claiming site's rules whatever the
judge says. ``--disable judge`` leaves the page to the rules alone. Text pages only: the
extracted text of an HTML page is left to the rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner import Category, Decision, Document, Evidence, Kind, Verdict, hookimpl
from cleaner_plugins.judge import model as _model
from cleaner_plugins.judge.explain import top_reasons
from cleaner_plugins.judge.features import page_features

# How far (in lines) a dropped line looks for the rules' category of a drop near it.
CATEGORY_REACH = 3


class Judge:
    """The weighing plugin; ``model`` None means the model shipped in the package."""

    name = "judge"

    def __init__(self, model: _model.Scorer | None = None, name: str | None = None) -> None:
        self._model = model
        if name:
            self.name = name

    @property
    def model(self) -> _model.Scorer | None:
        return self._model if self._model is not None else _model.shipped()

    @hookimpl
    def cleaner_weigh(self, doc: Document, decisions: Sequence[Decision], evidence: Evidence):
        if doc.kind is not Kind.TEXT or not doc.blocks:
            return None
        scorer = self.model
        if scorer is None:
            return None
        p, explain = scorer.score(page_features(doc, decisions, evidence))
        rules_keep = np.fromiter((d.keep for d in decisions), dtype=bool, count=len(decisions))
        return list(_verdicts(decisions, p, _model.keeps(p, rules_keep, scorer), explain, rules_keep))


def _verdicts(decisions: Sequence[Decision], p: np.ndarray, keep: np.ndarray, explain: _model.Explainer, rules_keep: np.ndarray):
    """A verdict on every line. Where the judge overrules the rules it says what weighed
    most; where it agrees it gives its probability beside the rules' reason."""
    overruled = np.flatnonzero(keep != rules_keep)
    why: dict[int, str] = {}
    if len(overruled):
        contrib, values, names = explain(overruled)
        for row, i in enumerate(overruled.tolist()):
            why[i] = ", ".join(top_reasons(values[row], contrib[row], bool(keep[i]), names))
    kept = np.flatnonzero(keep)
    first_kept = int(kept[0]) if len(kept) else len(decisions)
    for i, d in enumerate(decisions):
        v = d.verdict
        if i in why:
            said = f"judge: content p={p[i]:.2f}, overruling the rules ({why[i] or 'all its features together'})"
        elif v is not None and v.reason:
            said = f"{v.reason} ({v.plugin}; the judge agrees: content p={p[i]:.2f})"
        else:
            said = f"judge: content p={p[i]:.2f}"
        if keep[i]:
            yield Verdict.keeping(i, said)
        else:
            yield Verdict.drop(i, _category(decisions, i, first_kept), said)


def _category(decisions: Sequence[Decision], i: int, first_kept: int) -> Category:
    """The rules' category of the line, else of their nearest drop, else by its place."""
    v = decisions[i].verdict
    if v is not None and v.category is not None:
        return v.category
    n = len(decisions)
    for step in range(1, CATEGORY_REACH + 1):
        for j in (i - step, i + step):
            if 0 <= j < n:
                w = decisions[j].verdict
                if w is not None and w.category is not None and w.category is not Category.DUPLICATE:
                    return w.category
    return Category.NAV if i < first_kept else Category.FOOTER


plugin = Judge()

__all__ = ["Judge", "plugin"]
