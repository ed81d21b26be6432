"""metadata["kept_share"] and ["prose_share"]: figures of the text the user gets, on pages with known answers."""

from __future__ import annotations

import pathlib

import pytest

from cleaner import Category, Cleaner, Strength, Verdict, hookimpl
from cleaner.manager import BUILTIN_PLUGINS

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
HEADLINE = "Harbour council approves new ferry timetable"
PARAGRAPHS = [
    "The harbour council approved the new ferry timetable on Tuesday, after a debate that lasted most of the evening.",
    "From next month the boats will leave every half hour, and until midnight on Fridays and Saturdays.",
]
TICKETS = "Tickets cost two euros for adults and one euro for children."
LIST = ["Monday: 6:00 to 22:00", "Tuesday: 6:00 to 22:00", "Sunday: 8:00 to 20:00"]


def test_a_page_with_an_ad_label(default_cleaner):
    page = "\n".join([HEADLINE, "", PARAGRAPHS[0], "", "Advertisement", "", PARAGRAPHS[1]])
    result = default_cleaner.clean(page)
    assert "Advertisement" not in result.text and result.title == HEADLINE
    assert result.metadata["kept_share"] == 0.75  # 3 of 4 lines (blank lines do not count)
    prose = sum(map(len, PARAGRAPHS))
    assert result.metadata["prose_share"] == round(prose / (prose + len(HEADLINE)), 3)


def test_prose_and_not(default_cleaner):
    prose_only = default_cleaner.clean("\n\n".join(PARAGRAPHS)).metadata
    assert (prose_only["kept_share"], prose_only["prose_share"]) == (1.0, 1.0)
    # a timetable: short lines, none of them prose
    table = default_cleaner.clean("\n".join([HEADLINE, "", *LIST])).metadata
    assert table["kept_share"] == 1.0 and table["prose_share"] == 0.0
    mixed = default_cleaner.clean("\n".join([PARAGRAPHS[0], "", *LIST])).metadata
    assert mixed["prose_share"] == round(len(PARAGRAPHS[0]) / (len(PARAGRAPHS[0]) + sum(map(len, LIST))), 3)


def test_nothing_in_or_nothing_kept(default_cleaner):
    assert default_cleaner.clean("").metadata["kept_share"] is None
    assert default_cleaner.clean("").metadata["prose_share"] is None
    nothing_kept = default_cleaner.clean("Advertisement\n|").metadata
    assert nothing_kept["kept_share"] == 0.0 and nothing_kept["prose_share"] is None


SEEDS = sorted(p for p in FIXTURES.glob("*.txt") if not p.name.endswith(".expected.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_kept_share_is_the_outputs_lines_over_the_inputs(default_cleaner, seed):
    page = seed.read_text(encoding="utf-8")
    result = default_cleaner.clean(page)
    lines_in = sum(1 for line in page.splitlines() if line.strip())
    lines_out = sum(1 for line in result.text.splitlines() if line.strip())
    assert result.metadata["kept_share"] == round(lines_out / lines_in, 3)


def test_html_mode_and_disabled(default_cleaner):
    html = f"<html><body><article><h1>{HEADLINE}</h1>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article></body></html>"
    metadata = default_cleaner.clean(html, kind="html").metadata
    assert metadata["kept_share"] == 1.0 and 0.5 < metadata["prose_share"] < 1.0
    assert ("quality", "cleaner_plugins.quality", "metadata") in BUILTIN_PLUGINS
    assert "kept_share" not in Cleaner(autoload=False, disable=["quality"]).clean(PARAGRAPHS[0]).metadata


class SecondPass:
    """Drops "Sponsored", and TICKETS only on a page without "Sponsored": so the
    second line goes only when the engine settles (cleans its own output again)."""

    name = "second_pass"

    @hookimpl
    def cleaner_judge(self, doc):
        texts = [b.text for b in doc.blocks]
        for b in doc.blocks:
            if b.text == "Sponsored" or b.text == TICKETS and "Sponsored" not in texts:
                yield Verdict.drop(b.index, Category.AD, "test", Strength.RULE)


def test_the_figures_are_of_the_settled_text():
    page = "\n".join([PARAGRAPHS[0], "", "Sponsored", "", TICKETS, "", PARAGRAPHS[1]])
    result = Cleaner(autoload=False, plugins=[SecondPass()]).clean(page)
    assert TICKETS not in result.text
    assert any("once the page was cleaned" in r.reason for r in result.removed)
    assert result.metadata["kept_share"] == 0.5 and result.metadata["prose_share"] == 1.0  # 2 of 4
