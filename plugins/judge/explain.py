"""The judge's reasons in words: a feature's value said as a reader would say it."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from cleaner_plugins.judge.features import DETECTORS, INDEX, NAMES, SECOND_NAMES

_STRENGTH = {1: "hint", 2: "rule", 3: "force"}


def _count(v: float) -> int:
    return int(round(math.expm1(v)))


def _away(v: float, what: str) -> str:
    """A signed distance in lines (log1p), said: inside, or so many lines below or above."""
    if v == 0:
        return f"inside {what}"
    return f"{_count(abs(v))} lines {'below' if v > 0 else 'above'} {what}"


def _rules_say(category: str) -> Callable[[float], str]:
    return lambda v: f"the rules say {category}" if v else f"the rules do not say {category}"


def _around(k: int) -> Callable[[float], str]:
    return lambda v: f"the {2 * k} lines around it judged content at p={v:.2f}"


def _flag(yes: str, no: str) -> Callable[[float], str]:
    """A yes-or-no feature, said."""
    return lambda v: yes if v else no


def _verdict(who: str) -> Callable[[float], str]:
    def say(v: float) -> str:
        if v == 0:
            return f"{who} said nothing"
        return f"{who}: {'keep' if v > 0 else 'drop'} ({_STRENGTH.get(int(abs(v)), 'hint')})"

    return say


def _share(what: str) -> Callable[[float], str]:
    return lambda v: f"{what} {v:.0%}"


def _window(what: str, k: int) -> Callable[[float], str]:
    return lambda v: f"{v:.0%} of the {2 * k} lines around {what}"


_SAY: dict[str, Callable[[float], str]] = {
    "log_chars": lambda v: f"{_count(v)} characters",
    "log_words": lambda v: ("short" if _count(v) < 8 else "long") + f" ({_count(v)} words)",
    "sentence_end": _flag("ends a sentence", "no sentence end"),
    "function_share": lambda v: "few function words" if v < 0.1 else f"function words {v:.0%}",
    "letters": _share("letters"),
    "cjk": _flag("written without spaces", "written with spaces"),
    "prose": _flag("reads as prose", "not prose"),
    "digits": _share("digits"),
    "punctuation": _share("punctuation"),
    "capitalised": _share("capitalised words"),
    "linkish": lambda v: f"{int(v)} link-like tokens",
    "separators": lambda v: f"{int(v)} menu separators",
    "counter": _flag("a counter", "no counter"),
    "headline_like": _flag("headline-like", "not headline-like"),
    "code": _flag("a line of code", "not code"),
    "caps_heading": _flag("a heading in capitals", "not in capitals"),
    "ends_colon": _flag("ends with a colon", "no colon at the end"),
    "ends_question": _flag("a question", "no question mark"),
    "starts_bullet": _flag("starts with a bullet", "no bullet"),
    "starts_digit": _flag("starts with a digit", "no digit first"),
    "starts_lower": _flag("starts in lower case", "starts with a capital"),
    "blank_before": _flag("a blank line above", "no blank line above"),
    "blank_after": _flag("a blank line below", "no blank line below"),
    "indent": lambda v: f"indented {int(v)}",
    "repeats": lambda v: f"repeated {int(v)} times on the page" if v else "not repeated on the page",
    "mean_word_len": lambda v: f"words of {v:.1f} letters",
    "position": lambda v: f"at {v:.0%} of the page's lines",
    "text_position": lambda v: f"at {v:.0%} of the page's words",
    "lines_to_end": lambda v: f"{_count(v)} lines from the end",
    "short_run": lambda v: f"in a run of {int(v)} short lines" if v else "not in a run of short lines",
    "place_in_run": lambda v: f"line {int(v)} of its run of short lines",
    "prose_dist": lambda v: f"{_count(v)} lines from the nearest prose" if v else "prose",
    "long_prose_dist": lambda v: f"{_count(v)} lines from a long paragraph",
    "group_lines": lambda v: f"in a group of {_count(v)} lines between blank lines",
    "group_words": lambda v: f"its group between blank lines has {_count(v)} words",
    "group_prose": lambda v: f"{v:.0%} of its group is prose",
    "in_main": _flag("inside the densest prose", "outside the densest prose"),
    "main_dist": lambda v: _away(v, "the densest prose"),
    "prev_words": lambda v: f"{_count(v)} words in the line above",
    "next_words": lambda v: f"{_count(v)} words in the line below",
    "prev_prose": _flag("prose above", "no prose above"),
    "next_prose": _flag("prose below", "no prose below"),
    "prev_dropped": _flag("the line above dropped", "the line above kept"),
    "next_dropped": _flag("the line below dropped", "the line below kept"),
    "v_site": _verdict("the site's rules"),
    "first_keep": _flag("kept by the detectors", "dropped by a detector"),
    "first_strength": _verdict("the detectors"),
    "final_keep": _flag("the rules keep it", "the rules drop it"),
    "final_strength": _verdict("the rules"),
    "rules_headline": _flag("the rules' headline", "not the rules' headline"),
}
for _k in (1, 3, 8):
    _SAY[f"words_{_k}"] = lambda v: f"about {_count(v)} words a line around it"
    _SAY[f"prose_{_k}"] = _window("are prose", _k)
    _SAY[f"sentence_end_{_k}"] = _window("end a sentence", _k)
    _SAY[f"function_{_k}"] = _share("function words around it")
    _SAY[f"linkish_{_k}"] = _window("are link-like", _k)
    _SAY[f"dropped_{_k}"] = _window("are dropped by the rules", _k)
for _d in DETECTORS:
    _SAY[f"v_{_d}"] = _verdict(_d)
for _name in NAMES:
    if _name.startswith("final_") and _name not in _SAY:
        _SAY[_name] = _rules_say(_name[6:])
_SAY["p"] = lambda v: f"first judged content at p={v:.2f}"
for _k in (1, 2, 4, 8):
    _SAY[f"p_{_k}"] = _around(_k)
_SAY["p_max_2"] = lambda v: f"the likeliest content of the 4 lines around it at p={v:.2f}"
_SAY["p_min_2"] = lambda v: f"the least likely content of the 4 lines around it at p={v:.2f}"
_SAY["p_prev"] = lambda v: f"the line above judged content at p={v:.2f}"
_SAY["p_next"] = lambda v: f"the line below judged content at p={v:.2f}"
_SAY["p_in_main"] = lambda v: "inside the run judged content" if v else "outside the run judged content"
_SAY["p_main_dist"] = lambda v: _away(v, "the run judged content")
_SAY["p_words_before"] = lambda v: f"{v:.0%} of the content's words above it"
_SAY["p_words_after"] = lambda v: f"{v:.0%} of the content's words below it"
assert set(_SAY) >= set(SECOND_NAMES), sorted(set(SECOND_NAMES) - set(_SAY))


def say(name: str, value: float) -> str:
    """A feature's value in words."""
    return _SAY[name](float(value))


def top_reasons(row: np.ndarray, contrib: np.ndarray, keep: bool, names: tuple[str, ...] = NAMES, count: int = 3) -> list[str]:
    """The ``count`` features (columns ``names``) that weighed most towards the decision, in words."""
    toward = contrib if keep else -contrib
    order = np.argsort(-toward, kind="stable")[:count]
    return [say(names[i], row[i]) for i in order if toward[i] > 0]


__all__ = ["INDEX", "say", "top_reasons"]
