"""The seed pages, cleaned exactly as CLEANING_POLICY.md says, removals in the right category."""

from __future__ import annotations

import pathlib
import tomllib

import pytest

from cleaner import Cleaner

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"

CASES = sorted(FIXTURES.glob("*.case.toml"))


def load(case_path):
    case = tomllib.loads(case_path.read_text(encoding="utf-8"))
    page = (FIXTURES / case["input"]).read_bytes()
    expected = (FIXTURES / case["expected"]).read_text(encoding="utf-8")
    return case, page, expected


def check_drops(case, result):
    """Every must_drop snippet is dropped, as its category; returns the failures."""
    failures = []
    for rule in case.get("must_drop", []):
        matched = [
            d
            for d in result.decisions
            if ("line" in rule and d.block.lineno == rule["line"]) or ("text" in rule and rule["text"] in d.block.text)
        ]
        if not matched:
            failures.append(f"{rule}: no such line")
        for d in matched:
            got = "kept" if d.keep else d.verdict.category.value
            if got != rule["category"]:
                failures.append(f"line {d.block.lineno} {d.block.text[:50]!r}: {got}, wanted {rule['category']}")
    return failures


@pytest.mark.parametrize("case_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_seed_is_cleaned_as_the_policy_says(case_path, default_cleaner):
    case, page, expected = load(case_path)
    result = default_cleaner.clean(page, url=case.get("url"), kind=case.get("kind"))
    assert result.text + "\n" == expected
    for snippet in case.get("must_keep", []):
        assert snippet in result.text
    assert check_drops(case, result) == []


def test_there_are_three_seeds():
    assert len(CASES) == 3
