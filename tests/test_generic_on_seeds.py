"""What the generic detectors alone get right and wrong on the seeds (site plugins off).

The generic detectors must work on sites nobody wrote a plugin for; this file records
how far they get on the seeds without help. A change that makes them better or worse
shows up here and should update the record.
"""

from __future__ import annotations

import pytest

from cleaner import Cleaner, builtin_plugins

from test_golden import CASES, check_drops, load

# The generic detectors' known category slips on the seeds (the text is right on all three).
KNOWN_SLIPS = {
    "000_6dfaa3aae3de5004": ["line 48 'OPINION / BLOG / INTERVIEW': nav, wanted related"],
    "001_a0e1f8a55c835643": [],
    "002_f41431c53fcb015d": [],
}


@pytest.fixture(scope="module")
def generic():
    return Cleaner(autoload=False, disable=builtin_plugins(role="site"))


@pytest.mark.parametrize("case_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_generic_detectors_alone_give_the_expected_text(case_path, generic):
    case, page, expected = load(case_path)
    result = generic.clean(page)
    assert result.text + "\n" == expected
    assert result.metadata.get("site") is None  # no site plugin claimed it


@pytest.mark.parametrize("case_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_generic_category_slips_are_the_recorded_ones(case_path, generic):
    case, page, _ = load(case_path)
    assert check_drops(case, generic.clean(page)) == KNOWN_SLIPS[case_path.name.split(".")[0]]


def test_site_plugins_claim_their_seeds(default_cleaner):
    sites = [default_cleaner.clean(load(p)[1]).metadata.get("site") for p in CASES]
    assert sites == ["devdiscourse", "ani", "pravda"]


def test_site_plugins_claim_by_url(default_cleaner):
    text = "Some headline here\n\nA paragraph of text that is long enough to read as prose in the article.\n"
    assert default_cleaner.clean(text, url="https://www.devdiscourse.com/article/x").metadata["site"] == "devdiscourse"
    assert default_cleaner.clean(text, url="https://www.pravda.com.ua/eng/news/1/").metadata["site"] == "pravda"
    assert default_cleaner.clean(text).metadata.get("site") is None
