"""HTML mode: trafilatura's main text, then the text stages; the fallback; the prune hook."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cleaner import Category, Cleaner, Kind, Strength, Verdict, clean, hookimpl
from cleaner_plugins import html as html_plugin
from cleaner_plugins import mainregion

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


SCRAPS_NOTE = "trafilatura found fewer than 50 words of main text; the page's main region was cleaned as text instead"


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
    assert lines[0] == f"# html: {SCRAPS_NOTE}"


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


def test_a_page_trafilatura_finds_scraps_in_is_cleaned_from_its_main_region(default_cleaner):
    assert html_plugin.main_text(html_plugin_tree(ASIDE_ONLY), None) == "Menu"
    result = default_cleaner.clean(ASIDE_ONLY, kind="html")
    assert result.kind is Kind.TEXT
    assert result.notes == (f"html: {SCRAPS_NOTE}",)
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


# -- the page's main region ------------------------------------------------------------

COURSES = [
    ("Pottery for beginners",
     "Learn to throw a bowl on the wheel in six evening lessons, with clay and firing included in the price."),
    ("Watercolour landscapes",
     "Paint the hills around the valley in spring, with a teacher who shows how to mix greens that look alive."),
    ("Bread and pastry", "Bake a sourdough loaf and a tray of croissants, and take home a starter to keep baking every week."),
    ("First steps in Spanish",
     "Order a meal, ask for the way and talk about your family after ten lessons with a native speaker."),
    ("Woodwork at home", "Build a small shelf with hand tools only, and learn how to sharpen a chisel so that it stays sharp."),
    ("Photography walks",
     "Walk through the old town with a camera and learn how light at dusk changes the colour of the stones."),
]  # fmt: skip
INTRO = [
    "Our evening courses start in September and run for ten weeks, in the school's rooms on the market square.",
    "Every course is taught by someone who does the craft for a living, and most of them need no tools of your own.",
    "Courses cost the same for everyone who lives in the valley, and the school lends what you need to those who ask.",
    "You can sign up at the desk on the ground floor every weekday morning, or by calling the number below.",
]


def listing(og_type: str, rest: str | None = None) -> str:
    """A page of courses: trafilatura takes the introduction (a content block) and leaves
    the list of courses beside it, in the same <main>."""
    if rest is None:
        rest = '<ul class="courses">' + "".join(f"<li><h3>{t}</h3><p>{d}</p></li>" for t, d in COURSES) + "</ul>"
    return f"""<!doctype html><html lang="en"><head><title>Evening courses | Valley Adult School</title>
<meta property="og:type" content="{og_type}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/courses">Courses</a></li><li><a href="/contact">Contact us</a></li></ul></nav>
<main><h1>Evening courses</h1><div class="entry-content">{"".join(f"<p>{p}</p>" for p in INTRO)}</div>{rest}</main>
<footer><p>Valley Adult School, 1 Market Square. All rights reserved.</p></footer></body></html>"""


def test_a_listing_is_cleaned_from_its_main_region_when_the_extractor_keeps_a_part(default_cleaner):
    assert html_plugin.main_text(html_plugin_tree(listing("website")), None).split("\n") == INTRO
    result = default_cleaner.clean(listing("website"), kind="html")
    assert result.kind is Kind.TEXT
    assert result.notes == (
        "html: the page's main region holds more content than trafilatura's main text (87 words); it was cleaned as text instead",
    )
    for line in INTRO + [d for _t, d in COURSES]:
        assert line in result.body
    for chrome in ("Contact us", "All rights reserved"):
        assert chrome not in result.text


def test_a_page_that_declares_itself_an_article_or_a_product_keeps_the_extracted_text(default_cleaner):
    for og_type in ("article", "product"):
        result = default_cleaner.clean(listing(og_type), kind="html")
        assert result.kind is Kind.HTML
        assert result.body.split("\n") == INTRO


def test_unless_its_main_text_is_short_and_the_region_holds_three_times_as_much():
    terms = ("This one runs in the autumn term.", "This one runs again in the spring term.")
    courses = [(f"{t}, {n}", f"{d} {term}") for n, term in enumerate(terms) for t, d in COURSES]
    longer = '<ul class="courses">' + "".join(f"<li><h3>{t}</h3><p>{d}</p></li>" for t, d in courses) + "</ul>"
    # (trafilatura itself takes this whole page: the main text is given here)
    extracted = html_plugin.extraction(html_plugin_tree(listing("article", rest=longer)), "\n".join(INTRO), {})
    assert extracted.text == "" and all(d in extracted.fulltext for _t, d in courses)
    assert html_plugin.extraction(html_plugin_tree(listing("article")), "\n".join(INTRO), {}).text
    # a main text of SHORT_ARTICLE_WORDS words or more is the article, whatever the region holds
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    groups = [(t, f"{d} This group meets on {day}.") for day in days for t, d in COURSES]
    many = '<ul class="courses">' + "".join(f"<li><h3>{t}</h3><p>{d}</p></li>" for t, d in groups) + "</ul>"
    words = html_plugin.SHORT_ARTICLE_WORDS
    assert html_plugin.richer_region(html_plugin_tree(listing("article", rest=many)), words - 1, None)
    assert html_plugin.richer_region(html_plugin_tree(listing("article", rest=many)), words, None) is None


def test_scraps_of_main_text_stand_on_a_short_page_and_chrome_alone_gives_nothing(default_cleaner):
    sentence = "The library is closed today for a staff day; it opens again tomorrow at nine."
    short = (
        "<html><head><title>Closed today</title></head>"
        f"<body><article><h1>Closed today</h1><p>{sentence}</p></article></body></html>"
    )
    result = default_cleaner.clean(short, kind="html")
    assert result.kind is Kind.HTML and result.body == sentence
    # trafilatura takes the banner of a page whose main region is empty: that is no content
    chrome = (
        "<html><head><title>Valley Post</title></head><body><header><p>Welcome to the Valley Post, the news of "
        "the valley since 1921.</p><div role='navigation'>Home | News | Sport</div></header><main></main></body></html>"
    )
    assert html_plugin.main_text(html_plugin_tree(chrome), None).startswith("Welcome to the Valley Post")
    assert default_cleaner.clean(chrome, kind="html").text == ""


def test_the_region_counts_once_cleaned_so_a_list_of_links_does_not_make_it_richer(default_cleaner):
    tags = '<ul class="tags">' + "".join(f'<li><a href="/t/{n}">Crafts topic {n}</a></li>' for n in range(30)) + "</ul>"
    page = listing("website", rest=tags)
    # more words than the main text in the region, but cleaned as text it keeps the introduction only
    region = html_plugin.region_text(html_plugin_tree(page))
    needed = html_plugin.REGION_MIN_GAIN * len(html_plugin._WORD.findall("\n".join(INTRO)))
    assert len(html_plugin._WORD.findall(region)) > needed
    assert html_plugin.content_words(region, None) < needed
    result = default_cleaner.clean(page, kind="html")
    assert result.kind is Kind.HTML and result.body.split("\n") == INTRO


def test_the_main_region_leaves_out_the_sites_chrome():
    page = f"""<html><body><header>Valley Adult School</header><nav>Home | Courses</nav>
<main><h1>Courses</h1><p>{PARAGRAPHS[0]}</p><aside>Sign up for our letter</aside>
<form><p>{PARAGRAPHS[1]}</p><input value="Your e-mail"><button>Send</button><select><option>Any</option></select></form>
<div role="navigation">Previous | Next</div><div aria-hidden="true">Slide 1 of 3</div><div hidden>Loading</div>
<div style="display: none">Out of stock</div><div style="DISPLAY:NONE">Hidden too</div>
<noscript>Turn on JavaScript</noscript><script type="application/ld+json">{{"@type": "WebPage"}}</script></main>
<footer>All rights reserved</footer></body></html>"""
    # <main> is the region: the header, menu and footer around it are out, and so is what
    # stands inside it for the site; a <form> stays (some sites wrap the whole page in one)
    assert html_plugin.region_text(html_plugin_tree(page)) == f"Courses\n\n{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}"
    # without <main>, the body is the region
    body_only = page.replace("<main>", "<div>").replace("</main>", "</div>")
    assert html_plugin.region_text(html_plugin_tree(body_only)) == f"Courses\n\n{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}"


def test_chrome_that_swallowed_the_page_stays():
    # an unclosed <aside> holds the whole page: it is a parse error, not chrome
    page = f"<html><body><aside>Related<div><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div></body></html>"
    assert html_plugin.region_text(html_plugin_tree(page)) == f"Related\n\n{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}"
    tree = html_plugin_tree(page)
    mainregion.strip_site_chrome(tree)
    assert PARAGRAPHS[1] in tree.text_content()


def test_the_region_text_lays_out_blocks_as_a_browser_does():
    tree = html_plugin_tree(
        "<html><body><div>One\n  line</div><div>Two</div><p>A <b>bold</b> word<script>x = 1</script>.</p>"
        "<ul><li><a href='/a'>First</a></li><li><div>Second</div></li></ul><pre>  code\n  more</pre>"
        "<table><tr><th>Size</th><td>Large</td></tr><tr><th>Colour</th><td>Green</td></tr></table>"
        "<h2>End</h2><p>Last<br>line</p></body></html>"
    )
    assert mainregion.text(tree.find("body")) == (
        "One line\nTwo\n\nA bold word.\n\n* First\n* Second\n\ncode\nmore\n\nSize Large\nColour Green\n\nEnd\n\nLast\nline"
    )


def test_menus_asides_and_footers_go_before_trafilatura_but_not_the_json_ld_in_them(default_cleaner):
    ld = '{"@context": "https://schema.org", "@type": "NewsArticle", "author": {"@type": "Person", "name": "Ann Lee"}}'
    page = (
        "<html><head><title>Library opens</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article><aside>Most read today</aside>"
        f'<footer><p>Contact</p><script type="application/ld+json">{ld}</script></footer></body></html>'
    )
    tree = html_plugin_tree(page)
    assert html_plugin.main_text(tree, None).split("\n") == PARAGRAPHS
    assert [e.tag for e in tree.iter("nav", "aside", "footer")] == ["footer"]
    assert default_cleaner.clean(page, kind="html").metadata["author"] == "Ann Lee"


def test_the_declared_type_is_found_wherever_the_parser_put_it():
    # a stray element in the head makes the parser put the rest of the head in the body
    tree = html_plugin_tree(
        '<html><head><title>x</title><div>stray</div><meta property="og:type" content="Article"></head></html>'
    )
    assert tree.find(".//body/meta") is not None
    assert html_plugin.declared_type(tree) == "article"
    assert html_plugin.declared_type(html_plugin_tree("<html><body>x</body></html>")) == ""


# -- the extracted text's end and its copies -------------------------------------------

OTHER_STORIES = ["Council approves the budget for the coming year", "Bridge repairs to start in May at last",
                 "School choir wins the regional final again"]  # fmt: skip
LINKS_PAGE = "<html><body>" + "".join(f'<a href="/{n}">{t}</a>' for n, t in enumerate(OTHER_STORIES)) + "</body></html>"


def test_a_list_of_links_after_the_last_paragraph_is_cut(default_cleaner):
    page = (
        f"<html><head><title>Library opens</title></head><body><article>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}"
        + "".join(f'<p><a href="/{n}">{t}</a></p>' for n, t in enumerate(OTHER_STORIES))
        + "<p>© 2024 The Valley Post</p></article></body></html>"
    )
    assert default_cleaner.clean(page, kind="html").body.split("\n") == PARAGRAPHS
    tree = html_plugin_tree(LINKS_PAGE)
    text = "\n".join([*PARAGRAPHS, *(f"- {t}" for t in OTHER_STORIES), "© 2024 The Valley Post"])
    # the copyright line after the list stays, for the text stages
    assert html_plugin.without_trailing_links(tree, text) == "\n".join([*PARAGRAPHS, "© 2024 The Valley Post"])
    # lines that are not the page's links stay
    others = "\n".join([*PARAGRAPHS, "Monday", "Tuesday", "Wednesday"])
    assert html_plugin.without_trailing_links(tree, others) == others
    # two links are no list
    two = "\n".join([*PARAGRAPHS, *OTHER_STORIES[:2]])
    assert html_plugin.without_trailing_links(tree, two) == two
    # links that outweigh the text above them are the content (a list of stories)
    short = "\n".join(["A short note.", *OTHER_STORIES])
    assert html_plugin.without_trailing_links(tree, short) == short


def test_a_repeated_passage_is_dropped_but_a_repeated_question_is_kept(default_cleaner):
    copy = f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
    # the same passage twice (a page's mobile and desktop versions)
    page = f"<html><head><title>Library</title></head><body><article>{copy}<p>{PARAGRAPHS[2]}</p>{copy}</article></body></html>"
    result = default_cleaner.clean(page, kind="html")
    assert result.body.split("\n") == PARAGRAPHS
    assert {(r.text, r.category) for r in result.removed} == {(p, Category.DUPLICATE) for p in PARAGRAPHS[:2]}
    # the same long question to each guest, each time with another answer
    question = "What did you borrow from the new library first, and what would you like the town to add to it next year?"
    answers = [f"{name}: {p}" for name, p in zip(["Ann", "Bob", "Cy"], PARAGRAPHS, strict=False)]
    page = f"<html><body><article>{''.join(f'<p>{question}</p><p>{a}</p>' for a in answers)}</article></body></html>"
    assert default_cleaner.clean(page, kind="html").text.count(question) == 3


def test_a_page_of_more_text_than_trafilatura_should_copy_is_cleaned_from_its_main_region(monkeypatch):
    cleaner = Cleaner(autoload=False)
    normal = cleaner.clean(PAGE, kind="html")
    assert not any("without trafilatura" in note for note in normal.notes)
    monkeypatch.setattr(html_plugin, "HUGE_PAGE_CHARS", 300)
    result = cleaner.clean(PAGE, kind="html")
    assert any("over 300 characters of text" in note and "without trafilatura" in note for note in result.notes)
    assert all(p in result.body for p in PARAGRAPHS)
    assert "Home" not in result.text.split("\n") and "All rights reserved" not in result.text  # the chrome stays out
    assert result.metadata["author"] == "Jane Smith"


@pytest.mark.parametrize("control", ["\x1f", "\x01", "\x0b"])
def test_control_characters_that_xml_forbids_do_not_break_the_html_plugin(control):
    # found by the fuzz hunt: lxml's parser lets them through, then refuses to set them as text
    cleaner = Cleaner(autoload=False)
    assert cleaner.clean(f"<p><script></script>{control}".encode(), kind="html").text == ""
    page = (
        f"<html><body><nav>Menu</nav>{control} tail<article><p>{PARAGRAPHS[0]}</p><script>1</script>{control}"
        f"<p>{PARAGRAPHS[1]}</p></article></body></html>"
    )
    result = cleaner.clean(page, kind="html")
    assert result.body.split("\n") == PARAGRAPHS[:2] and control not in result.text
