"""Site templates (cleaner.templates, the templates plugin): learned from a site's pages."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from cleaner import Cleaner, ConfigError
from cleaner.templates import MAX_LINES, MIN_SITE_PAGES, TemplateLearner, Templates, learn, line_keys, site_of

MENU = ["Home", "World", "Business", "Sport", "Culture", "Opinion"]
FOOTER = ["About us", "Contact the newsroom", "Privacy notice", "© 2024 The Daily Example"]
WORDS = "river stone market winter harbour lantern orchard signal meadow copper valley engine".split()


def article(n: int) -> list[str]:
    """A made-up article of its own: a headline and three paragraphs no other page has."""
    rng = random.Random(n)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(9, 14))]
        return " ".join(words).capitalize() + f" in year {1900 + n}."

    return [f"Story number {n} about the {WORDS[n % len(WORDS)]}"] + [" ".join(sentence() for _ in range(3)) for _ in range(3)]


# Prose the site prints on every page: the rules cannot tell it from the article's own.
TAGLINE = "The Daily Example has covered the valley and its towns since the spring of 1921."
PROMO = "Readers like you keep our newsroom going, and every new subscription helps us report."


def page(n: int) -> str:
    headline, *paragraphs = article(n)
    return "\n".join([*MENU, "", headline, TAGLINE, "", *paragraphs, "", PROMO, "", *FOOTER]) + "\n"


def site_pages(count: int, host: str = "news.example") -> list[tuple[str, str]]:
    return [(page(n), f"https://www.{host}/story/{n}") for n in range(count)]


# -- keys and sites ------------------------------------------------------------------


def test_line_keys_fold_case_space_digits_and_invisible_characters():
    a, b, c, d, blank = line_keys(["© 2024 Example", "  © 2025\u00a0\u00a0EXAMPLE ", "©\u200b 7 example", "© Example", " "])
    assert a == b == c
    assert d != a
    assert blank == 0
    assert all(k > 0 for k in (a, d))


def test_line_keys_are_the_same_for_a_raw_line_and_its_block():
    raw = "\tMost\u00a0 read\u00ad today "
    [block] = Cleaner().clean(raw, kind="text").decisions
    assert line_keys([raw]) == line_keys([block.block.text])


@pytest.mark.parametrize(
    ("url", "filename", "site"),
    [
        ("https://www.Example.com/a/b", None, "example.com"),
        ("https://news.example.com/", "x/y.txt", "news.example.com"),
        (None, "crawl/site-a/page1.txt", "folder:crawl/site-a"),
        (None, "page.txt", "folder:."),
        (None, None, None),
        ("not a url", None, None),
    ],
)
def test_site_of(url, filename, site):
    assert site_of(url, filename) == site


# -- the learner ---------------------------------------------------------------------


def _learner(pages, sample=256):
    learner = TemplateLearner(sample)
    for content, url in pages:
        learner.add_lines(site_of(url), content.splitlines())
    return learner


def test_learner_counts_the_pages_holding_each_line():
    t = _learner(site_pages(6)).templates().site("news.example")
    assert t is not None and t.pages == 6
    assert t.pages_with(["Home", "Privacy notice", "© 2031 the daily example", article(1)[1], "never seen"]) == [6, 6, 6, 0, 0]


def test_the_learned_templates_do_not_depend_on_page_order_or_partitions():
    pages = site_pages(30) + site_pages(9, "other.example")
    whole = _learner(pages, sample=8).templates()
    shuffled = pages[:]
    random.Random(1).shuffle(shuffled)
    parts = [_learner(shuffled[i::3], sample=8) for i in range(3)]
    merged = parts[0].merge(parts[1]).merge(parts[2]).templates()
    assert merged == whole
    assert whole.site("news.example").pages == 8  # the bottom-k sample bounds a site
    assert whole.site("other.example").pages == 8


def test_identical_pages_count_once_and_single_pages_give_no_site():
    content, url = site_pages(1)[0]
    learner = _learner([(content, url)] * 5 + site_pages(1, "alone.example"))
    assert len(learner.templates()) == 0


def test_a_site_keeps_at_most_max_lines():
    # letters, not digits: runs of digits fold to one
    lines = [f"line {chr(65 + i % 26)}{chr(65 + i // 26 % 26)}{chr(65 + i // 676)}" for i in range(MAX_LINES + 50)]
    pages = [("\n".join([f"page {chr(65 + n)}", *lines]), f"https://a.example/{n}") for n in range(2)]
    t = _learner(pages).templates(min_pages=2).site("a.example")
    assert t is not None and len(t) == len(t.counts) == MAX_LINES
    assert set(t.counts.values()) == {2}


# -- the file ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["t.json", "t.json.gz"])
def test_templates_file_round_trip(tmp_path, name):
    templates = _learner(site_pages(6)).templates()
    templates.save(tmp_path / name)
    assert Templates.load(tmp_path / name) == templates
    raw = (tmp_path / name).read_bytes()
    content = json.loads(gzip.decompress(raw) if name.endswith(".gz") else raw)
    assert content["format"] == "cleaner-templates" and content["version"] == 1
    assert "Home" not in json.dumps(content)  # hashed lines, no text of the pages


def _file(sites, version=1) -> str:
    return json.dumps({"format": "cleaner-templates", "version": version, "sites": sites})


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("[]", "no 'format'"),
        (_file({}, version=99), "version 99"),
        (_file([]), "'sites' is not an object"),
        (_file({"a": {"pages": 0, "lines": []}}), "site 'a'"),
        (_file({"a": {"pages": 2, "lines": [["00ff", 1]]}}), "16 hex"),
        (_file({"a": {"pages": 2, "lines": [["000000000000000z", 1]]}}), "hexadecimal"),
        (_file({"a": {"pages": 2, "lines": [["0000000000000001", 3]]}}), "1 to 2"),
        (_file({"a": {"pages": 2, "lines": [["0000000000000001"]]}}), "not [key, count]"),
        ("{not json", "is not a templates file"),
    ],
)
def test_a_bad_templates_file_is_one_clear_error(tmp_path, content, says):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match="bad.json") as info:
        Cleaner(templates=path)
    assert says in str(info.value)
    assert "\n" not in str(info.value)


def test_a_missing_templates_file_is_one_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the templates file"):
        Cleaner(templates=tmp_path / "none.json")


# -- cleaning with templates ---------------------------------------------------------


def test_a_site_template_drops_the_site_lines_and_keeps_each_article():
    pages = site_pages(6)
    with Cleaner(templates=learn(pages)) as cleaner:
        for n, (content, url) in enumerate(pages):
            result = cleaner.clean(content, url=url)
            kept = result.text.splitlines()
            for line in article(n)[1:]:
                assert line in kept
            for line in [*MENU, TAGLINE, PROMO, *FOOTER]:
                assert line not in kept
            reasons = {r.text: (r.category.value, r.reason, r.plugin) for r in result.removed}
            assert reasons["Home"] == ("nav", "on 6 of 6 pages of this site", "templates")
            assert reasons[TAGLINE] == ("nav", "on 6 of 6 pages of this site", "templates")
            assert reasons[PROMO][0] == reasons["Privacy notice"][0] == "footer"


def test_the_template_tells_the_site_prose_from_the_article():
    pages = site_pages(6)
    content, url = pages[0]
    plain = Cleaner().clean(content, url=url).text.splitlines()
    learned = Cleaner(templates=learn(pages)).clean(content, url=url).text.splitlines()
    assert TAGLINE in plain and PROMO in plain  # the rules alone keep them
    assert set(learned) - {""} == set(plain) - {TAGLINE, PROMO, ""}


def test_a_site_with_too_few_pages_changes_nothing():
    pages = site_pages(MIN_SITE_PAGES - 1)
    learner = _learner(pages)
    assert learner.templates().site("news.example") is None  # too few pages: no template
    templates = learner.templates(min_pages=2)  # and if one is given all the same, the plugin does nothing
    assert templates.site("news.example") is not None
    with Cleaner() as plain, Cleaner(templates=templates) as learned:
        for content, url in pages:
            assert learned.clean(content, url=url).text == plain.clean(content, url=url).text


def test_a_page_of_another_site_changes_nothing():
    templates = learn(site_pages(6))
    content, _ = site_pages(1)[0]
    url = "https://elsewhere.example/x"
    assert Cleaner(templates=templates).clean(content, url=url).text == Cleaner().clean(content, url=url).text


def test_cleaning_the_output_again_with_templates_changes_nothing():
    pages = site_pages(6)
    cleaner = Cleaner(templates=learn(pages))
    for content, url in pages:
        once = cleaner.clean(content, url=url).text
        assert cleaner.clean(once, url=url).text == once


def test_templates_need_the_plugin():
    pages = site_pages(6)
    content, url = pages[0]
    off = Cleaner(templates=learn(pages), disable=["templates"]).clean(content, url=url).text
    assert off == Cleaner().clean(content, url=url).text


def test_template_lines_of_an_html_page_are_its_blocks():
    html = "<html><head><title>t</title><script>var x;</script></head><body><nav><a>Home</a> <a>World</a></nav>"
    html += "<p>First <b>para</b>graph.</p><ul><li>one</li><li>two</li></ul><footer>© 2024 X</footer></body></html>"
    site, lines = Cleaner().template_lines(html, url="https://x.example/a")
    assert site == "x.example"
    assert lines == ["Home World", "First paragraph.", "one", "two", "© 2024 X"]


def test_template_lines_without_a_site_are_none():
    assert Cleaner().template_lines("Home\nWorld") == (None, [])


def test_templates_work_with_the_learned_judge():
    pages = site_pages(6)
    content, url = pages[0]
    with Cleaner(templates=learn(pages), enable=["judge"]) as cleaner:
        result = cleaner.clean(content, url=url)
    assert TAGLINE not in result.text and PROMO not in result.text
    assert article(0)[2] in result.text
    assert "on 6 of 6 pages of this site" in {r.text: r.reason for r in result.removed}[TAGLINE]
