"""The built-in plugins listed in code (cleaner.manager.BUILTIN_PLUGINS) are the entry points."""

from __future__ import annotations

import importlib
import pathlib
import pkgutil
import tomllib

import pytest

import cleaner_plugins
from cleaner import Cleaner, ConfigError, builtin_plugins
from cleaner.manager import BUILTIN_PLUGINS, ROLES

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_list_is_the_entry_points_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = project["project"]["entry-points"]["cleaner"]
    assert {name: target for name, target, _role in BUILTIN_PLUGINS} == entry_points
    assert len({name for name, _t, _r in BUILTIN_PLUGINS}) == len(BUILTIN_PLUGINS)
    assert {role for _n, _t, role in BUILTIN_PLUGINS} == set(ROLES)


def _implements_hooks(value):
    return any(hasattr(getattr(value, a, None), "cleaner_impl") for a in dir(value) if a.startswith("cleaner_"))


def _hook_modules():
    """Every module under plugins/ that defines hook implementations of its own: functions,
    or a class (or an instance of one) with hook methods."""
    found = set()
    for info in pkgutil.walk_packages(cleaner_plugins.__path__, "cleaner_plugins."):
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            if attr.startswith("cleaner_") and hasattr(value, "cleaner_impl") and value.__module__ == module.__name__:
                found.add(info.name)
            owner = value if isinstance(value, type) else type(value)
            if owner.__module__ == module.__name__ and _implements_hooks(owner):
                found.add(info.name)
    return found


def test_every_plugin_module_under_plugins_is_listed():
    listed = {target.split(":")[0] for _name, target, _role in BUILTIN_PLUGINS}
    assert _hook_modules() <= listed
    for target in listed:
        importlib.import_module(target)
    # the packaged rules files are the site plugins of cleaner_plugins.sites
    rules = {
        p.name.removesuffix(".toml") for p in (ROOT / "plugins" / "sites").glob("*.toml") if not p.name.endswith(".case.toml")
    }
    assert rules == {name for name, target, _r in BUILTIN_PLUGINS if target.startswith("cleaner_plugins.sites:")}


def test_the_registered_builtins_are_the_list(default_cleaner):
    from cleaner import Cleaner
    from cleaner.manager import OFF_BY_DEFAULT

    registered = [p.name for p in default_cleaner.plugins if p.builtin]
    assert registered == sorted(set(builtin_plugins()) - OFF_BY_DEFAULT)  # those off by default wait for enable
    assert [p.name for p in Cleaner(enable=OFF_BY_DEFAULT).plugins if p.builtin] == sorted(builtin_plugins())


def test_builtin_plugins_by_role():
    assert builtin_plugins(role="site") == ("devdiscourse", "pravda", "ani")
    assert {"decode", "normalize", "segment"} <= set(builtin_plugins(role="infrastructure"))
    assert builtin_plugins(role="judge") == ("judge",)
    assert set(builtin_plugins()) == {n for role in ROLES for n in builtin_plugins(role=role)}
    with pytest.raises(ConfigError, match="unknown plugin role 'sites'"):
        builtin_plugins(role="sites")


def test_without_site_plugins_no_site_claims_a_page():
    generic = Cleaner(autoload=False, disable=builtin_plugins(role="site"))
    assert not {p.name for p in generic.plugins} & set(builtin_plugins(role="site"))
    text = "Some headline here\n\nA paragraph of text that is long enough to read as prose in the article.\n"
    assert generic.clean(text, url="https://www.devdiscourse.com/article/x").metadata.get("site") is None
