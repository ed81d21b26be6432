"""The learned judge: its features, its model file, its verdicts and how they are explained."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaner import Category, Cleaner, ConfigError, Strength, Verdict, hookimpl
from cleaner_plugins.judge import Judge
from cleaner_plugins.judge import model as judge_model
from cleaner_plugins.judge.explain import say, top_reasons
from cleaner_plugins.judge.features import INDEX, NAMES, page_features

STORY = "\n".join(
    [
        "Home",
        "News",
        "Sport",
        "",
        "The council voted on Tuesday to close the old bridge for repairs next spring.",
        "Engineers found cracks in two of its supports during an inspection in May, officials said.",
        "",
        "Share on Facebook",
        "© 2024 The Paper",
    ]
)


class Rows:
    """A scorer that gives each line a fixed probability, by its text."""

    threshold = 0.5

    def __init__(self, probabilities, default=0.9):
        self.probabilities, self.default = probabilities, default
        self.texts: list[str] = []
        self.asked: list[list[int]] = []
        self.pages = 0

    def score(self, x):
        self.pages += 1

        def explain(rows):
            self.asked.append(list(rows))
            out = np.zeros((len(rows), x.shape[1]))
            out[:, INDEX["short_run"]] = -2.0  # "in a run of N short lines" weighs for a drop
            out[:, INDEX["sentence_end"]] = 1.5  # and a sentence end for a keep
            return out, x[rows], NAMES

        return np.array([self.probabilities.get(t, self.default) for t in self.texts]), explain


class Judged(Judge):
    """The judge with a fake scorer that learns the page's texts before it is asked."""

    @hookimpl
    def cleaner_weigh(self, doc, decisions, evidence):
        self._model.texts = [b.text for b in doc.blocks]
        return super().cleaner_weigh(doc, decisions, evidence)


def judged(probabilities, **options):
    scorer = Rows(probabilities)
    return Cleaner(disable=["judge"], plugins=[Judged(scorer, name="judge-test")], **options), scorer


def test_features_are_one_row_per_line_in_named_columns():
    cleaner = Cleaner(disable=["judge"])
    captured: dict[str, np.ndarray] = {}

    class Look:
        name = "look"

        @hookimpl
        def cleaner_weigh(self, doc, decisions, evidence):
            captured.setdefault("x", page_features(doc, decisions, evidence))

    Cleaner(disable=["judge"], plugins=[Look()]).clean(STORY)
    x = captured["x"]
    assert x.dtype == np.float32 and x.shape == (7, len(NAMES)) and len(set(NAMES)) == len(NAMES)
    assert x[:, INDEX["prose"]].tolist() == [0, 0, 0, 1, 1, 0, 0]
    assert x[:3, INDEX["short_run"]].tolist() == [3, 3, 3]  # the menu is a run of three short lines
    assert x[:3, INDEX["place_in_run"]].tolist() == [1, 2, 3]
    assert x[3, INDEX["in_main"]] == 1 and x[0, INDEX["in_main"]] == 0
    # the detectors' verdicts are features: the share prompt is the social plugin's drop
    assert x[5, INDEX["v_social"]] < 0 and x[3, INDEX["v_social"]] == 0
    assert x[6, INDEX["final_footer"]] == 1
    assert np.isfinite(x).all()
    assert cleaner.clean(STORY).text  # the rules alone still clean the page


def test_the_judge_decides_lines_the_rules_kept_and_says_why():
    cleaner, scorer = judged({"Sport": 0.1})
    result = cleaner.clean(STORY)
    assert "Sport" not in result.text.splitlines()
    (removal,) = [r for r in result.removed if r.text == "Sport"]
    assert removal.plugin == "judge-test" and removal.category is Category.NAV
    assert "p=0.10" in removal.reason and "overruling the rules" in removal.reason
    assert "in a run of 3 short lines" in removal.reason
    # only the lines it overrules are explained feature by feature: on the first pass, the
    # lines the rules dropped (it keeps them, at p=0.9) and "Sport"
    rules = Cleaner(disable=["judge"]).clean(STORY)
    overruled = {d.block.index for d in rules.decisions if not d.keep} | {2}
    assert set(scorer.asked[0]) == overruled and len(overruled) < 7


def test_the_judge_keeps_a_line_the_rules_dropped_and_agrees_elsewhere():
    share = "Share on Facebook"
    cleaner, _ = judged({share: 0.8, "© 2024 The Paper": 0.05, "Home": 0.1, "News": 0.1})
    result = cleaner.clean(STORY)
    assert share in result.text
    kept = next(d for d in result.decisions if d.block.text == share)
    assert kept.verdict.keep and "overruling the rules" in kept.verdict.reason and "ends a sentence" not in kept.verdict.reason
    footer = next(r for r in result.removed if r.text.startswith("©"))
    assert footer.category is Category.FOOTER and "the judge agrees: content p=0.05" in footer.reason


def test_a_site_rule_and_force_stand_whatever_the_judge_says():
    class Site:
        name = "paper"

        @hookimpl
        def cleaner_claim(self, doc):
            return "paper" if doc.host == "paper.example" else None

        @hookimpl
        def cleaner_judge(self, doc):
            if doc.site == "paper":
                return [Verdict.keeping(b.index, "the paper's rule", Strength.RULE) for b in doc.blocks if b.text == "Sport"]

    scorer = Rows({"Sport": 0.01})
    cleaner = Cleaner(disable=["judge"], plugins=[Site(), Judged(scorer, name="judge-test")])
    assert "Sport" in cleaner.clean(STORY, url="https://paper.example/a").text
    assert "Sport" not in cleaner.clean(STORY, url="https://other.example/a").text


def test_requested_categories_stay_when_the_judge_drops_them():
    cleaner, _ = judged({"Share on Facebook": 0.1}, keep={"social"})
    assert "Share on Facebook" in cleaner.clean(STORY).text


def test_html_pages_are_left_to_the_rules():
    cleaner, scorer = judged({})
    html = "<html><body><article><p>" + "A sentence of the story here. " * 20 + "</p></article></body></html>"
    cleaner.clean(html, kind="html")
    assert scorer.pages == 0
    cleaner.clean(STORY)
    assert scorer.pages >= 1


def test_reasons_are_said_in_words():
    row = np.zeros(len(NAMES), dtype=np.float32)
    row[INDEX["log_words"]] = np.log1p(3)
    row[INDEX["short_run"]] = 9
    row[INDEX["sentence_end"]] = 0
    contrib = np.zeros(len(NAMES))
    contrib[INDEX["short_run"]], contrib[INDEX["log_words"]], contrib[INDEX["sentence_end"]] = -3, -2, -1
    assert top_reasons(row, contrib, keep=False) == ["in a run of 9 short lines", "short (3 words)", "no sentence end"]
    assert top_reasons(row, contrib, keep=True) == []  # nothing weighed towards keeping it
    assert say("v_nav", -2) == "nav: drop (rule)" and say("v_nav", 0) == "nav said nothing"


# -- the model file ----------------------------------------------------------------


def _tiny_samples(seed=0):
    from benchmarks.train import Sample

    rng = np.random.default_rng(seed)
    out = []
    for k in range(6):
        x = rng.normal(size=(40, len(NAMES))).astype(np.float32)
        y = x[:, INDEX["log_words"]] + 0.3 * x[:, INDEX["prose"]] > 0
        out.append(Sample("wcxb", str(k), "htmltext", f"site{k}.example", "article", x, y, np.ones(40)))
    return out


@pytest.mark.parametrize("kind", ["lgbm", "stacked"])
def test_training_is_reproducible_same_data_same_file(tmp_path, kind, monkeypatch):
    import benchmarks.train as train

    monkeypatch.setattr(train, "INNER_ROUNDS", 10)
    a, b = tmp_path / "a.txt.gz", tmp_path / "b.txt.gz"
    judge_model.save(train.MODELS[kind](_tiny_samples(), rounds=20), a)
    judge_model.save(train.MODELS[kind](_tiny_samples(), rounds=20), b)
    assert a.read_bytes() == b.read_bytes()
    loaded = judge_model.load(a)
    assert type(loaded).__name__ == {"lgbm": "TreeModel", "stacked": "StackedModel"}[kind]
    x = _tiny_samples()[0].x
    p, explain = loaded.score(x)
    assert p.shape == (40,) and ((p > 0) & (p < 1)).all()
    # the attributions add up to the deciding model's log-odds, less its trees' base values
    raw = np.log(p / (1 - p))
    bias = sum(t["tree_structure"].get("internal_value", 0.0) for t in loaded.booster.dump_model()["tree_info"])
    contrib, values, names = explain(np.arange(40))
    assert contrib.shape == values.shape == (40, len(names))
    assert np.allclose(contrib.sum(axis=1) + bias, raw)


def test_a_model_built_for_other_features_is_refused(tmp_path):
    from benchmarks.train import fit_lgbm

    path = tmp_path / "m.txt.gz"
    judge_model.save(fit_lgbm(_tiny_samples(), rounds=5), path)
    text = gzip.decompress(path.read_bytes()).decode()
    head, _, body = text.partition("\n")
    meta = json.loads(head[len("#cleaner-judge ") :])
    meta["features"] = meta["features"][:-1] + ["something_else"]
    path.write_bytes(gzip.compress(("#cleaner-judge " + json.dumps(meta) + "\n" + body).encode()))
    with pytest.raises(ConfigError, match="rebuild it with `python -m benchmarks.train`"):
        judge_model.load(path)
    with pytest.raises(ConfigError, match="cannot read"):
        judge_model.load(tmp_path / "missing.txt.gz")


def test_the_shipped_model_is_small_local_and_matches_the_features():
    assert judge_model.MODEL_FILE.exists(), "rebuild it with `python -m benchmarks.train`"
    assert judge_model.MODEL_FILE.stat().st_size < 3 * 1024 * 1024
    model = judge_model.shipped()
    assert model is not None and model.meta["features"] == list(NAMES)
    p, _ = model.score(np.zeros((3, len(NAMES)), dtype=np.float32))
    assert p.shape == (3,)
    assert model.meta.get("seed") is not None


def test_the_judge_is_off_unless_enabled_and_disable_leaves_the_rules_alone():
    page = "\n".join(["Menu item one", "Menu item two", "", STORY])
    default = Cleaner().clean(page)
    assert not any("p=" in d.verdict.reason for d in default.decisions if d.verdict is not None)
    judged_page = Cleaner(enable=["judge"]).clean(page)
    assert all("p=" in d.verdict.reason for d in judged_page.decisions if d.verdict is not None)
    assert Cleaner(enable=["judge"], disable=["judge"]).clean(page).text == default.text
    with pytest.raises(ConfigError, match="only judge is off by default"):
        Cleaner(enable=["nav"])


_ERODED = ["A short line.", "A short line.", STORY.splitlines()[4], "Home | News | Sport", STORY.splitlines()[4], "Home"]


@settings(max_examples=25, deadline=None)
@example(_ERODED)  # the judge dropped a line a pass, past the rules' 4 passes (found by CI)
@given(
    st.lists(
        st.sampled_from(
            [
                *STORY.splitlines(),
                "Read more",
                "12 comments",
                "Home | News | Sport",
                "A short line.",
                "Another sentence of the story, long enough to read as prose here.",
            ]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_with_the_judge_no_text_is_invented_and_cleaning_twice_changes_nothing(lines):
    cleaner = _enabled()
    page = "\n".join(lines)
    once = cleaner.clean(page)
    assert set(once.text.splitlines()) - {""} <= set(lines)
    assert cleaner.clean(once.text).text == once.text
    assert cleaner.clean(page).text == once.text


_ENABLED: list[Cleaner] = []


def _enabled() -> Cleaner:
    if not _ENABLED:
        _ENABLED.append(Cleaner(enable=["judge"]))
    return _ENABLED[0]


# -- the whole-page counters against a line-by-line reference -----------------------

import re  # noqa: E402

from cleaner_plugins.judge import features as F  # noqa: E402

_PIECES = st.sampled_from(list("aZ9 _.|/@-–wÀя٣\x00") + ["www.", "http://", " / ", ".com", "Ünd"])
_LINES = st.lists(st.lists(_PIECES, max_size=12).map("".join), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(_LINES)
def test_page_counters_equal_counting_line_by_line(lines):
    joined = "\n".join(lines)
    n = len(lines)
    assert F._chars_per_line(F._NOT_DIGIT, joined, n).tolist() == [len(re.findall(r"\d", t)) for t in lines]
    for pattern in (F._LINKISH, F._SEPARATOR, F._CAPITALISED):
        assert F._matches_per_line(pattern, joined, n).tolist() == [len(pattern.findall(t)) for t in lines]


def test_the_command_line_explains_the_judges_lines(tmp_path):
    import os
    import subprocess
    import sys

    page = tmp_path / "page.txt"
    page.write_text(STORY + "\n", encoding="utf-8")

    def run(*args):
        env = {**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
        p = subprocess.run([sys.executable, "-m", "cleaner.cli", *args, str(page)], capture_output=True, env=env)
        assert p.returncode == 0, p.stderr
        return p.stdout.decode()

    explained = run("--explain", "--no-color", "--enable", "judge")
    assert "content p=" in explained
    removed = json.loads(run("--format", "json", "--enable", "judge"))["removed"]
    assert removed and all("p=" in r["reason"] for r in removed)
    rules = json.loads(run("--format", "json"))["removed"]
    assert rules and not any("p=" in r["reason"] for r in rules)
