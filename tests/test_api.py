"""The library's public API: the names modules import, results as data, the Cleaner's lifecycle."""

from __future__ import annotations

import importlib
import json
import pathlib
import pickle
import threading
import tomllib
from types import MappingProxyType

import pytest
from test_html import PAGE as HTML_PAGE

import cleaner
from cleaner import Cleaner, ConfigError, InputError, PluginError, hookimpl
from cleaner_plugins import segment as segment_plugin

# every name imported from cleaner.model somewhere in the project before the logs moved out
MODEL_NAMES = [
    "Block",
    "Category",
    "Decision",
    "DecisionLog",
    "Document",
    "Evidence",
    "Kind",
    "Removal",
    "RemovalLog",
    "Result",
    "Strength",
    "Verdict",
    "_BuiltWhenRead",
    "plain",
]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_names_that_moved_out_of_the_model_are_still_importable_from_it(name):
    model = importlib.import_module("cleaner.model")
    assert getattr(model, name) is not None
    if name in ("DecisionLog", "RemovalLog", "_BuiltWhenRead"):
        assert getattr(model, name) is getattr(importlib.import_module("cleaner.logs"), name)


def test_an_unknown_name_of_the_model_is_an_attribute_error():
    with pytest.raises(AttributeError):
        cleaner.model.NoSuchThing  # noqa: B018 - the attribute access is the test


# -- Result.metadata is plain JSON data --------------------------------------------------

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED_PAGES = sorted(p for p in (ROOT / "fixtures").glob("*.txt") if not p.name.endswith(".expected.txt"))


def _is_plain(value):
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(map(_is_plain, value))
    return value is None or isinstance(value, (str, int, float, bool))


class ReadOnlyMetadata:
    """Gives its metadata as read-only mappings, tuples and sets, as a plugin may."""

    name = "readonly"

    @hookimpl
    def cleaner_metadata(self, doc, decisions):
        return MappingProxyType({"tags": ("b", "a"), "nested": MappingProxyType({"seen": frozenset({"y", "x"})})})


def test_metadata_of_real_pages_is_json_as_it_is(default_cleaner):
    results = [default_cleaner.clean(p.read_bytes()) for p in SEED_PAGES]
    results.append(default_cleaner.clean(HTML_PAGE, kind="html", url="https://valley.example/library"))
    assert any(r.metadata.get("captions") for r in results) and results[-1].metadata["author"] == "Jane Smith"
    for result in results:
        assert _is_plain(dict(result.metadata))
        assert json.loads(json.dumps(dict(result.metadata))) == dict(result.metadata)
        with pytest.raises(TypeError):
            result.metadata["x"] = 1  # still read-only


def test_metadata_a_plugin_gives_read_only_is_made_plain():
    result = Cleaner(builtins=False, plugins=[segment_plugin, ReadOnlyMetadata()]).clean("A line")
    assert dict(result.metadata) == {"tags": ["b", "a"], "nested": {"seen": ["x", "y"]}}
    json.dumps(dict(result.metadata))


# -- the Cleaner as a context manager, and shared -----------------------------------------


def test_a_cleaner_is_a_context_manager_that_closes_it():
    with Cleaner(autoload=False) as cleaner:
        assert cleaner.clean("A line of text.").text == "A line of text."
        assert cleaner._pm.get_plugins()
    assert not cleaner._pm.get_plugins()


def test_a_cleaner_shared_by_threads_gives_each_the_results_of_one_thread(default_cleaner):
    pages = [p.read_bytes() for p in SEED_PAGES] * 3
    expected = [default_cleaner.clean(p) for p in pages]
    got: dict[int, object] = {}

    def work(i):
        got[i] = default_cleaner.clean(pages[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(pages))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[i] for i in range(len(pages))] == expected


# -- clean_many ---------------------------------------------------------------------------


class Failing:
    """Fails on a page that holds "BOOM"."""

    name = "failing"

    @hookimpl
    def cleaner_judge(self, doc):
        if any(b.text == "BOOM" for b in doc.blocks):
            raise RuntimeError("boom")


def _pages():
    seeds = [p.read_bytes() for p in SEED_PAGES]
    urls = ["https://www.devdiscourse.com/article/x", None, "https://www.pravda.com.ua/eng/news/y/"]
    return [*seeds, "A short page.\n\nWith two lines.", *zip([s.decode() for s in seeds], urls, strict=False)] * 2


def test_a_result_pickles_and_comes_back_equal_and_read_only(default_cleaner):
    result = default_cleaner.clean(SEED_PAGES[0].read_bytes())
    again = pickle.loads(pickle.dumps(result))
    assert again == result and isinstance(again.metadata, MappingProxyType)


def test_clean_many_yields_the_results_in_order(default_cleaner):
    pages = _pages()
    expected = [default_cleaner.clean(p[0], url=p[1]) if isinstance(p, tuple) else default_cleaner.clean(p) for p in pages]
    assert list(default_cleaner.clean_many(pages)) == expected
    assert list(default_cleaner.clean_many(iter(pages), processes=1)) == expected


@pytest.mark.slow
def test_clean_many_in_processes_gives_the_results_of_one_process():
    with Cleaner(autoload=False, keep=["caption"], disable=["trending"]) as cleaner:
        pages = _pages() * 3
        expected = list(cleaner.clean_many(pages))
        assert list(cleaner.clean_many(iter(pages), processes=2)) == expected
        assert any(r.metadata.get("site") == "pravda" for r in expected)


@pytest.mark.slow
def test_clean_many_in_processes_raises_the_error_of_the_first_page_that_fails():
    with Cleaner(autoload=False, plugins=[Failing()]) as cleaner:
        results = cleaner.clean_many(["A fine page.", "BOOM", "Another page."], processes=2)
        assert next(results).text == "A fine page."
        with pytest.raises(PluginError) as info:
            next(results)
        assert info.value.plugin == "failing" and info.value.stage == "cleaner_judge" and "boom" in str(info.value)
        with pytest.raises(InputError, match="PDF"):
            list(cleaner.clean_many([b"%PDF-1.7 binary"], processes=2))


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_clean_many_refuses_a_bad_number_of_processes(bad, default_cleaner):
    with pytest.raises(ConfigError, match="processes"):
        default_cleaner.clean_many([], processes=bad)


def test_a_page_of_clean_many_is_content_or_a_pair(default_cleaner):
    with pytest.raises(InputError, match="pair"):
        list(default_cleaner.clean_many([("a", "b", "c")]))


# -- typing -------------------------------------------------------------------------------


def test_the_package_says_it_is_typed():
    assert (pathlib.Path(cleaner.__file__).parent / "py.typed").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["cleaner"]
