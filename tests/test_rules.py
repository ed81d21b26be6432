"""Site rules files: the format, how a rules plugin claims and judges, validation, loading."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap

import lxml.html
import pytest

from cleaner import Category, Cleaner, ConfigError, Document, Extraction, Strength, hookimpl
from cleaner.model import Block
from cleaner.rules import RulesResource, load_rules, parse_rules

SITE = """
[site]
name = "demo"
domains = ["demo.example"]
"""


def rules(body: str, head: str = SITE):
    return parse_rules(textwrap.dedent(head) + textwrap.dedent(body), path="demo.toml", source="test")


def doc(*lines: str, site: str | None = "demo", url: str | None = None) -> Document:
    blocks = tuple(Block(i, i + 1, t, t) for i, t in enumerate(lines))
    return Document(blocks, url=url, site=site)


def judged(plugin, *lines: str) -> dict[int, tuple[str, Strength, str]]:
    """index -> (category or 'keep', strength, reason)."""
    return {
        v.index: (v.category.value if v.category else "keep", v.strength, v.reason)
        for v in plugin.cleaner_judge(doc(*lines)) or ()
    }


def error_of(body: str, head: str = SITE) -> str:
    with pytest.raises(ConfigError) as info:
        rules(body, head)
    return str(info.value)


# -- matching and judging ------------------------------------------------------------


def test_drop_rules_match_exact_lines_prefixes_substrings_and_patterns():
    plugin = rules("""
        [[drop]]
        line = ["Home", "World"]
        category = "nav"
        [[drop]]
        prefix = "Sponsored:"
        category = "ad"
        [[drop]]
        contains = "Image Credit"
        category = "caption"
        [[drop]]
        pattern = '^\\d{2}:\\d{2}$'
        category = "related"
    """)
    got = judged(plugin, "Home", "Homepage", "Sponsored: tours", "A photo (Image Credit: X)", "19:02", "at 19:02 today")
    assert {i: v[0] for i, v in got.items()} == {0: "nav", 2: "ad", 3: "caption", 4: "related"}
    assert all(v[1] is Strength.RULE for v in got.values())


def test_reasons_are_prefixed_with_the_site_and_default_to_the_rule():
    plugin = rules("""
        [[drop]]
        line = "Home"
        category = "nav"
        reason = "the section menu"
        [[drop]]
        prefix = "Sponsored:"
        category = "ad"
        [[block]]
        start = "MOST READ"
        end = "Contact"
        category = "trending"
    """)
    got = judged(plugin, "Home", "Sponsored: x", "MOST READ", "a", "Contact")
    assert got[0][2] == "demo: the section menu"
    assert got[1][2] == "demo: the line starting 'Sponsored:'"
    assert got[2][2] == "demo: the block from 'MOST READ' to 'Contact'"


def test_a_block_runs_from_its_start_to_before_its_end_or_to_the_page_end():
    plugin = rules("""
        [[block]]
        start = "TRENDING"
        end = "OPINION"
        category = "trending"
        [[block]]
        start = "FOOTER"
        category = "footer"
    """)
    got = judged(plugin, "Story.", "TRENDING", "1", "Headline", "OPINION", "Teaser", "FOOTER", "© 2024")
    assert {i: v[0] for i, v in got.items()} == {1: "trending", 2: "trending", 3: "trending", 6: "footer", 7: "footer"}


def test_a_block_whose_end_never_comes_runs_to_the_end_and_lines_caps_it():
    plugin = rules("""
        [[block]]
        start = "TRENDING"
        end = "NEVER"
        category = "trending"
    """)
    assert sorted(judged(plugin, "Story.", "TRENDING", "a", "b")) == [1, 2, 3]
    capped = rules("""
        [[block]]
        start = "TRENDING"
        lines = 2
        category = "trending"
    """)
    assert sorted(judged(capped, "Story.", "TRENDING", "a", "b")) == [1, 2]


def test_include_start_and_include_end_move_the_edges():
    plugin = rules("""
        [[block]]
        start = { prefix = "Tags" }
        end = "END"
        include_start = false
        include_end = true
        category = "taxonomy"
    """)
    assert sorted(judged(plugin, "Story.", "Tags:", "a", "b", "END", "after")) == [2, 3, 4]


def test_a_block_rule_finds_every_block_without_overlap():
    plugin = rules("""
        [[block]]
        start = "Advertisement"
        lines = 2
        category = "ad"
    """)
    got = judged(plugin, "Advertisement", "Advertisement", "Para.", "Advertisement", "Buy now", "Para two.")
    assert sorted(got) == [0, 1, 3, 4]


def test_keep_wins_over_drop_and_drop_over_block_and_the_first_rule_wins():
    plugin = rules("""
        [[keep]]
        line = "Latest"
        [[drop]]
        line = "All News"
        category = "nav"
        [[drop]]
        prefix = "All"
        category = "ad"
        [[block]]
        start = "PATRON"
        include_start = false
        lines = 1
        category = "taxonomy"
        [[block]]
        start = "PATRON"
        include_start = false
        category = "related"
    """)
    got = judged(plugin, "Story.", "PATRON", "tag run", "Latest", "All News", "All else", "headline")
    assert got[3][:2] == ("keep", Strength.FORCE)
    assert [got[i][0] for i in (2, 4, 5, 6)] == ["taxonomy", "nav", "ad", "related"]


def test_a_keep_rule_overrides_a_generic_detector_in_the_engine():
    page = (
        "Home\n\nThe council voted on Tuesday to add two early ferry crossings on weekdays.\n\n"
        "TRENDING\n\nMore words of the story follow here, as a full sentence of prose.\n"
    )
    url = "https://demo.example/a"
    generic = Cleaner(autoload=False).clean(page, url=url)
    assert "TRENDING" not in generic.text  # the built-in trending detector drops it
    plugin = rules("""
        [[keep]]
        line = "TRENDING"
        reason = "a sub-heading on this site"
    """)
    result = Cleaner(autoload=False, plugins=[plugin]).clean(page, url=url)
    assert "TRENDING" in result.text
    d = next(d for d in result.decisions if d.block.text == "TRENDING")
    assert d.verdict is not None
    assert d.verdict.plugin == "demo" and d.verdict.reason == "demo: a sub-heading on this site"


def test_it_judges_only_pages_claimed_for_its_site():
    plugin = rules("""
        [[drop]]
        line = "Home"
        category = "nav"
    """)
    assert plugin.cleaner_judge(doc("Home", site="other")) is None
    assert plugin.cleaner_judge(doc("Home", site=None)) is None


# -- claiming ------------------------------------------------------------------------


def test_it_claims_its_domains_and_their_subdomains():
    plugin = rules("")
    claim = lambda url: plugin.cleaner_claim(doc("x", site=None, url=url))  # noqa: E731
    assert claim("https://demo.example/a") == "demo"
    assert claim("https://www.demo.example/a") == "demo"
    assert claim("http://news.demo.example/") == "demo"
    assert claim("https://notdemo.example/") is None
    assert claim("https://demo.example.evil.com/") is None
    assert claim(None) is None


def test_without_a_url_every_fingerprint_must_be_found_within_its_lines():
    plugin = rules("""
        [[fingerprint]]
        pattern = '^Укр Рус Eng\\b'
        within = 2
        [[fingerprint]]
        line = "Support us!"
    """)
    claim = lambda *lines: plugin.cleaner_claim(doc(*lines, site=None))  # noqa: E731
    assert claim("Укр Рус Eng", "Story.", "Support us!") == "demo"
    assert claim("Укр Рус Eng", "Story.") is None  # one fingerprint missing
    assert claim("Menu", "Story.", "Укр Рус Eng", "Support us!") is None  # not within the first 2 lines
    assert claim() is None


def test_a_site_that_can_never_be_claimed_is_an_error():
    assert "never claimed" in error_of("", head='[site]\nname = "demo"\n')


# -- linear time ---------------------------------------------------------------------


@pytest.fixture
def deadline():
    """Fail (rather than hang) if the test body takes more than a few seconds."""

    def expired(signum, frame):
        raise TimeoutError("matching did not finish: the pattern engine backtracks")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_a_hostile_pattern_cannot_make_cleaning_super_linear(deadline):
    # With a backtracking engine, (a+)+$ on "aaa...a!" tries 2**n ways: 2**30 is minutes,
    # 2**100000 is forever. RE2 answers in one pass over the line.
    plugin = rules("""
        [[drop]]
        pattern = '(a+)+$'
        category = "debris"
        [[fingerprint]]
        pattern = '(x+x+)+y'
    """)
    lines = ["a" * 30 + "!", "a" * 100_000 + "!", "x" * 100_000, "aaaa"]
    assert plugin.cleaner_claim(doc(*lines, site=None)) is None
    got = judged(plugin, *lines)
    assert sorted(got) == [3]
    result = Cleaner(autoload=False, plugins=[plugin]).clean("\n\n".join(lines), url="https://demo.example/")
    assert "a" * 100_000 + "!" in result.text


def test_patterns_that_need_backtracking_are_refused():
    for pattern, words in ((r"(a)\1", "backreferences"), (r"foo(?=bar)", "lookaround"), (r"(?<!x)y", "lookaround")):
        message = error_of(f"""
            [[drop]]
            pattern = '{pattern}'
            category = "nav"
        """)
        assert re.match(r"demo\.toml:\d+: bad pattern", message) and words in message


# -- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, line, words",
    [
        ('[[drop]]\nline = "a"\ncategroy = "nav"\n', 7, "unknown key 'categroy' in [[drop]]"),
        ('[[drop]]\nline = "a"\ncategory = "navigation"\n', 7, "unknown category 'navigation'"),
        ('[[drop]]\nline = "a"\n', 5, "[[drop]] needs 'category'"),
        ('[[drop]]\ncategory = "nav"\n', 5, "needs one of line, prefix, contains, pattern"),
        ('[[drop]]\nline = "a"\nprefix = "b"\ncategory = "nav"\n', 5, "takes only one of"),
        ('[[drop]]\npattern = "(unclosed"\ncategory = "nav"\n', 6, "bad pattern '(unclosed'"),
        ('[[dorp]]\nline = "a"\n', 5, "unknown table 'dorp'"),
        ('[drop]\nline = "a"\ncategory = "nav"\n', 5, "write [[drop]]"),
        ('[[block]]\nstart = "A"\nlines = 0\ncategory = "ad"\n', 7, "'lines' must be a whole number"),
        ('[[block]]\nstart = "A"\ninclude_start = "no"\ncategory = "ad"\n', 7, "'include_start' must be true or false"),
        ('[[block]]\nstart = { lines = "A" }\ncategory = "ad"\n', 6, "unknown key 'lines' in 'start'"),
        ('[[block]]\nstart = ""\ncategory = "ad"\n', 6, "'start' needs non-empty text"),
        ('[[drop]]\nline = ["a", 3]\ncategory = "nav"\n', 6, "must be a string or a list of strings"),
        ('[[drop]]\nline = "a"\ncategory = "nav"\nreason = ""\n', 8, "'reason' must be a non-empty string"),
        ('[[prune]]\ncss = "div[["\n', 6, "bad CSS selector"),
        ('[[prune]]\nxpath = "//div[@"\n', 6, "bad XPath"),
        ('[[prune]]\nselector = "div"\n', 6, "unknown key 'selector' in [[prune]]"),
        ('[[drop]]\nline = "a"\ncategory = "nav\n', 7, "invalid TOML"),
    ],
)
def test_an_invalid_rules_file_is_an_error_naming_the_file_and_line(body, line, words):
    message = error_of(body)
    assert message.startswith(f"demo.toml:{line}: "), message
    assert words in message


def test_an_unknown_key_suggests_the_right_one():
    assert "did you mean 'category'?" in error_of('[[drop]]\nline = "a"\ncategroy = "nav"\n')


@pytest.mark.parametrize(
    "head, words",
    [
        ('[site]\nname = "Demo Site"\ndomains = ["x.example"]\n', "the site's name must be lower case"),
        ('[site]\nname = "demo"\ndomains = ["https://x.example/"]\n', "is not a host name"),
        (
            '[site]\nname = "demo"\ndomain = ["x.example"]\n',
            "unknown key 'domain' in [site] (valid: name, domains); did you mean 'domains'?",
        ),
        ('name = "demo"\n', "unknown key 'name' at the top of the file"),
        ('[[drop]]\nline = "a"\ncategory = "nav"\n', "needs a [site] table"),
    ],
)
def test_the_site_table_is_validated(head, words):
    assert words in error_of("", head=head)


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such rules file"):
        load_rules(tmp_path / "nope.toml")


# -- HTML pruning --------------------------------------------------------------------

HTML = """<html><body><article><h1>Title</h1><p>Story text.</p>
<aside class="most-read box"><p>Popular one</p></aside>tail text
<div id="share"><a href="#">Share</a></div></article></body></html>"""


def test_prune_rules_remove_elements_by_css_and_xpath_on_the_sites_pages_only():
    plugin = rules("""
        [[prune]]
        css = "aside.most-read"
        [[prune]]
        xpath = "//div[@id='share'] | //a/@href"
    """)
    assert "prune_html" in " ".join(n for n in dir(plugin) if n.startswith("cleaner_"))
    tree = lxml.html.document_fromstring(HTML)
    plugin.cleaner_prune_html(tree, "https://demo.example/a", "other")
    assert "Popular one" in tree.text_content()
    plugin.cleaner_prune_html(tree, "https://demo.example/a", "demo")
    text = tree.text_content()
    assert "Popular one" not in text and "Share" not in text
    assert "Story text." in text and "tail text" in text


def test_a_rules_file_without_prune_rules_has_no_prune_hook():
    plugin = rules('[[drop]]\nline = "a"\ncategory = "nav"\n')
    assert not hasattr(plugin, "cleaner_prune_html")


class ExtractAll:
    """A stand-in extractor: the whole text of the (pruned) tree."""

    name = "extract-all"

    @hookimpl(tryfirst=True)
    def cleaner_extract_html(self, tree, html, url):
        return Extraction("\n\n".join(t.strip() for t in tree.itertext() if t.strip()))


def test_the_engine_prunes_html_of_a_page_claimed_by_url():
    plugin = rules('[[prune]]\ncss = "aside.most-read"\n')
    cleaner = Cleaner(autoload=False, plugins=[plugin, ExtractAll()])
    claimed = cleaner.clean(HTML, url="https://demo.example/a", kind="html")
    other = cleaner.clean(HTML, url="https://else.example/a", kind="html")
    assert "Popular one" not in "\n".join(d.block.text for d in claimed.decisions)
    assert "Popular one" in "\n".join(d.block.text for d in other.decisions)


# -- loading: folders, the environment, packages, the built-ins ------------------------------


@pytest.fixture
def rules_dir(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "demo.toml").write_text(SITE + '\n[[drop]]\nline = "Zap"\ncategory = "ad"\n', encoding="utf-8")
    (folder / "notes.txt").write_text("not a rules file", encoding="utf-8")
    return folder


def test_a_rules_folder_adds_one_plugin_per_file(rules_dir):
    cleaner = Cleaner(autoload=False, rules=[rules_dir])
    info = next(p for p in cleaner.plugins if p.name == "demo")
    assert info.source == f"rules file {rules_dir / 'demo.toml'}"
    assert set(info.hooks) == {"cleaner_claim", "cleaner_judge"}
    result = cleaner.clean("Zap\n\nA paragraph of the story, long enough to be prose.\n", url="https://demo.example/")
    assert [(r.text, r.category, r.plugin) for r in result.removed] == [("Zap", Category.AD, "demo")]
    assert Cleaner(autoload=False, rules=[rules_dir], disable=["demo"]).plugin("demo") is None


def test_cleaner_rules_is_read_with_the_installed_plugins_only(rules_dir, tmp_path, monkeypatch):
    other = tmp_path / "more"
    other.mkdir()
    (other / "more.toml").write_text(SITE.replace('"demo"', '"more"'), encoding="utf-8")
    monkeypatch.setenv("CLEANER_RULES", os.pathsep.join([str(rules_dir), "", str(other)]))
    names = {p.name for p in Cleaner(autoload=True).plugins}
    assert {"demo", "more"} <= names
    assert not {"demo", "more"} & {p.name for p in Cleaner(autoload=False).plugins}


def test_a_missing_rules_folder_and_a_duplicate_name_are_errors(rules_dir, tmp_path):
    with pytest.raises(ConfigError, match="rules folder .* does not exist"):
        Cleaner(autoload=False, rules=[tmp_path / "nowhere"])
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "demo.toml").write_text(SITE, encoding="utf-8")
    with pytest.raises(ConfigError, match="two plugins are called 'demo'"):
        Cleaner(autoload=False, rules=[rules_dir, twin])


def test_a_rules_resource_names_a_file_shipped_in_a_package():
    plugin = RulesResource("cleaner_plugins.sites", "devdiscourse.toml").load()
    assert plugin.name == "devdiscourse" and plugin.domains == ("devdiscourse.com",)
    with pytest.raises(ConfigError, match="cannot read"):
        RulesResource("cleaner_plugins.sites", "nope.toml").load()


def test_the_built_in_sites_are_rules_files_loaded_by_entry_point(default_cleaner):
    infos = {p.name: p for p in default_cleaner.plugins}
    for name in ("devdiscourse", "pravda"):
        assert infos[name].source == "built-in"
        assert set(infos[name].hooks) == {"cleaner_claim", "cleaner_judge"}
        assert type(default_cleaner.plugin(name)).__name__ == "RulesPlugin"
    assert default_cleaner.plugin("ani").__name__ == "cleaner_plugins.site_ani"  # stays Python: see its docstring


# -- the command line ----------------------------------------------------------------


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *map(str, args)],
        capture_output=True,
        env={**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1", **(env or {})},
    )


def test_clean_rules_loads_a_folder_and_plugins_lists_it(rules_dir, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Zap\n\nA paragraph of the story, long enough to be prose.\n", encoding="utf-8")
    p = run("--rules", rules_dir, "--url", "https://demo.example/", "--explain", "--no-color", page)
    assert p.returncode == 0, p.stderr
    assert "[ad] Zap" in p.stdout.decode() and "(demo)" in p.stdout.decode()
    listing = run("plugins", "--rules", rules_dir).stdout.decode()
    assert re.search(r"^demo\s+-\s+rules file .*demo\.toml\s+claim, judge$", listing, re.M)


def test_a_bad_rules_file_is_one_line_on_stderr_and_exit_2(rules_dir, tmp_path):
    (rules_dir / "demo.toml").write_text(SITE + "\n[[drop]]\npattern = '(a)\\1'\ncategory = \"nav\"\n", encoding="utf-8")
    p = run("--rules", rules_dir, tmp_path / "page.txt")
    assert p.returncode == 2
    err = p.stderr.decode()
    # one line, no traceback, and none of RE2's own logging
    assert err.count("\n") == 1 and err.startswith("clean: ") and "demo.toml:7: bad pattern" in err, err


def test_exact_lines_are_compared_with_white_space_folded():
    plugin = rules("""
        [[drop]]
        line = "  All   News "
        category = "nav"
        [[block]]
        start = "MOST  READ"
        lines = 1
        category = "trending"
    """)
    assert sorted(judged(plugin, "All News", "MOST READ", "Story.")) == [0, 1]
