"""What the generic detectors alone get right and wrong on the seeds (site plugins off).

The generic detectors must work on sites nobody wrote a plugin for; this file records
how far they get on the seeds without help. A change that makes them better or worse
shows up here and should update the record.

The record names the seeds it speaks of; a fixture added later is not in it (it may be a
site plugin's page, which the generic detectors need not get right) until it is recorded
here, and the golden tests run it in any case.
"""

from __future__ import annotations

import pytest
from test_golden import SEEDS, check_drops, load

from cleaner import Cleaner, builtin_plugins

# The generic detectors' known category slips on the seeds (the text is right on all three).
KNOWN_SLIPS = {
    "000_6dfaa3aae3de5004": ["line 48 'OPINION / BLOG / INTERVIEW': nav, wanted related"],
    "001_a0e1f8a55c835643": [],
    "002_f41431c53fcb015d": [],
}


# The site plugin that claims each seed it is known for.
CLAIMS = {
    "000_6dfaa3aae3de5004": "devdiscourse",
    "001_a0e1f8a55c835643": "ani",
    "002_f41431c53fcb015d": "pravda",
}
RECORDED = [case for case in SEEDS if case.name in KNOWN_SLIPS]


def test_the_record_speaks_of_seeds_that_exist():
    names = {case.name for case in SEEDS}
    assert set(KNOWN_SLIPS) <= names and set(CLAIMS) <= names


@pytest.fixture(scope="module")
def generic():
    return Cleaner(autoload=False, disable=builtin_plugins(role="site"))


@pytest.mark.parametrize("case_path", RECORDED, ids=str)
def test_generic_detectors_alone_give_the_expected_text(case_path, generic):
    case, page, expected = load(case_path)
    result = generic.clean(page)
    assert result.text + "\n" == expected
    assert result.metadata.get("site") is None  # no site plugin claimed it


@pytest.mark.parametrize("case_path", RECORDED, ids=str)
def test_generic_category_slips_are_the_recorded_ones(case_path, generic):
    case, page, _ = load(case_path)
    assert check_drops(case, generic.clean(page)) == KNOWN_SLIPS[case_path.name]


@pytest.mark.parametrize("case", [case for case in SEEDS if case.name in CLAIMS], ids=str)
def test_site_plugins_claim_their_seeds(case, default_cleaner):
    assert default_cleaner.clean(load(case)[1]).metadata.get("site") == CLAIMS[case.name]


def test_site_plugins_claim_by_url(default_cleaner):
    text = "Some headline here\n\nA paragraph of text that is long enough to read as prose in the article.\n"
    assert default_cleaner.clean(text, url="https://www.devdiscourse.com/article/x").metadata["site"] == "devdiscourse"
    assert default_cleaner.clean(text, url="https://www.pravda.com.ua/eng/news/1/").metadata["site"] == "pravda"
    assert default_cleaner.clean(text).metadata.get("site") is None
