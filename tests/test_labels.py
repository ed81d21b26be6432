"""The training labeller: which lines of a page are its gold main content (benchmarks.labels)."""

from __future__ import annotations

from benchmarks.labels import label_lines

STORY = [
    "The council voted on Tuesday to close the old bridge for repairs next spring.",
    "Engineers found cracks in two of its supports during an inspection in May.",
    "The work is expected to take six months and cost about four million pounds.",
]


def labelled(lines: list[str], gold: str) -> list[str]:
    return [line for line, keep in zip(lines, label_lines(lines, gold), strict=False) if keep]


def test_the_story_is_content_and_the_chrome_around_it_is_not():
    lines = ["Home", "News", "Sport", "", *STORY, "", "Most read", "Another story here today", "© 2024 The Paper"]
    assert labelled(lines, "\n\n".join(STORY)) == STORY


def test_white_space_case_and_punctuation_do_not_matter():
    lines = ["  THE COUNCIL voted on Tuesday -- to close the old bridge for repairs, next spring  "]
    assert label_lines(lines, STORY[0]) == [True]


def test_a_renderer_that_glues_two_words_still_matches_the_line():
    glued = "Engineers found cracks in two of itssupports during an inspection in May."
    assert label_lines(["Menu", glued], STORY[1]) == [False, True]


def test_a_paragraph_shown_twice_is_content_once_in_the_gold_order():
    # a teaser of the second paragraph above the story, then the story
    lines = [STORY[1], "Advertisement", *STORY]
    assert label_lines(lines, "\n".join(STORY)) == [False, False, True, True, True]


def test_a_short_line_matches_only_at_the_start_of_a_gold_line():
    # "home" is a word of the gold, but no gold line starts with it: the menu item is not content
    gold = "They went home after the match and celebrated.\n\nResults\n\nThe team won three nil."
    lines = ["Home", "They went home after the match and celebrated.", "Results", "The team won three nil."]
    assert label_lines(lines, gold) == [False, True, True, True]


def test_a_line_mostly_outside_the_gold_is_not_content():
    lines = ["Read more: the council voted on Tuesday and twenty other stories you may like from our site"]
    assert label_lines(lines, STORY[0]) == [False]


def test_an_empty_gold_has_no_content_and_blank_lines_never_are():
    assert label_lines(["Home", "", "Some text here."], "") == [False, False, False]
    assert label_lines(["", *STORY], "\n".join(STORY))[0] is False


def test_lines_out_of_the_gold_order_keep_the_longer_match():
    # the last paragraph printed first (a pull quote) and again in its place
    lines = [STORY[2], STORY[0], STORY[1], STORY[2]]
    assert label_lines(lines, "\n".join(STORY)) == [False, True, True, True]
