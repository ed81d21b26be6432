"""How verdicts become decisions: pure functions of the verdicts, no hooks, no state.

The engine (:mod:`cleaner.engine`) calls the plugins and hands what they said to these:

* :func:`decide`, the first pass: on each block the strongest verdict wins, keep winning
  a tie, the claiming site winning between equals;
* :func:`revise`: a revision replaces the first-pass verdict unless that one is stronger;
* :func:`weigh`: a weigher's verdicts replace the decisions, except the :func:`protected`
  ones (FORCE, and the claiming site's RULE verdicts);
* :func:`keep_requested`: the categories the caller keeps are kept, and marked so.

Every verdict that decides is :func:`stamped` with the plugin that gave it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Sequence

from cleaner.model import Block, Category, Decision, Strength, Verdict

__all__ = ["decide", "keep_requested", "protected", "replace", "revise", "stamped", "weigh"]


def decide(blocks: Sequence[Block], verdicts: Iterable[tuple[str, Verdict]], claimant: str | None = None) -> tuple[Decision, ...]:
    """The first pass: on each block the strongest verdict wins, keep winning ties.

    Between two verdicts alike in strength and keep, the site plugin that claimed the
    page wins: it knows its page best. A block no verdict speaks of is kept.
    """
    best: dict[int, tuple[str, Verdict]] = {}
    for plugin, v in verdicts:
        cur = best.get(v.index)
        if cur is None or (v.strength, v.keep, plugin == claimant) > (cur[1].strength, cur[1].keep, cur[0] == claimant):
            best[v.index] = (plugin, v)
    won = {index: stamped(v, plugin) for index, (plugin, v) in best.items()}
    return tuple(Decision(b, won.get(b.index), won.get(b.index)) for b in blocks)


def revise(decisions: tuple[Decision, ...], revisions: Iterable[tuple[str, Verdict]]) -> tuple[Decision, ...]:
    """A revision replaces the first-pass verdict unless that one is stronger."""
    return replace(decisions, revisions, lambda old, new: old is not None and old.strength > new.strength)


def weigh(decisions: tuple[Decision, ...], weighed: Iterable[tuple[str, Verdict]], claimant: str | None) -> tuple[Decision, ...]:
    """A weigher's verdicts replace the decisions, except a FORCE verdict and the
    claiming site's RULE verdicts: a site's rules are never overruled by a guess."""
    return replace(decisions, weighed, lambda old, _new: protected(old, claimant))


def keep_requested(decisions: Iterable[Decision], keep: Collection[Category]) -> tuple[Decision, ...]:
    """The decisions with every block dropped as one of the ``keep`` categories kept by request."""
    return tuple(
        dataclasses.replace(d, kept_by_request=True) if d.verdict is not None and d.verdict.category in keep else d
        for d in decisions
    )


def replace(
    decisions: tuple[Decision, ...],
    verdicts: Iterable[tuple[str, Verdict]],
    stands: Callable[[Verdict | None, Verdict], bool],
) -> tuple[Decision, ...]:
    """The decisions with later verdicts applied: on each block the strongest of them (keep
    winning a tie) replaces the decision, unless ``stands(old, new)`` says the old holds."""
    best: dict[int, tuple[str, Verdict]] = {}
    for plugin, v in verdicts:
        cur = best.get(v.index)
        if cur is None or (v.strength, v.keep) > (cur[1].strength, cur[1].keep):
            best[v.index] = (plugin, v)
    if not best:
        return decisions
    out = list(decisions)
    for index, (plugin, new) in best.items():
        d = out[index]
        if not stands(d.verdict, new):
            out[index] = Decision(d.block, stamped(new, plugin), d.first)
    return tuple(out)


def protected(v: Verdict | None, claimant: str | None) -> bool:
    """A verdict no weigher overrules: FORCE, or a RULE of the site plugin that claimed the page."""
    if v is None:
        return False
    return v.strength >= Strength.FORCE or (claimant is not None and v.plugin == claimant and v.strength >= Strength.RULE)


def stamped(v: Verdict, plugin: str) -> Verdict:
    """The verdict signed by the plugin that gave it (a plugin cannot sign for another)."""
    return v if v.plugin == plugin else Verdict(v.index, v.category, v.reason, v.strength, plugin)
