"""Finding, registering and listing plugins.

One way in for every plugin: the built-ins are entry points in the ``cleaner`` group of
this project's own distribution, loaded exactly as a third-party plugin is. Plugins
objects given by a caller (tests, embedding code) go through the same registration.
Nothing is loaded as a side effect of importing a module: a manager is built when a
:class:`~cleaner.Cleaner` is.
"""

from __future__ import annotations

import importlib.metadata as md
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pluggy

from cleaner import hookspecs
from cleaner.errors import ConfigError
from cleaner.rules import RulesPlugin, RulesResource, load_rules, rules_files

ENTRY_POINT_GROUP = "cleaner"
BUILTIN_DISTRIBUTION = "cleaner"
# Set to 1 to load only the built-in plugins (as pytest's PYTEST_DISABLE_PLUGIN_AUTOLOAD).
AUTOLOAD_ENV = "CLEANER_DISABLE_PLUGIN_AUTOLOAD"
# Folders of rules files (os.pathsep-separated), loaded with the third-party plugins.
RULES_ENV = "CLEANER_RULES"
# Without these nothing can be cleaned at all, so they refuse to be disabled.
ESSENTIAL = frozenset({"decode", "segment"})
# Built-in plugins that are off unless asked for (``enable``): the learned judge, whose
# cross-validated figures are not yet above the rules' on every set (BENCHMARKS.md, "The learned judge").
OFF_BY_DEFAULT = frozenset({"judge"})

# The roles of the built-in plugins (BUILTIN_PLUGINS).
ROLES = ("infrastructure", "detector", "judge", "site", "metadata")

# The built-in plugins, as pytest's default_plugins: (name, entry point value, role). They
# are loaded through the entry points of pyproject.toml's ``cleaner`` group, which list the
# same (a test checks); this list says what each is, for code and tests: "infrastructure"
# (load, segment, extract HTML, pick the headline), "detector" (a generic judge or revise
# hook), "judge" (the learned weigher), "site" (a site plugin), "metadata" (figures about
# the cleaned page, which decide nothing: its language, its share of prose).
BUILTIN_PLUGINS: tuple[tuple[str, str, str], ...] = (
    ("decode", "cleaner_plugins.decode", "infrastructure"),
    ("normalize", "cleaner_plugins.normalize", "infrastructure"),
    ("segment", "cleaner_plugins.segment", "infrastructure"),
    ("title", "cleaner_plugins.title", "infrastructure"),
    ("nav", "cleaner_plugins.nav", "detector"),
    ("ad", "cleaner_plugins.ad", "detector"),
    ("trending", "cleaner_plugins.trending", "detector"),
    ("related", "cleaner_plugins.related", "detector"),
    ("social", "cleaner_plugins.social", "detector"),
    ("footer", "cleaner_plugins.footer", "detector"),
    ("byline", "cleaner_plugins.byline", "detector"),
    ("caption", "cleaner_plugins.caption", "detector"),
    ("taxonomy", "cleaner_plugins.taxonomy", "detector"),
    ("duplicate", "cleaner_plugins.duplicate", "detector"),
    ("debris", "cleaner_plugins.debris", "detector"),
    ("context", "cleaner_plugins.context", "detector"),
    ("templates", "cleaner_plugins.templates", "detector"),
    ("devdiscourse", "cleaner_plugins.sites:devdiscourse", "site"),
    ("pravda", "cleaner_plugins.sites:pravda", "site"),
    ("ani", "cleaner_plugins.site_ani", "site"),
    ("html", "cleaner_plugins.html", "infrastructure"),
    ("judge", "cleaner_plugins.judge:plugin", "judge"),
    ("language", "cleaner_plugins.language", "metadata"),
    ("quality", "cleaner_plugins.quality", "metadata"),
)


def builtin_plugins(*, role: str | None = None) -> tuple[str, ...]:
    """The names of the built-in plugins, or of those of one role, in BUILTIN_PLUGINS' order.

    For "all but these": ``Cleaner(disable=builtin_plugins(role="site"))`` cleans with the
    generic rules alone.

    :raises ConfigError: ``role`` is not one of ROLES.
    """
    if role is not None and role not in ROLES:
        raise ConfigError(f"unknown plugin role {role!r} (valid: {', '.join(ROLES)})")
    return tuple(name for name, _target, r in BUILTIN_PLUGINS if role is None or r == role)


@dataclass(frozen=True)
class PluginInfo:
    """A registered plugin, as ``clean plugins`` lists it.

    :ivar name: the name it is registered (and disabled) by.
    :ivar version: its distribution's version, when it has one.
    :ivar source: ``built-in``, the installed distribution it came from, ``rules file ...``
        or ``given`` (handed to the Cleaner by the caller).
    :ivar hooks: the hooks it implements.
    """

    name: str
    version: str | None
    source: str
    hooks: tuple[str, ...]

    @property
    def builtin(self) -> bool:
        return self.source == "built-in"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "source": self.source, "hooks": list(self.hooks)}


@dataclass(frozen=True)
class _Candidate:
    name: str
    version: str | None
    source: str
    load: Any  # () -> plugin object


def _entry_point_candidates(autoload: bool) -> Iterator[_Candidate]:
    seen: set[str] = set()
    eps = sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (_dist_name(ep) != BUILTIN_DISTRIBUTION, ep.name))
    for ep in eps:
        dist = _dist_name(ep)
        builtin = dist == BUILTIN_DISTRIBUTION
        if not (builtin or autoload) or ep.name in seen:
            continue
        seen.add(ep.name)
        version = ep.dist.version if ep.dist is not None else None
        yield _Candidate(ep.name, version, "built-in" if builtin else str(dist), ep.load)


def _dist_name(ep: md.EntryPoint) -> str | None:
    return ep.dist.metadata["Name"] if ep.dist is not None else None


def autoload_enabled() -> bool:
    """False when the environment asks for the built-in plugins only."""
    return os.environ.get(AUTOLOAD_ENV, "").strip().lower() in ("", "0", "false", "no")


def build_manager(
    *,
    disable: Iterable[str] = (),
    plugins: Sequence[Any] = (),
    autoload: bool | None = None,
    builtins: bool = True,
    rules: Sequence[str | os.PathLike[str]] = (),
    enable: Iterable[str] = (),
) -> tuple[pluggy.PluginManager, tuple[PluginInfo, ...]]:
    """A fresh plugin manager with the plugins registered, and their descriptions.

    :param disable: names of plugins not to register.
    :param enable: names of built-in plugins that are off by default (OFF_BY_DEFAULT) to
        register all the same.
    :param plugins: extra plugin objects (modules, classes, instances) to register; a
        plugin's name is its ``name`` attribute, else its module or class name.
    :param autoload: load third-party plugins from entry points; None means "unless
        CLEANER_DISABLE_PLUGIN_AUTOLOAD is set".
    :param builtins: load the built-in plugins (tests turn this off to work with fakes).
    :param rules: folders of rules files (``*.toml``) or rules files, each file a plugin;
        with autoload, the folders in CLEANER_RULES are loaded too.
    """
    if autoload is None:
        autoload = autoload_enabled()
    disabled = set(disable)
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)

    candidates = list(_entry_point_candidates(autoload)) if builtins else []
    for obj in plugins:
        if isinstance(obj, RulesResource):
            obj = obj.load()
        name = plugin_name(obj)
        version, source = getattr(obj, "__version__", None), getattr(obj, "source", "given")
        candidates.append(_Candidate(name, version, source, lambda obj=obj: obj))
    env_rules = os.environ.get(RULES_ENV, "").split(os.pathsep) if autoload else []
    for path in rules_files([*rules, *env_rules]):
        rule_plugin = load_rules(path)
        candidates.append(_Candidate(rule_plugin.name, None, rule_plugin.source, lambda p=rule_plugin: p))

    known = {c.name for c in candidates}
    enabled = set(enable)
    not_off = sorted(enabled - (OFF_BY_DEFAULT & known))
    if not_off:
        raise ConfigError(f"cannot enable {not_off[0]!r}: only {', '.join(sorted(OFF_BY_DEFAULT))} is off by default")
    disabled |= (OFF_BY_DEFAULT & known) - enabled
    unknown = sorted(disabled - known)
    if unknown:
        raise ConfigError(f"cannot disable unknown plugin {unknown[0]!r} (known: {', '.join(sorted(known))})")
    blocked = sorted(disabled & ESSENTIAL & known)
    if blocked:
        raise ConfigError(f"plugin {blocked[0]!r} is essential and cannot be disabled")

    infos = []
    for cand in candidates:
        if cand.name in disabled:
            continue
        if pm.get_plugin(cand.name) is not None:
            raise ConfigError(f"two plugins are called {cand.name!r}; rename one")
        try:
            obj = cand.load()
            if isinstance(obj, RulesResource):  # an entry point naming a packaged rules file
                obj = obj.load(source=cand.source)
        except Exception as exc:  # a broken third-party install must say which one
            raise ConfigError(f"plugin {cand.name!r} ({cand.source}) failed to load: {exc}") from exc
        if isinstance(obj, RulesPlugin) and obj.name != cand.name:
            raise ConfigError(f"plugin {cand.name!r} ({cand.source}) is the rules of site {obj.name!r}; give both one name")
        try:
            pm.register(obj, name=cand.name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise ConfigError(f"plugin {cand.name!r} ({cand.source}) is invalid: {exc}") from exc
        hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(obj) or ()))
        for caller in pm.get_hookcallers(obj) or ():
            for impl in caller.get_hookimpls():
                if impl.plugin is obj and (impl.hookwrapper or impl.wrapper):
                    raise ConfigError(f"plugin {cand.name!r}: {caller.name} cannot be a wrapper; return a result instead")
        infos.append(PluginInfo(cand.name, cand.version, cand.source, hooks))
    return pm, tuple(infos)


def plugin_name(obj: Any) -> str:
    """The name a plugin object registers under."""
    name = getattr(obj, "name", None)
    if isinstance(name, str) and name:
        return name
    if isinstance(obj, type):
        return obj.__name__
    module = getattr(obj, "__name__", None)
    if isinstance(module, str):
        return module.rsplit(".", 1)[-1]
    return type(obj).__name__
