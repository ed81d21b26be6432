"""The seed pages, cleaned exactly as CLEANING_POLICY.md says, removals in the right category.

They run through the plugin author's kit (cleaner.testing, the pytest plugin shipped
with cleaner), as any plugin's golden cases do: the text must equal the expected file,
every must_keep snippet must be in it, and every must_drop line must be dropped as its
category. `pytest --update-golden` rewrites an expected file after showing the diff.
"""

from __future__ import annotations

import pathlib

import pytest

from cleaner.testing import load_cases

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"

CASES = load_cases(FIXTURES)


def load(case):
    """The case, its page's bytes and its expected text (for test_generic_on_seeds)."""
    return case, case.input.read_bytes(), case.expected.read_text(encoding="utf-8")


def check_drops(case, result):
    """The must_drop lines not dropped as their category, in a short form that
    test_generic_on_seeds records (the kit's own messages also give reasons)."""
    failures = []
    for rule in case.must_drop:
        matched = [d for d in result.decisions if rule.selects(d)]
        if not matched:
            failures.append(f"{rule}: no such line")
        for d in matched:
            got = "kept" if d.keep else d.verdict.category.value
            if got != rule.category.value:
                failures.append(f"line {d.block.lineno} {d.block.text[:50]!r}: {got}, wanted {rule.category}")
    return failures


@pytest.mark.parametrize("case", CASES, ids=str)
def test_seed_is_cleaned_as_the_policy_says(case, cleaner_golden):
    outcome = cleaner_golden.check(case)
    assert outcome.result.text + "\n" == outcome.expected
    assert outcome.failures == ()


def test_there_are_three_seeds():
    assert len(CASES) == 3
