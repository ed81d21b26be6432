"""The seed pages, cleaned exactly as CLEANING_POLICY.md says, removals in the right category.

They run through the plugin author's kit (cleaner.testing, the pytest plugin shipped
with cleaner), as any plugin's golden cases do: the text must equal the expected file,
every must_keep snippet must be in it, and every must_drop line must be dropped as its
category. `pytest --update-golden` rewrites an expected file after showing the diff.

The cases are found, not listed: every ``*.case.toml`` in fixtures/, and the golden cases
a site plugin keeps beside its rules, ``plugins/sites/NAME.case.toml`` (with the page and
the expected text beside it; they are not shipped as package data). Add a case and it runs.
"""

from __future__ import annotations

import pathlib

import pytest

from cleaner.testing import load_cases

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# the page files a case can have as its input
PAGE_SUFFIXES = (".txt", ".html", ".htm")


def golden_cases(root: pathlib.Path):
    """The seeds in ``root/fixtures`` and the site plugins' own cases in ``root/plugins/sites``."""
    sites = root / "plugins" / "sites"
    return load_cases(root / "fixtures") + (load_cases(sites) if sites.is_dir() else [])


CASES = golden_cases(ROOT)
SEEDS = [case for case in CASES if case.path.parent == FIXTURES]


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


def test_every_page_in_fixtures_is_the_input_of_a_case():
    inputs = {case.input for case in SEEDS}
    pages = {p for p in FIXTURES.iterdir() if p.suffix in PAGE_SUFFIXES and not p.name.endswith(".expected.txt")}
    assert SEEDS and pages == inputs


def test_a_site_plugins_cases_beside_its_rules_are_run_as_the_seeds_are(tmp_path):
    for folder, name in ((tmp_path / "fixtures", "seed"), (tmp_path / "plugins" / "sites", "mysite")):
        folder.mkdir(parents=True)
        (folder / f"{name}.txt").write_text("Headline\n", encoding="utf-8")
        (folder / f"{name}.case.toml").write_text(f'input = "{name}.txt"\n', encoding="utf-8")
    assert [case.name for case in golden_cases(tmp_path)] == ["seed", "mysite"]
