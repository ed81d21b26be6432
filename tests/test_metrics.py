"""Unit tests of benchmarks.metrics against the definitions in shared/bench/README.md."""

from __future__ import annotations

import pytest

from benchmarks.metrics import (
    Corpus,
    ShinglePage,
    bootstrap_std,
    shingle_corpus,
    shingle_page,
    shingles,
    snippet_rate,
    tokenize,
    word_corpus,
    word_page,
    word_tokens,
)

# ----------------------------------------------------------------- tokens and shingles


def test_tokenize_keeps_case_and_splits_on_non_word() -> None:
    tokens = tokenize("Hello, World! it's 3_4 x-y")
    assert tokens == ["Hello", "World", "it", "s", "3_4", "x", "y"]


def test_tokenize_unicode_scripts() -> None:
    assert tokenize("Ünïcödé слово 日本語。テスト") == ["Ünïcödé", "слово", "日本語", "テスト"]


def test_word_tokens_lower_case() -> None:
    assert word_tokens("The CAT, the cat") == ["the", "cat", "the", "cat"]


def test_shingles_of_four_tokens_and_more() -> None:
    sh = shingles("a b c d e".split())
    assert sh == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}


@pytest.mark.parametrize("text", ["a", "a b", "a b c"])
def test_short_text_gives_one_shingle_of_all_tokens(text: str) -> None:
    tokens = text.split()
    assert shingles(tokens) == {tuple(tokens): 1}


def test_no_tokens_no_shingles() -> None:
    assert shingles(tokenize(" ,.; ")) == {}


def test_shingles_are_a_multiset() -> None:
    sh = shingles("a b c d a b c d".split())
    assert sh[("a", "b", "c", "d")] == 2
    assert sum(sh.values()) == 5


# ----------------------------------------------------------------- shingle F1 per page


def test_readme_shingle_example() -> None:
    page = shingle_page("one two three four five six seven", "one two three four five six")
    assert page.tp == pytest.approx(3 / 4)
    assert page.fp == pytest.approx(1 / 4)
    assert page.fn == 0
    assert page.precision == pytest.approx(0.75)
    assert page.recall == 1.0
    assert not page.exact


def test_shingle_perfect_match() -> None:
    page = shingle_page("One two, three four five.", "One two three four five")
    assert (page.precision, page.recall, page.exact) == (1.0, 1.0, True)


def test_shingle_case_matters() -> None:
    page = shingle_page("one two three four", "One two three four")
    assert page.precision == 0 and page.recall == 0


def test_shingle_both_empty_is_perfect() -> None:
    page = shingle_page("", "...")
    assert (page.tp, page.fp, page.fn) == (0, 0, 0)
    assert (page.precision, page.recall) == (1.0, 1.0)
    assert page.exact
    assert not page.has_output and not page.has_gold


def test_shingle_empty_output() -> None:
    page = shingle_page("", "one two three four five")
    assert (page.tp, page.fp, page.fn) == (0, 0, 1)
    assert (page.precision, page.recall) == (0.0, 0.0)
    assert not page.has_output and page.has_gold


def test_shingle_empty_gold() -> None:
    page = shingle_page("one two three four five", "")
    assert (page.precision, page.recall) == (0.0, 0.0)
    assert page.has_output and not page.has_gold


def test_shingle_short_texts_one_shingle_each() -> None:
    # 1-3 tokens: one shingle of all tokens; the same short text matches exactly.
    assert shingle_page("a b", "a b").precision == 1.0
    # different short texts share no shingle, even with tokens in common
    page = shingle_page("a b", "a b c")
    assert (page.precision, page.recall) == (0.0, 0.0)
    # a short output is one shingle that does not occur among the gold's 4-grams
    page = shingle_page("a b c", "a b c d e")
    assert page.tp == 0 and page.fp == pytest.approx(1 / 3) and page.fn == pytest.approx(2 / 3)


def test_shingle_multiset_counting() -> None:
    # gold has the shingle once, output twice: one match, one false positive
    gold = "a b c d"
    out = "a b c d x a b c d"
    page = shingle_page(out, gold)
    # output shingles: abcd, bcdx, cdxa, dxab, xabc, abcd -> 6, one shared
    assert page.precision == pytest.approx(1 / 6)
    assert page.recall == 1.0
    # gold has it twice, output once: the output's one shingle matches, recall 1/6
    page = shingle_page(gold, out)
    assert page.precision == 1.0
    assert page.recall == pytest.approx(1 / 6)


def test_shingle_normalized_counts_sum_to_one() -> None:
    page = shingle_page("a b c d e f g", "c d e f g h i j")
    assert page.tp + page.fp + page.fn == pytest.approx(1.0)


# ----------------------------------------------------------------- shingle F1 corpus


def test_shingle_corpus_precision_excludes_empty_outputs() -> None:
    full = shingle_page("one two three four five", "one two three four five")
    empty = shingle_page("", "one two three four five")
    corpus = shingle_corpus([full, empty])
    assert corpus.precision == 1.0  # the empty output is not in the precision mean
    assert corpus.recall == 0.5  # but its recall of 0 counts
    assert corpus.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert corpus.accuracy == 0.5


def test_shingle_corpus_recall_excludes_empty_gold() -> None:
    full = shingle_page("one two three four five", "one two three four five")
    extra = shingle_page("one two three four five", "")
    corpus = shingle_corpus([full, extra])
    assert corpus.precision == 0.5
    assert corpus.recall == 1.0


def test_shingle_corpus_f1_is_not_mean_of_page_f1() -> None:
    a = shingle_page("one two three four five six seven", "one two three four five six")
    b = shingle_page("one two three four", "one two three four five six seven")
    corpus = shingle_corpus([a, b])
    p = (0.75 + 1.0) / 2
    r = (1.0 + 0.25) / 2
    assert corpus.precision == pytest.approx(p)
    assert corpus.recall == pytest.approx(r)
    assert corpus.f1 == pytest.approx(2 * p * r / (p + r))
    assert corpus.f1 != pytest.approx((a.f1 + b.f1) / 2)


def test_shingle_corpus_all_empty() -> None:
    corpus = shingle_corpus([shingle_page("", "one two three four")])
    assert (corpus.precision, corpus.recall, corpus.f1) == (0.0, 0.0, 0.0)


# ----------------------------------------------------------------- word F1


def test_readme_word_example() -> None:
    page = word_page("The cat sat on mats", "the cat sat down")
    assert page.precision == pytest.approx(3 / 5)
    assert page.recall == pytest.approx(3 / 4)
    assert page.f1 == pytest.approx(0.667, abs=5e-4)


def test_word_is_bag_of_words() -> None:
    page = word_page("down sat cat the", "the cat sat down")
    assert (page.precision, page.recall, page.f1) == (1.0, 1.0, 1.0)


def test_word_multiset_counting() -> None:
    page = word_page("the the the cat", "the cat")
    assert page.precision == pytest.approx(2 / 4)
    assert page.recall == 1.0
    page = word_page("the cat", "the the the cat")
    assert page.precision == 1.0
    assert page.recall == pytest.approx(2 / 4)


def test_word_empty_conventions() -> None:
    assert word_page("", "").f1 == 1.0
    assert word_page(" -- ", "!!").precision == 1.0
    assert (word_page("text", "").precision, word_page("text", "").f1) == (0.0, 0.0)
    empty_out = word_page("", "some gold")
    assert (empty_out.precision, empty_out.recall, empty_out.f1) == (0.0, 0.0, 0.0)


def test_word_no_overlap_f1_zero() -> None:
    assert word_page("alpha", "beta").f1 == 0.0


def test_word_corpus_includes_empty_outputs_in_precision() -> None:
    full = word_page("the cat sat", "the cat sat")
    empty = word_page("", "the cat sat")
    corpus = word_corpus([full, empty])
    assert corpus.precision == 0.5  # unlike the shingle metric
    assert corpus.recall == 0.5
    assert corpus.f1 == 0.5
    assert corpus.accuracy is None


def test_word_corpus_f1_is_mean_of_page_f1() -> None:
    a = word_page("The cat sat on mats", "the cat sat down")
    b = word_page("one", "one two")
    corpus = word_corpus([a, b])
    assert corpus.f1 == pytest.approx((a.f1 + b.f1) / 2)
    assert corpus.precision == pytest.approx((0.6 + 1.0) / 2)
    assert corpus.recall == pytest.approx((0.75 + 0.5) / 2)


def test_metrics_differ_on_same_pages() -> None:
    outputs = [("one two three four five", "one two three four five"), ("", "one two three four five")]
    sh = shingle_corpus([shingle_page(o, g) for o, g in outputs])
    wd = word_corpus([word_page(o, g) for o, g in outputs])
    assert sh.precision == 1.0 and wd.precision == 0.5


# ----------------------------------------------------------------- snippets


def test_snippet_rate_case_insensitive_substring() -> None:
    out = "Hello World, this is the Main Content of the page."
    assert snippet_rate(out, ["main content", "HELLO WORLD", "absent text"]) == pytest.approx(2 / 3)


def test_snippet_rate_no_snippets_scores_one() -> None:
    assert snippet_rate("anything", []) == 1.0
    assert snippet_rate("", []) == 1.0


def test_snippet_rate_empty_output() -> None:
    assert snippet_rate("", ["a b c"]) == 0.0


# ----------------------------------------------------------------- bootstrap


def test_bootstrap_is_reproducible_and_positive() -> None:
    pages = [word_page(o, "a b c d") for o in ["a b c d", "a", "", "a b x y", "d c"]]
    s1 = bootstrap_std(pages, word_corpus, samples=200, seed=7)
    s2 = bootstrap_std(pages, word_corpus, samples=200, seed=7)
    assert s1 == s2
    assert s1.f1 > 0 and s1.precision > 0 and s1.recall > 0
    assert s1.accuracy is None


def test_bootstrap_constant_pages_zero_std() -> None:
    pages: list[ShinglePage] = [shingle_page("a b c d e", "a b c d e")] * 10
    std = bootstrap_std(pages, shingle_corpus, samples=50)
    assert std == Corpus(0.0, 0.0, 0.0, 0.0, 10)


def test_bootstrap_empty() -> None:
    assert bootstrap_std([], word_corpus).f1 == 0.0
