"""The test kit (cleaner.testing): golden cases, their checks, the diff, --update-golden."""

from __future__ import annotations

import textwrap

import pytest

from cleaner import Category, Cleaner, ConfigError, Strength, Verdict, hookimpl
from cleaner.testing import explain_diff, load_case, load_cases, plugins_under_test, run_case

pytest_plugins = ["pytester"]

PAGE = """Menu

A council voted on Tuesday to add two early ferry crossings on weekdays, starting next month.

ZAP-ZAP

Commuters had asked for the change for two years, saying the first boat left too late.
"""
CLEANED = """A council voted on Tuesday to add two early ferry crossings on weekdays, starting next month.

Commuters had asked for the change for two years, saying the first boat left too late.
"""

RULES = """
[site]
name = "zapsite"
domains = ["zap.example"]

[[drop]]
line = "ZAP-ZAP"
category = "ad"
reason = "the zap banner"
"""


class Zapper:
    """A plugin object under test: drops the ZAP-ZAP line."""

    name = "zapper"

    @hookimpl
    def cleaner_judge(self, doc):
        return [Verdict.drop(b.index, Category.AD, "the zap banner", Strength.RULE) for b in doc.blocks if b.text == "ZAP-ZAP"]


def write_case(folder, name="page", case="", expected=CLEANED, page=PAGE):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(page, encoding="utf-8")
    if expected is not None:
        (folder / f"{name}.expected.txt").write_text(expected, encoding="utf-8")
    (folder / f"{name}.case.toml").write_text(
        f'input = "{name}.txt"\nexpected = "{name}.expected.txt"\n' + textwrap.dedent(case), encoding="utf-8"
    )
    return folder / f"{name}.case.toml"


# -- case files ----------------------------------------------------------------------


def test_a_case_file_is_read_with_every_key(tmp_path):
    path = write_case(
        tmp_path,
        case="""
        url = "https://zap.example/a"
        kind = "text"
        keep = ["caption"]
        disable = ["trending"]
        must_keep = ["ferry"]

        [[must_drop]]
        text = "ZAP"
        category = "ad"

        [[must_drop]]
        line = 1
        category = "nav"
    """,
    )
    case = load_case(path)
    assert case.name == "page" and str(case) == "page"
    assert case.input == tmp_path / "page.txt" and case.expected == tmp_path / "page.expected.txt"
    assert case.url == "https://zap.example/a" and case.kind is not None and case.kind.value == "text"
    assert case.keep == (Category.CAPTION,) and case.disable == ("trending",) and case.must_keep == ("ferry",)
    assert [str(m) for m in case.must_drop] == ["must_drop text 'ZAP' as ad", "must_drop line 1 as nav"]
    assert load_cases(tmp_path) == [case]


@pytest.mark.parametrize(
    "case, line, words",
    [
        ('must_kep = ["x"]\n', 3, "unknown key 'must_kep'"),
        ('keep = ["captions"]\n', 3, "unknown category 'captions'"),
        ('kind = "pdf"\n', 3, "unknown kind 'pdf'"),
        ('[[must_drop]]\ntext = "x"\nline = 2\ncategory = "nav"\n', 3, "needs one of text, line"),
        ('[[must_drop]]\ntext = "x"\ncategory = "navs"\n', 5, "unknown category 'navs'"),
        ('[[must_drop]]\ntext = "x"\n', 3, "needs category"),
        ('[[must_drop]]\nline = 0\ncategory = "nav"\n', 4, "'line' must be a line number"),
        ('must_keep = "x"\n', 3, "'must_keep' must be a list"),
    ],
)
def test_an_invalid_case_names_the_file_and_line(tmp_path, case, line, words):
    path = write_case(tmp_path, case=case)
    with pytest.raises(ConfigError) as info:
        load_case(path)
    assert str(info.value).startswith(f"{path}:{line}: ") and words in str(info.value), str(info.value)


def test_a_case_whose_page_is_missing_is_an_error(tmp_path):
    path = write_case(tmp_path)
    (tmp_path / "page.txt").unlink()
    with pytest.raises(ConfigError, match="page 'page.txt' does not exist"):
        load_case(path)


# -- running a case ------------------------------------------------------------------


def test_a_case_passes_with_the_plugin_under_test_and_fails_without(tmp_path):
    case = load_case(write_case(tmp_path, case='[[must_drop]]\ntext = "ZAP"\ncategory = "ad"\n'))
    assert run_case(case, Zapper()).ok
    bare = run_case(case)
    assert not bare.ok and not bare.text_matches
    assert bare.failures == ("must_drop text 'ZAP' as ad: line 5 'ZAP-ZAP': kept (no plugin spoke of it)",)


def test_the_plugin_under_test_can_be_a_rules_file_a_name_or_an_object(tmp_path):
    rules = tmp_path / "zapsite.toml"
    rules.write_text(RULES, encoding="utf-8")
    case = load_case(write_case(tmp_path / "cases", case='url = "https://zap.example/a"\n'))
    assert run_case(case, str(rules)).ok and run_case(case, rules).ok
    assert [p.name for p in plugins_under_test([rules, Zapper()])] == ["zapsite", "zapper"]
    assert plugins_under_test("devdiscourse") == []  # a built-in is there anyway
    with pytest.raises(ConfigError, match="no plugin 'nosuch' is installed"):
        plugins_under_test("nosuch")


def test_a_case_runs_on_a_fresh_engine_with_exactly_the_plugin_under_test(tmp_path, monkeypatch):
    # an installed rules folder that would drop a story line must not reach the case
    other = tmp_path / "installed"
    other.mkdir()
    (other / "spoil.toml").write_text(
        '[site]\nname = "spoil"\n[[fingerprint]]\nprefix = "Menu"\n[[drop]]\nprefix = "Commuters"\ncategory = "nav"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CLEANER_RULES", str(other))
    assert "Commuters" not in Cleaner(autoload=True, plugins=[Zapper()]).clean(PAGE).text
    case = load_case(write_case(tmp_path / "cases"))
    assert run_case(case, Zapper()).ok


def test_case_options_keep_and_disable_reach_the_engine(tmp_path):
    page = PAGE.replace("ZAP-ZAP", "Photo: the new ferry (Image Credit: Harbour Office)")
    expected = CLEANED.replace("\n\nCommuters", "\n\nPhoto: the new ferry (Image Credit: Harbour Office)\n\nCommuters")
    case = load_case(write_case(tmp_path, case='keep = ["caption"]\n', page=page, expected=expected))
    assert run_case(case).ok
    disabled = load_case(write_case(tmp_path / "d", case='disable = ["caption"]\n', page=page, expected=expected))
    assert run_case(disabled).ok


def test_must_keep_names_the_verdict_that_dropped_the_snippet(tmp_path):
    case = load_case(write_case(tmp_path, case='must_keep = ["ZAP-ZAP"]\n', expected=PAGE))
    failures = run_case(case, Zapper()).failures
    assert failures == (
        "must_keep 'ZAP-ZAP': not in the cleaned text\n    line 5 'ZAP-ZAP': dropped as ad by zapper (the zap banner)",
    )


# -- the diff ------------------------------------------------------------------------


def test_the_diff_explains_every_differing_line(tmp_path):
    result = Cleaner(autoload=False, plugins=[Zapper()]).clean(PAGE)
    expected = "ZAP-ZAP\n\n" + CLEANED.replace("\n\nCommuters had", "\n\nCommuters have")
    diff = explain_diff(expected, result).split("\n")
    assert diff[:2] == ["--- expected", "+++ cleaned"]
    i = diff.index("-ZAP-ZAP")
    assert diff[i + 1] == "    ^ line 5 'ZAP-ZAP': dropped as ad by zapper (the zap banner)"
    plus = next(n for n, line in enumerate(diff) if line.startswith("+Commuters had"))
    assert diff[plus + 1] == (
        "    ^ line 7 'Commuters had asked for the change for two years, saying th…': kept (no plugin spoke of it)"
    )
    minus = next(n for n, line in enumerate(diff) if line.startswith("-Commuters have"))
    assert diff[minus + 1] == "    ^ no line of the page has this text"


# -- the pytest plugin, as an author runs it ------------------------------------------------

TEST_FILE = """
import pathlib
import pytest
from cleaner.testing import load_cases

CASES = load_cases(pathlib.Path(__file__).parent / "fixtures")

@pytest.mark.parametrize("case", CASES, ids=str)
def test_golden(case, cleaner_golden):
    cleaner_golden.check(case, plugin=pathlib.Path(__file__).parent / "zapsite.toml")
"""


@pytest.fixture
def project(pytester):
    pytester.makepyfile(test_zapsite_cases=TEST_FILE)
    (pytester.path / "zapsite.toml").write_text(RULES, encoding="utf-8")
    write_case(pytester.path / "fixtures", case='url = "https://zap.example/a"\n[[must_drop]]\ntext = "ZAP"\ncategory = "ad"\n')
    return pytester


def test_the_fixture_is_there_and_a_good_case_passes(project):
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_mismatch_fails_with_the_explained_diff(project):
    expected = project.path / "fixtures" / "page.expected.txt"
    expected.write_text("ZAP-ZAP\n" + CLEANED, encoding="utf-8")
    run = project.runpytest("-p", "no:cacheprovider")
    run.assert_outcomes(failed=1)
    run.stdout.fnmatch_lines(
        [
            "*the cleaned text differs from page.expected.txt*--update-golden*",
            "-ZAP-ZAP",
            "    ^ line 5 'ZAP-ZAP': dropped as ad by zapsite (zapsite: the zap banner)",
        ]
    )
    assert "Traceback" not in run.stdout.str()


def test_update_golden_shows_the_diff_then_rewrites_the_file(project):
    expected = project.path / "fixtures" / "page.expected.txt"
    expected.write_text("Old text\n", encoding="utf-8")
    run = project.runpytest("-p", "no:cacheprovider", "--update-golden")
    run.assert_outcomes(passed=1)
    run.stdout.fnmatch_lines(["*cleaner: golden files updated*", "*page.expected.txt:", "  -Old text", "  +A council voted*"])
    assert expected.read_text(encoding="utf-8") == CLEANED
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_update_golden_writes_a_missing_file_but_snippet_checks_still_fail(project):
    expected = project.path / "fixtures" / "page.expected.txt"
    expected.unlink()
    project.runpytest("-p", "no:cacheprovider").stdout.fnmatch_lines(["*page.expected.txt does not exist*"])
    case = project.path / "fixtures" / "page.case.toml"
    case.write_text('must_keep = ["ZAP-ZAP"]\n' + case.read_text(encoding="utf-8"), encoding="utf-8")
    run = project.runpytest("-p", "no:cacheprovider", "--update-golden")
    run.assert_outcomes(failed=1)
    run.stdout.fnmatch_lines(["*must_keep 'ZAP-ZAP': not in the cleaned text*"])
    assert expected.read_text(encoding="utf-8") == CLEANED
