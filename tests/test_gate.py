"""The quality benchmark's regression gate (benchmarks/gate.py), on made-up results."""

from __future__ import annotations

import json

import pytest

from benchmarks import gate, run
from benchmarks.metrics import Corpus


def result(
    f1: float,
    std: float = 0.01,
    *,
    dataset: str = "wcxb",
    source: str = "htmltext",
    system: str = "cleaner",
    mode: str = "text",
    pages: int = 1358,
) -> run.Result:
    return run.Result(dataset, mode, source, system, pages, Corpus(f1, f1, f1), Corpus(std, std, std),
                      seconds=1.0, megabytes=1.0, errors=0)  # fmt: skip


@pytest.fixture
def scores(tmp_path):
    path = tmp_path / "scores.json"
    gate.accept(
        path,
        [
            result(0.80, 0.007),
            result(0.93, 0.01, dataset="scrapinghub", pages=79),
            result(0.85, 0.006, source="html", mode="html"),
        ],
        commit="abc1234",
        date="2026-12-05",
    )
    return path


def test_accept_records_f1_std_pages_commit_and_date_per_dataset_mode_input_system(scores):
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["scores"]["wcxb/text/htmltext/cleaner"] == {
        "f1": 0.8,
        "f1_std": 0.007,
        "pages": 1358,
        "commit": "abc1234",
        "date": "2026-12-05",
    }
    assert set(data["scores"]) == {"wcxb/text/htmltext/cleaner", "scrapinghub/text/htmltext/cleaner", "wcxb/html/html/cleaner"}


def test_a_run_at_or_above_or_within_one_std_below_passes(scores):
    recorded = gate.load(scores)
    for f1 in (0.80, 0.81, 0.794):
        verdict = gate.check(recorded, [result(f1)])
        assert verdict.passed and len(verdict.compared) == 1, f1


def test_a_run_lower_by_more_than_the_recorded_std_fails_and_names_the_result(scores):
    verdict = gate.check(gate.load(scores), [result(0.792), result(0.93, dataset="scrapinghub", pages=79)])
    assert not verdict.passed
    assert [c.key for c in verdict.regressions] == ["wcxb/text/htmltext/cleaner"]
    report = verdict.report()
    assert "2 results compared, 1 lower" in report
    assert "LOWER wcxb/text/htmltext/cleaner: F1 0.7920, recorded 0.8000 ± 0.0070 (-0.0080)" in report


def test_the_recorded_std_counts_not_the_runs(scores):
    # a run without bootstrap (std 0) is judged by the recorded std; a wide run std excuses nothing
    assert gate.check(gate.load(scores), [result(0.795, std=0.0)]).passed
    assert not gate.check(gate.load(scores), [result(0.79, std=0.5)]).passed


def test_results_not_recorded_or_on_other_pages_are_not_compared(scores):
    verdict = gate.check(gate.load(scores), [result(0.1, system="c4"), result(0.1, pages=50)])
    assert verdict.passed and not verdict.compared
    assert verdict.skipped == [
        "wcxb/text/htmltext/c4: no recorded score",
        "wcxb/text/htmltext/cleaner: 50 pages, recorded on 1358",
    ]


def test_accept_replaces_the_runs_entries_and_keeps_the_others(scores):
    gate.accept(scores, [result(0.79, 0.008)], commit="def5678", date="2026-12-06")
    recorded = gate.load(scores)
    assert recorded["wcxb/text/htmltext/cleaner"]["f1"] == 0.79
    assert recorded["wcxb/text/htmltext/cleaner"]["commit"] == "def5678"
    assert recorded["wcxb/html/html/cleaner"]["commit"] == "abc1234"


def test_benchmark_run_gate_exits_1_on_a_regression_and_accept_rewrites_the_file(scores, capsys):
    assert run.run_gate(scores, [result(0.70)], accept=False) == 1
    assert "LOWER wcxb/text/htmltext/cleaner" in capsys.readouterr().out
    assert run.run_gate(scores, [result(0.70)], accept=True) == 0
    assert run.run_gate(scores, [result(0.70)], accept=False) == 0
    assert gate.load(scores)["wcxb/text/htmltext/cleaner"]["f1"] == 0.7


def test_gate_without_a_scores_file_is_an_error_and_accept_needs_gate(tmp_path):
    assert run.run_gate(tmp_path / "missing.json", [result(0.8)], accept=False) == 2
    with pytest.raises(SystemExit):
        run.parse_args(["--accept"])
    with pytest.raises(SystemExit):
        run.parse_args(["--gate", "s.json", "--accept", "--bootstrap", "0"])  # it would record a std of 0
    assert run.parse_args(["--gate", "s.json", "--accept"]).accept


def test_the_repository_scores_file_names_its_commit_for_every_entry():
    recorded = gate.load(run.REPO_ROOT / "benchmarks" / "scores.json")
    assert recorded, "benchmarks/scores.json is missing or empty"
    for name, entry in recorded.items():
        assert entry["commit"] and entry["commit"] != "unknown", name
        assert 0 < entry["f1"] <= 1 and entry["f1_std"] > 0, name


def test_the_commit_is_read_from_git_and_unknown_outside_a_repository(tmp_path):
    assert gate.current_commit(tmp_path) == "unknown"
    commit = gate.current_commit(run.REPO_ROOT)
    assert commit == "unknown" or len(commit.removesuffix("+dirty")) >= 7
