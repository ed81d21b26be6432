"""docs/plugin-guide.md: up to date with the code, every hook documented with its exact signature."""

from __future__ import annotations

import inspect
import pathlib
import re
import tomllib

import pluggy
import pytest

from cleaner import hookspecs
from cleaner.rules import TABLES, parse_rules
from cleaner.testing import CASE_KEYS, MUST_DROP_KEYS
from tools import plugin_guide

GUIDE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "plugin-guide.md"


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def hooks():
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    names = sorted(n for n in dir(pm.hook) if n.startswith("cleaner_"))
    return [(n, getattr(hookspecs, n), getattr(pm.hook, n).spec.opts) for n in names]


def test_the_committed_guide_is_what_the_tool_generates(guide):
    assert plugin_guide.regenerate(guide) == guide, "run: python tools/plugin_guide.py"


def test_every_hook_is_documented_with_its_exact_signature(guide):
    assert len(hooks()) >= 11
    for name, function, opts in hooks():
        # annotations are strings (postponed evaluation): the signature as written in hookspecs.py
        signature = f"def {name}{inspect.signature(function)}".replace("'", "")
        decorator = "@hookspec(firstresult=True)" if opts["firstresult"] else "@hookspec"
        assert f"#### `{name}`\n\n```python\n{decorator}\n{signature}\n```" in guide, name
        doc = inspect.getdoc(function)
        assert doc is not None, name
        summary = doc.split("\n")[0]
        assert summary in guide, name


def test_every_hook_is_in_the_guide_once_and_in_the_engines_order(guide):
    source = pathlib.Path(hookspecs.__file__).read_text(encoding="utf-8")
    in_source = re.findall(r"^def (cleaner_\w+)", source, re.M)
    in_guide = re.findall(r"^#### `(cleaner_\w+)`", guide, re.M)
    assert in_guide == in_source and sorted(in_source) == [n for n, _f, _o in hooks()]


def test_every_rules_key_is_documented(guide):
    for table, (array, keys) in TABLES.items():
        assert (f"#### `[[{table}]]`" if array else f"#### `[{table}]`") in guide
        for key in keys:
            assert f"| `{key.name}` |" in guide


def test_the_guides_rules_example_is_a_valid_rules_file(guide):
    example = next(b for b in re.findall(r"```toml\n(.*?)```", guide, re.S) if "[site]" in b)
    plugin = parse_rules(example, path="plugin-guide.md", source="docs")
    assert plugin.name == "mysite" and plugin.keep and plugin.drop and plugin.blocks and plugin.prune


def test_the_guides_case_example_uses_only_case_keys(guide):
    example = next(b for b in re.findall(r"```toml\n(.*?)```", guide, re.S) if "must_drop" in b)
    data = tomllib.loads(example)
    assert set(data) == set(CASE_KEYS)
    assert {k for m in data["must_drop"] for k in m} == set(MUST_DROP_KEYS)
