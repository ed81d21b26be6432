"""Result.markdown and clean --format markdown: the structure of HTML pages (headings,
lists, tables, quotes, code; links and images when asked), the paragraphs and bullets of
text pages, and the same words as Result.text."""

from __future__ import annotations

import gzip
import json
import pathlib
import re
import warnings

import pytest
from test_cli import run

from cleaner import Cleaner, Extraction, PluginError, Role, Structure, hookimpl
from cleaner.markdown import cells, escape_start

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
_LINK = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\((?:<[^>]*>|[^)\s]*)\)|\[((?:\\.|[^\]\\])*)\]\((?:<[^>]*>|[^)\s]*)\)")


def strip_markdown(md: str) -> str:
    """The text of a Markdown page: block markers, table rules, fences, links' targets,
    images and escapes taken out."""
    out = []
    for line in md.split("\n"):
        line = re.sub(r"^\s*(#{1,6} |> ?|(?:\d+\.|-) )", "", line)
        if re.fullmatch(r"\|( --- \|)+|`{3,}", line.strip()):
            continue
        line = _LINK.sub(lambda m: "" if m.group(0).startswith("!") else m.group(2), line)
        out.append(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line))
    return "\n".join(out)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def bench_page(path: str) -> str:
    page = BENCH / path
    if not page.exists():
        pytest.skip(f"the development bench is not beside the repository ({page})")
    return gzip.decompress(page.read_bytes()).decode("utf-8")


# -- text pages ---------------------------------------------------------------------------

TEXT_PAGE = """\
Storm closes the coast road

The coast road was closed on Monday after the storm washed part of it into the sea.

What drivers should know:
• the road stays closed until Friday
– buses take the inland route
* trains run as usual

# of cars turned back: 300, said the police.
1. This line is no list item, but a sentence that starts with a number and a dot.
> not a quote either
"""


def test_a_text_page_gives_paragraphs_bullets_and_its_headline_as_a_title(default_cleaner):
    result = default_cleaner.clean(TEXT_PAGE, kind="text")
    md = result.markdown
    assert md.startswith(f"# {result.title}\n\n")
    assert "- the road stays closed until Friday\n- buses take the inland route\n- trains run as usual" in md
    assert "\\# of cars turned back" in md  # not a heading
    assert "1\\. This line is no list item" in md  # not an ordered list
    assert "\\> not a quote either" in md
    # blocks are blank-line separated, as Result.text's paragraphs
    assert "\n\nThe coast road was closed on Monday" in md
    assert words(strip_markdown(md)) == words(result.text)


def test_text_pages_have_no_roles_and_their_blocks_are_as_before(default_cleaner):
    result = default_cleaner.clean(TEXT_PAGE, kind="text")
    assert all(d.block.role is None for d in result.decisions)


def test_escaping_at_the_start_of_a_line():
    assert escape_start("- no item") == "\\- no item"
    assert escape_start("12) no item") == "12\\) no item"
    assert escape_start("2024 was a year") == "2024 was a year"
    assert escape_start("plain") == "plain"
    assert cells("| a | b \\| c |  |") == ["a", "b \\| c", ""]


# -- HTML pages ---------------------------------------------------------------------------

ARTICLE = """<!doctype html><html lang="en"><head><title>How the valley keeps its water</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><article>
<h1>How the valley keeps its water</h1>
<p>The valley has kept its water for three centuries with a system of small canals, and the farmers who
share them meet every spring to decide who opens which gate, and for how long.</p>
<h2>The canals</h2>
<p>Each canal is dug by hand and lined with stones from the river, so that the water runs slowly and
<a href="/history">sinks into the fields</a> along the way instead of running off to the sea.</p>
<figure><img src="/img/canal.jpg" alt="A canal in spring" width="800"></figure>
<p>Most of the canals are older than the villages around them, and several are older than the church,
which was built in the sixteenth century on the site of an older chapel.</p>
<h3>Who opens the gates</h3>
<ol><li>The eldest farmer opens the first gate at dawn.</li><li>The others follow in the order of the
fields, from the highest to the lowest.</li></ol>
<ul><li>Gates stay open for an hour.<ul><li>Two in a dry year.</li></ul></li><li>Nobody opens a gate at night.</li></ul>
<table><tr><th>Canal</th><th>Length | km</th><th>Gates</th></tr><tr><td>North</td><td>12</td><td>7</td></tr>
<tr><td>South</td><td>9</td></tr></table>
<blockquote><p>The water belongs to the valley, not to the farmer who owns the field.</p></blockquote>
<pre><code>gate = open(first)
wait(hours=1)</code></pre>
<p>Advertisement</p>
<p>The system has survived droughts, floods and two wars, and the farmers say it will survive the next
century too, as long as they keep meeting every spring to share out the water.</p>
</article></main><footer>Copyright 2025 Valley News</footer></body></html>"""


def test_an_html_page_gives_its_structure_as_markdown(default_cleaner):
    result = default_cleaner.clean(ARTICLE, kind="html", url="https://valley.example/water")
    md = result.markdown
    assert md.startswith("# How the valley keeps its water\n\n")
    assert "\n## The canals\n" in md and "\n### Who opens the gates\n" in md
    assert "1. The eldest farmer opens the first gate at dawn.\n2. The others follow" in md
    assert "- Gates stay open for an hour.\n    - Two in a dry year.\n- Nobody opens a gate at night." in md
    table = "| Canal | Length \\| km | Gates |\n| --- | --- | --- |\n| North | 12 | 7 |\n| South | 9 |  |"
    assert table in md  # a header row, the rule, | escaped, the short row padded
    assert "> The water belongs to the valley" in md
    assert re.search(r"```\ngate = open\(first\)\nwait\(hours=1\)\n```", md)
    # what the engine dropped is in neither the text nor the Markdown; no links, no images unasked
    assert "Advertisement" not in result.text and "Advertisement" not in md
    assert any(r.text == "Advertisement" for r in result.removed)
    assert "Home" not in md and "](" not in md
    assert words(strip_markdown(md)) == words(result.text)


def test_links_and_images_only_when_asked():
    url = "https://valley.example/water"
    asked = Cleaner(autoload=False, links=True, images=True).clean(ARTICLE, kind="html", url=url)
    md = asked.markdown
    assert "slowly and [sinks into the fields](https://valley.example/history) along the way" in md
    assert "![A canal in spring](https://valley.example/img/canal.jpg)\n\nMost of the canals" in md
    assert asked.text == Cleaner(autoload=False).clean(ARTICLE, kind="html", url=url).text  # the same text
    assert words(strip_markdown(md)) == words(asked.text)
    links_only = Cleaner(autoload=False, links=True).clean(ARTICLE, kind="html", url=url).markdown
    assert "[sinks into the fields](" in links_only and "![" not in links_only


def test_clean_takes_the_same_options():
    from cleaner import clean

    assert "[sinks into the fields](" in clean(ARTICLE, kind="html", links=True).markdown
    assert "](" not in clean(ARTICLE, kind="html").markdown


@pytest.mark.parametrize(
    ("page", "structures"),
    [
        ("wcxb-dev/html/0002.html.gz", (r"^# ", r"^## ", r"^### ", r"^- ", r"^\| --- \|", r"^> ")),
        ("wcxb-dev/html/0037.html.gz", (r"^## ", r"^1\. ", r"^- ", r"^\| --- \|")),
        ("wcxb-dev/html/0025.html.gz", (r"^- ", r"^    - ")),
    ],
)
def test_real_pages_come_out_as_markdown_structure(default_cleaner, page, structures):
    result = default_cleaner.clean(bench_page(page), kind="html")
    md = result.markdown
    for structure in structures:
        assert re.search(structure, md, re.M), structure
    for table in re.findall(r"(?:^\|.*\|\n)+", md + "\n", re.M):  # every table is valid: a rule second, rows even
        rows = table.strip("\n").split("\n")
        assert re.fullmatch(r"\|( --- \|)+", rows[1]), rows[:2]
        assert len({len(cells(r)) for r in rows}) == 1, rows
    assert words(strip_markdown(md)) == words(result.text)


def test_the_markdown_has_the_words_of_the_body_on_real_pages():
    folder = BENCH / "html"
    if not folder.is_dir():
        pytest.skip("the development bench is not beside the repository")
    pages = sorted(folder.glob("*.html.gz"))[::8] + sorted((BENCH / "wcxb-dev" / "html").glob("*.html.gz"))[::150]
    cleaner = Cleaner(autoload=False)
    linked = Cleaner(autoload=False, links=True, images=True)
    for page in pages:
        html = gzip.decompress(page.read_bytes()).decode("utf-8")
        for engine in (cleaner, linked):
            result = engine.clean(html, kind="html")
            body_md = result.markdown.split("\n\n", 1)[1] if result.title is not None else result.markdown
            assert words(strip_markdown(body_md)) == words(result.body), page.name


# -- the extract hook's typed answer ---------------------------------------------------------


class OldExtractor:
    """A third-party extractor written before Extraction: it returns a mapping."""

    name = "old-extractor"

    @hookimpl(tryfirst=True)
    def cleaner_extract_html(self, tree, html, url):
        return {"text": "A heading\nThe body of the page, a sentence long enough to count as prose here.", "author": "Ann"}


def test_an_extractor_that_returns_a_mapping_still_works_with_a_deprecation_warning():
    cleaner = Cleaner(autoload=False, plugins=[OldExtractor()])
    with pytest.warns(DeprecationWarning, match="old-extractor.*Extraction"):
        result = cleaner.clean("<html><body><p>x</p></body></html>", kind="html")
    assert "The body of the page" in result.text and result.metadata["author"] == "Ann"
    assert result.markdown  # without roles: read as text lines


class TypedExtractor:
    name = "typed-extractor"

    def __init__(self, extraction):
        self.extraction = extraction

    @hookimpl(tryfirst=True)
    def cleaner_extract_html(self, tree, html, url, options):
        return self.extraction


def test_a_typed_extraction_gives_its_roles_to_the_blocks():
    text = "Tides\n- high at noon\n- low at six\nThe tide tables are printed every week in the paper, as always."
    roles = (Role(Structure.HEADING, level=2), Role(Structure.ITEM, group=1), Role(Structure.ITEM, group=1), None)
    extraction = Extraction(text, title="Tides of the bay", metadata={"author": "Bo", "date": None}, roles=roles)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = Cleaner(autoload=False, plugins=[TypedExtractor(extraction)]).clean("<p>x</p>", kind="html")
    assert [d.block.role for d in result.decisions] == list(roles)
    assert "## Tides\n\n- high at noon\n- low at six" in result.markdown
    assert result.metadata["author"] == "Bo" and "date" not in result.metadata


def test_roles_that_do_not_match_the_lines_name_the_plugin():
    extraction = Extraction("one line\nanother line", roles=(Role(),))
    cleaner = Cleaner(autoload=False, plugins=[TypedExtractor(extraction)])
    with pytest.raises(PluginError, match="typed-extractor.*1 roles for the 2 lines"):
        cleaner.clean("<p>x</p>", kind="html")
    with pytest.raises(PluginError, match="not an Extraction"):
        Cleaner(autoload=False, plugins=[TypedExtractor(["text"])]).clean("<p>x</p>", kind="html")


# -- the command line and batches ------------------------------------------------------------


def test_clean_format_markdown_prints_the_markdown(tmp_path):
    page = tmp_path / "water.html"
    page.write_text(ARTICLE, encoding="utf-8")
    p = run("--format", "markdown", page)
    assert p.returncode == 0, p.stderr
    assert "\n## The canals\n" in p.stdout.decode() and "](" not in p.stdout.decode()
    p = run("--format", "markdown", "--links", "--images", "--url", "https://valley.example/water", page)
    assert "[sinks into the fields](https://valley.example/history)" in p.stdout.decode()


def test_links_without_markdown_and_explain_with_it_are_usage_errors(tmp_path):
    page = tmp_path / "water.html"
    page.write_text(ARTICLE, encoding="utf-8")
    p = run("--links", page)
    assert p.returncode == 2 and b"--format markdown" in p.stderr
    p = run("--images", "--format", "json", page)
    assert p.returncode == 2
    p = run("--explain", "--format", "markdown", page)
    assert p.returncode == 2 and b"--explain" in p.stderr


def test_a_folder_is_cleaned_into_md_files_and_records_get_a_markdown_field(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "water.html").write_text(ARTICLE, encoding="utf-8")
    (pages / "storm.txt").write_text(TEXT_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    p = run(pages, "-o", out, "--format", "markdown", "--links", "--jobs", "1", "--no-progress")
    assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in out.iterdir() if not f.name.startswith(".")) == ["storm.md", "water.md"]
    assert "\n## The canals\n" in (out / "water.md").read_text(encoding="utf-8")
    assert "[sinks into the fields](/history)" in (out / "water.md").read_text(encoding="utf-8")
    jsonl = tmp_path / "out.jsonl"
    p = run(pages, "-o", jsonl, "--format", "markdown", "--jobs", "1", "--no-progress")
    assert p.returncode == 0, p.stderr
    records = {r["path"].rsplit("/", 1)[-1]: r for r in map(json.loads, jsonl.read_text(encoding="utf-8").splitlines())}
    assert records["water.html"]["cleaner"]["markdown"].startswith("# How the valley keeps its water")
    assert records["storm.txt"]["cleaner"]["markdown"].startswith("# ")
    p = run(pages, "-o", tmp_path / "plain.jsonl", "--jobs", "1", "--no-progress")
    assert "markdown" not in json.loads((tmp_path / "plain.jsonl").read_text(encoding="utf-8").splitlines()[0])["cleaner"]
