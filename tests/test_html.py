"""HTML mode: trafilatura's main text, then the text stages; the fallback; the prune hook."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cleaner import Category, Cleaner, Kind, Strength, Verdict, clean, hookimpl
from cleaner_plugins import html as html_plugin

PARAGRAPHS = [
    "The town opened its new library on Tuesday, after two years of building work that was "
    "slowed by the rising cost of materials and a wet winter.",
    "The mayor said the library would stay open until nine in the evening on weekdays, so that "
    "people who work during the day can borrow books and use the computers.",
    "Local schools will bring their pupils for weekly reading hours, and a room on the first "
    "floor will host evening classes for adults who want to learn a trade.",
]
RELATED = ["Council approves the budget for the coming year", "Bridge repairs to start in May",
           "School choir wins the regional final"]  # fmt: skip

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Town opens its new library | The Valley Post</title>
<meta property="og:title" content="Town opens its new library">
<meta name="author" content="Jane Smith">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<meta property="og:site_name" content="The Valley Post">
</head>
<body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main>
<article>
<h1>Town opens its new library</h1>
<p>{PARAGRAPHS[0]}</p>
<p>Advertisement</p>
<p>{PARAGRAPHS[1]}</p>
<p>Share this article</p>
<p>Read more: <a href="/d">Library cards to be free for children</a></p>
<p>{PARAGRAPHS[2]}</p>
<div class="promo"><p>Our weekly quiz is back: test what you know about the valley.</p></div>
</article>
<aside class="related"><h2>Related stories</h2><ul>
{"".join(f'<li><a href="/{i}">{t}</a></li>' for i, t in enumerate(RELATED))}
</ul></aside>
</main>
<footer><p>&copy; 2024 The Valley Post. All rights reserved.</p></footer>
</body>
</html>
"""

# trafilatura drops what it finds in an <aside>: here that is the whole article, and all
# it finds is the menu.
ASIDE_ONLY = f"""<html><head><title>Notes</title></head><body>
<div class="top">Menu</div>
<aside><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></aside>
</body></html>"""


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *map(str, args)],
        input=stdin, capture_output=True, env={**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )  # fmt: skip


@pytest.fixture()
def page_file(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def _check_article(text: str) -> None:
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    for boilerplate in ["Home", "Advertisement", "Share this article", "Read more", "All rights reserved", *RELATED]:
        assert boilerplate not in text, boilerplate


# -- the ways in ---------------------------------------------------------------------


def test_the_library_cleans_html_to_headline_and_article(default_cleaner):
    result = default_cleaner.clean(PAGE, kind="html")
    assert result.kind is Kind.HTML
    assert result.title == "Town opens its new library"
    assert result.text.startswith("Town opens its new library\n\n")
    assert result.body.startswith(PARAGRAPHS[0])  # the headline is not in the body
    _check_article(result.body)
    removed = {r.text: (r.category, r.plugin) for r in result.removed}
    assert removed["Advertisement"] == (Category.AD, "ad")
    assert removed["Share this article"] == (Category.SOCIAL, "social")
    assert removed["Read more: Library cards to be free for children"][0] is Category.RELATED


def test_metadata_comes_from_the_page_head(default_cleaner):
    metadata = default_cleaner.clean(PAGE, kind="html").metadata
    assert metadata["title"] == "Town opens its new library"
    assert metadata["author"] == "Jane Smith"
    assert metadata["date"] == "2024-03-05"
    assert metadata["sitename"] == "The Valley Post"
    assert metadata["language"] == "en"


def test_the_module_level_clean_takes_kind_html():
    result = clean(PAGE, kind="html")
    assert result.kind is Kind.HTML
    _check_article(result.body)


def test_html_is_sniffed_from_markup_or_from_the_file_name(default_cleaner, page_file):
    assert default_cleaner.clean(PAGE).kind is Kind.HTML
    assert default_cleaner.clean(PAGE.encode("utf-8")).kind is Kind.HTML
    # a fragment without <html> at the start is HTML by its name only
    fragment = f"<p>{PARAGRAPHS[0]}</p>\n<p>{PARAGRAPHS[1]}</p>"
    assert default_cleaner.clean(fragment).kind is Kind.TEXT
    assert default_cleaner.clean(fragment, filename="story.htm").kind is Kind.HTML
    assert default_cleaner.clean("\n\n".join(PARAGRAPHS)).kind is Kind.TEXT


def test_cli_cleans_an_html_file(page_file):
    p = run(page_file)
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode()
    assert out.startswith("Town opens its new library\n\n")
    _check_article(out)


def test_cli_reads_html_from_stdin_with_kind_html():
    p = run("--kind", "html", "-", stdin=PAGE.encode("utf-8"))
    assert p.returncode == 0, p.stderr
    _check_article(p.stdout.decode())
    # without --kind, stdin is sniffed
    assert run("-", stdin=PAGE.encode("utf-8")).stdout == p.stdout


def test_cli_explain_says_which_path_was_taken(page_file, tmp_path):
    lines = run("--explain", page_file).stdout.decode().splitlines()
    assert lines[0] == "# html: main text extracted by 'html', then cleaned"
    assert any("[ad] Advertisement" in line and "(ad)" in line for line in lines)
    assert any(" T Town opens its new library" in line for line in lines)
    fallback = tmp_path / "notes.html"
    fallback.write_text(ASIDE_ONLY, encoding="utf-8")
    lines = run("--explain", fallback).stdout.decode().splitlines()
    assert lines[0] == "# html: 'html' found no main text; the page's full text was cleaned as text instead"


def test_cli_json_output(page_file):
    p = run("--format", "json", page_file)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["kind"] == "html"
    assert data["title"] == "Town opens its new library"
    assert data["metadata"]["author"] == "Jane Smith"
    assert data["notes"] == ["html: main text extracted by 'html', then cleaned"]
    assert {"text": "Advertisement", "category": "ad", "plugin": "ad"}.items() <= next(
        r for r in data["removed"] if r["text"] == "Advertisement"
    ).items()
    _check_article(data["body"])


# -- the fallback --------------------------------------------------------------------


def test_a_page_trafilatura_finds_nothing_in_is_cleaned_from_its_full_text(default_cleaner):
    assert html_plugin.main_text(html_plugin_tree(ASIDE_ONLY), None) == "Menu"
    result = default_cleaner.clean(ASIDE_ONLY, kind="html")
    assert result.kind is Kind.TEXT
    assert result.notes == ("html: 'html' found no main text; the page's full text was cleaned as text instead",)
    for paragraph in PARAGRAPHS[:2]:
        assert paragraph in result.text
    assert "Menu" not in result.text.splitlines()
    assert result.metadata["title"] == "Notes"


def test_html_without_any_text_gives_an_empty_result(default_cleaner):
    result = default_cleaner.clean("<html><body><div></div></body></html>", kind="html")
    assert result.text == "" and result.kind is Kind.TEXT
    assert result.notes == ("html: 'html' found no text at all",)
    assert default_cleaner.clean("   ", kind="html").text == ""


def html_plugin_tree(html: str):
    import lxml.html

    return lxml.html.document_fromstring(html)


# -- hooks: pruning before extraction, judging after it --------------------------------


class PromoPruner:
    """A site plugin that removes its promo boxes by CSS selector before extraction."""

    name = "promo-pruner"

    def __init__(self):
        self.seen = []

    @hookimpl
    def cleaner_prune_html(self, tree, url, site):
        self.seen.append((url, site))
        for elem in tree.cssselect("div.promo"):
            elem.drop_tree()


def test_a_prune_hook_removes_an_element_before_extraction():
    promo = "Our weekly quiz is back"
    assert promo in Cleaner(autoload=False).clean(PAGE, kind="html").text
    pruner = PromoPruner()
    result = Cleaner(autoload=False, plugins=[pruner]).clean(PAGE, kind="html", url="https://valley.example/a")
    assert promo not in result.text
    _check_article(result.body)
    assert pruner.seen == [("https://valley.example/a", None)]


class Judge:
    """Drops the second paragraph with a verdict of the given strength, on any page."""

    def __init__(self, strength):
        self.name, self.strength = f"judge-{strength.name.lower()}", strength

    @hookimpl
    def cleaner_judge(self, doc):
        return [Verdict.drop(b.index, Category.NAV, "the judge says so", self.strength)
                for b in doc.blocks if b.text == PARAGRAPHS[1]]  # fmt: skip


def test_on_extracted_text_a_hint_does_not_drop_a_line_and_a_rule_does():
    hint = Cleaner(autoload=False, plugins=[Judge(Strength.HINT)])
    assert PARAGRAPHS[1] in hint.clean(PAGE, kind="html").body
    # the same hint on the page's text (text mode) drops it
    assert PARAGRAPHS[1] not in hint.clean("\n\n".join(PARAGRAPHS), kind="text").body
    rule = Cleaner(autoload=False, plugins=[Judge(Strength.RULE)])
    assert PARAGRAPHS[1] not in rule.clean(PAGE, kind="html").body


def test_above_the_first_paragraph_the_hints_stand(default_cleaner):
    page = (
        "<html><head><title>Library opens</title></head><body><article><h1>Library opens</h1>"
        "<p>By Jane Smith | Updated: 05-03-2024 10:30</p>"
        f"<p>{PARAGRAPHS[0]}</p><p>Home | News | Sport | Weather</p><p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>"
        "</article></body></html>"
    )
    result = default_cleaner.clean(page, kind="html")
    assert [(r.text, r.category) for r in result.removed] == [("By Jane Smith | Updated: 05-03-2024 10:30", Category.BYLINE)]
    assert result.metadata["author"] == "Jane Smith"
    # inside the article a menu-like line is only a hint, and the extractor's choice wins
    assert "Home | News | Sport | Weather" in result.body


def test_without_the_html_plugin_html_cannot_be_cleaned():
    from cleaner import ConfigError

    with pytest.raises(ConfigError, match="no plugin extracts HTML"):
        Cleaner(autoload=False, disable=["html"]).clean(PAGE, kind="html")


# -- the parts of the html plugin ------------------------------------------------------


def test_an_article_body_split_around_an_ad_is_taken_whole(default_cleaner):
    first = [f"First part, paragraph {n}: " + PARAGRAPHS[n] for n in range(3)]
    second = [f"Second part, paragraph {n}: " + PARAGRAPHS[n] for n in range(3)]
    page = (
        "<html><head><title>Split story</title></head><body><main>"
        f'<div class="grid"><div class="article-body">{"".join(f"<p>{p}</p>" for p in first)}</div></div>'
        '<div class="ad-row"><span>Advertisement</span></div>'
        f'<div class="grid"><div class="article-body">{"".join(f"<p>{p}</p>" for p in second)}'
        '<ul><li><a href="/x">Another story entirely</a></li><li>A list item of the story</li></ul></div></div>'
        "</main></body></html>"
    )
    tree = html_plugin_tree(page)
    extracted = html_plugin.main_text(tree, None)
    assert extracted.split("\n") == first  # trafilatura stops after the first part
    # the link-only list item is left out
    assert html_plugin.split_body_rest(tree, extracted) == [*second, "- A list item of the story"]
    body = default_cleaner.clean(page, kind="html").body
    assert [line for line in body.split("\n") if line] == [*first, *second, "- A list item of the story"]


def test_split_parts_of_comments_are_not_added():
    comments = "".join(f'<div class="comment-body"><p>{p}</p><p>{p}</p></div>' for p in PARAGRAPHS)
    tree = html_plugin_tree(f"<html><body>{comments}</body></html>")
    assert html_plugin.split_body_rest(tree, PARAGRAPHS[0]) == []


@pytest.mark.parametrize(
    ("lines", "title", "expected"),
    [
        (["Town opens its new library", "Body."], "Town opens its new library", 0),
        (["News", "Town opens its new library", "Body."], "Town opens its new library | The Valley Post", 1),
        (["Body of the story, in one sentence.", "More."], "Town opens its new library", None),
        (["a", "b", "c", "d", "e", "Town opens its new library"], "Town opens its new library", None),
    ],
)
def test_headline_index(lines, title, expected):
    assert html_plugin.headline_index(lines, title) == expected


def test_the_headline_is_put_first_only_when_the_text_lacks_it():
    assert html_plugin.with_headline("Body.\nMore.", "A title") == "A title\n\nBody.\nMore."
    assert html_plugin.with_headline("A title\nBody.", "A title") == "A title\nBody."
    assert html_plugin.with_headline("Body.", None) == "Body."


def test_page_language_from_the_html_tag_or_a_meta_tag():
    assert html_plugin.page_language(html_plugin_tree('<html lang="pt-BR"><body>x</body></html>')) == "pt-BR"
    tree = html_plugin_tree('<html><head><meta http-equiv="Content-Language" content="de, en"></head><body>x</body></html>')
    assert html_plugin.page_language(tree) == "de"
    assert html_plugin.page_language(html_plugin_tree("<html><body>x</body></html>")) is None
    assert html_plugin.page_language(html_plugin_tree('<html xml:lang="fr"><body>x</body></html>')) == "fr"


def test_xhtml_with_an_xml_declaration_is_extracted(default_cleaner):
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">'
        f"<head><title>Library opens</title></head><body>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</body></html>"
    )
    result = default_cleaner.clean(page.encode("utf-8"))
    assert result.kind is Kind.HTML and result.metadata["language"] == "en"
    assert result.body.split("\n") == PARAGRAPHS
