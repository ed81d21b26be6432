"""Faulty plugins: one that raises is named with its stage, one that hangs is stopped by the
time limit, one that tries to change the page cannot change what the others see.

The CLI tests install a real third-party plugin (a module and its dist-info on PYTHONPATH,
found through the ``cleaner`` entry-point group) and run ``clean`` in a child process.
"""

from __future__ import annotations

import dataclasses
import operator
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from cleaner import Category, Cleaner, ConfigError, PageTimeout, PluginError, Verdict, hookimpl, timelimit

ARTICLE = "The minister said on Tuesday that the talks with the partners would continue through the winter."
PAGE = f"Headline of the story\n\n{ARTICLE}\n\nAdvertisement\n"
HAS_TIMER = hasattr(signal, "setitimer")


def engine(*plugins, **options):
    return Cleaner(autoload=False, plugins=list(plugins), **options)


# -- a plugin that raises ---------------------------------------------------------------


class Raiser:
    """Raises in one hook; as a plain function or while yielding verdicts."""

    def __init__(self, hook: str, generator: bool = False):
        self.name = f"raiser-{hook.removeprefix('cleaner_')}"
        self.hook, self.generator = hook, generator

    def fail(self):
        raise ValueError(f"boom in {self.hook}")

    def gen(self, doc):
        yield Verdict.drop(0, Category.NAV, "first")
        self.fail()


HOOK_ARGS = {
    "cleaner_decode": "data",
    "cleaner_normalize": "text",
    "cleaner_segment": "raw, normalized",
    "cleaner_claim": "doc",
    "cleaner_judge": "doc",
    "cleaner_revise": "doc, decisions",
    "cleaner_title": "doc, decisions",
    "cleaner_metadata": "doc, decisions",
}


def raiser(hook: str, generator: bool = False) -> Raiser:
    """A Raiser whose ``hook`` (with the hook's own argument names) fails."""
    body = "return self.gen(doc)" if generator else "self.fail()"
    namespace: dict = {}
    exec(f"def {hook}(self, {HOOK_ARGS[hook]}):\n    {body}\n", namespace)
    cls = type(f"Raiser_{hook}", (Raiser,), {hook: hookimpl(tryfirst=True)(namespace[hook])})
    return cls(hook, generator)


@pytest.mark.parametrize(
    "hook",
    sorted(HOOK_ARGS),
)
def test_a_raising_plugin_is_named_with_its_stage(hook):
    plugin = raiser(hook)
    with pytest.raises(PluginError) as info:
        engine(plugin).clean(PAGE.encode())
    assert info.value.plugin == plugin.name and info.value.stage == hook
    assert str(info.value) == f"plugin {plugin.name!r} failed in {hook}: ValueError: boom in {hook}"


@pytest.mark.parametrize("hook", ["cleaner_judge", "cleaner_revise"])
def test_a_generator_plugin_that_raises_while_yielding_is_named(hook):
    plugin = raiser(hook, generator=True)
    with pytest.raises(PluginError, match=rf"plugin '{plugin.name}' failed in {hook}: ValueError: boom"):
        engine(plugin).clean(PAGE)


def test_after_a_plugin_error_the_cleaner_cleans_the_next_page():
    class SometimesFails:
        name = "sometimes"

        @hookimpl
        def cleaner_judge(self, doc):
            if any("explode" in b.text for b in doc.blocks):
                raise RuntimeError("bad page")

    cleaner = engine(SometimesFails())
    with pytest.raises(PluginError):
        cleaner.clean("explode\n\n" + PAGE)
    assert ARTICLE in cleaner.clean(PAGE).text


# -- a plugin that hangs ------------------------------------------------------------------


class Hanger:
    """Never returns: a busy loop, a sleep, a regex that backtracks forever, or a generator."""

    def __init__(self, how: str):
        self.name = f"hang-{how}"
        self.how = how

    @hookimpl
    def cleaner_judge(self, doc):
        if self.how == "generator":
            return self._forever()
        if self.how == "loop":
            n = 0
            while True:
                n += 1
        if self.how == "sleep":
            time.sleep(3600)
        if self.how == "regex":
            re.match(r"(a|aa)+$", "a" * 200 + "b")
        if self.how == "swallow-once":
            try:
                time.sleep(3600)
            except BaseException:  # noqa: BLE001 - a careless plugin
                pass
            time.sleep(3600)
        return None

    def _forever(self):
        while True:
            yield from ()


needs_timer = pytest.mark.skipif(not HAS_TIMER, reason="no signal.setitimer on this system")


@needs_timer
@pytest.mark.parametrize("how", ["loop", "sleep", "regex", "generator", "swallow-once"])
def test_a_hanging_plugin_is_stopped_by_the_time_limit(how):
    cleaner = engine(Hanger(how), time_limit=0.2)
    started = time.monotonic()
    with pytest.raises(PageTimeout) as info:
        cleaner.clean(PAGE)
    assert time.monotonic() - started < 5
    assert str(info.value) == f"the page took longer than 0.2s; the time ran out in plugin 'hang-{how}' (cleaner_judge)"
    assert (info.value.plugin, info.value.stage) == (f"hang-{how}", "cleaner_judge")


@needs_timer
def test_the_timer_is_cleared_and_the_previous_handler_put_back():
    def mine(signum, frame):  # pragma: no cover - never called
        raise AssertionError("the caller's handler ran")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        cleaner = engine(Hanger("loop"), time_limit=0.1)
        with pytest.raises(PageTimeout):
            cleaner.clean(PAGE)
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        # a page within the limit leaves no timer behind either
        assert ARTICLE in engine(time_limit=5).clean(PAGE).text
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)


@needs_timer
def test_after_a_timeout_the_same_cleaner_cleans_the_next_page():
    class HangsOnMarker:
        name = "marker"

        @hookimpl
        def cleaner_judge(self, doc):
            while any(b.text == "hang here" for b in doc.blocks):
                pass

    cleaner = engine(HangsOnMarker(), time_limit=0.2)
    with pytest.raises(PageTimeout, match="plugin 'marker'"):
        cleaner.clean("hang here\n\n" + PAGE)
    assert ARTICLE in cleaner.clean(PAGE).text


class Slow:
    name = "slow"

    def __init__(self, seconds):
        self.seconds, self.finished = seconds, False

    @hookimpl
    def cleaner_judge(self, doc):
        time.sleep(self.seconds)
        self.finished = True


@needs_timer
def test_the_callers_own_timer_is_left_alone_and_the_limit_is_checked_between_plugins():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        slow = Slow(0.3)
        with pytest.raises(PageTimeout, match=r"longer than 0\.1s; the time ran out in plugin 'slow' \(cleaner_judge\)"):
            engine(slow, time_limit=0.1).clean(PAGE)
        assert slow.finished  # cooperative: the plugin ran to its end, then the page stopped
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_off_the_main_thread_the_limit_is_checked_after_each_plugin():
    outcome = []

    def work():
        try:
            engine(Slow(0.3), time_limit=0.1).clean(PAGE)
            outcome.append("no error")
        except PageTimeout as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(10)
    assert outcome == ["the page took longer than 0.1s; the time ran out in plugin 'slow' (cleaner_judge)"]


def test_a_page_within_the_limit_is_cleaned_as_without_one():
    assert engine(time_limit=30).clean(PAGE).text == engine().clean(PAGE).text


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "5", True])
def test_a_bad_time_limit_is_a_config_error(bad):
    with pytest.raises(ConfigError, match="time limit must be a positive number"):
        engine(time_limit=bad)


@needs_timer
def test_a_cleaner_used_inside_a_plugin_does_not_take_the_outer_timeout():
    inner = Cleaner(autoload=False)

    class Nested:
        name = "nested"

        @hookimpl
        def cleaner_judge(self, doc):
            inner.clean(PAGE)  # no limit of its own
            while True:
                pass

    with pytest.raises(PageTimeout, match="plugin 'nested'"):
        engine(Nested(), time_limit=0.2).clean(PAGE)
    assert timelimit.current() is None


# -- a plugin that tries to change the page ----------------------------------------------


class Vandal:
    """Tries every way to change the page it is given, and records what failed."""

    name = "vandal"
    attempts = (
        ("set a block's text", lambda doc: setattr(doc.blocks[0], "text", "VANDALISED")),
        ("replace the blocks", lambda doc: setattr(doc, "blocks", ())),
        ("assign into the blocks", lambda doc: operator.setitem(doc.blocks, 0, None)),
        ("append a block", lambda doc: doc.blocks.append(None)),
        ("set metadata", lambda doc: operator.setitem(doc.metadata, "title", "VANDALISED")),
        ("delete metadata", lambda doc: operator.delitem(doc.metadata, "title")),
        ("clear metadata", lambda doc: doc.metadata.clear()),
        ("replace metadata", lambda doc: setattr(doc, "metadata", {"title": "VANDALISED"})),
        ("set the site", lambda doc: setattr(doc, "site", "vandal")),
        ("replace counts", lambda doc: setattr(doc, "counts", {})),
        ("replace a block", lambda doc: dataclasses.replace(doc.blocks[0], text="VANDALISED")),
    )

    def __init__(self):
        self.failed: list[str] = []

    @hookimpl(tryfirst=True)
    def cleaner_judge(self, doc):
        for what, attempt in self.attempts:
            try:
                attempt(doc)
            except (AttributeError, TypeError, dataclasses.FrozenInstanceError):
                self.failed.append(what)
        return None

    @hookimpl(tryfirst=True)
    def cleaner_revise(self, doc, decisions):
        try:
            decisions[0] = None
        except TypeError:
            self.failed.append("assign into the decisions")
        try:
            decisions[0].block.text = "VANDALISED"
        except dataclasses.FrozenInstanceError:
            self.failed.append("set a decided block's text")
        return None


class Witness:
    """Records what it sees, after the vandal ran."""

    name = "witness"

    def __init__(self):
        self.seen: list = []

    @hookimpl(trylast=True)
    def cleaner_judge(self, doc):
        self.seen.append(([b.text for b in doc.blocks], dict(doc.metadata), doc.site, dict(doc.counts)))

    @hookimpl(trylast=True)
    def cleaner_revise(self, doc, decisions):
        self.seen.append([d.block.text for d in decisions])


def test_a_plugin_cannot_change_what_the_other_plugins_see():
    vandal, witness = Vandal(), Witness()
    html = (
        "<html><head><title>Headline of the story</title></head>"
        f"<body><article><h1>Headline of the story</h1><p>{ARTICLE}</p></article></body></html>"
    )
    result = engine(vandal, witness).clean(html, kind="html")
    plain = engine(Witness()).clean(html, kind="html")
    assert set(vandal.failed) == {what for what, _ in Vandal.attempts if what != "replace a block"} | {
        "assign into the decisions",
        "set a decided block's text",
    }
    texts, metadata, site, counts = witness.seen[0]
    assert "VANDALISED" not in repr(witness.seen)
    assert metadata["title"] == "Headline of the story" and site is None
    assert texts == [d.block.text for d in result.decisions]
    assert result.text == plain.text and ARTICLE in result.text


def test_a_plugin_returning_something_else_than_verdicts_is_named():
    class ReturnsText:
        name = "texty"

        @hookimpl
        def cleaner_judge(self, doc):
            return 42

    with pytest.raises(PluginError, match="plugin 'texty' failed in cleaner_judge: returned int, not verdicts"):
        engine(ReturnsText()).clean(PAGE)


# -- through the command line, with a real installed plugin ----------------------------------


def install_plugin(tmp_path, name: str, source: str):
    """A third-party plugin distribution on a PYTHONPATH folder; the env to run ``clean`` with."""
    site = tmp_path / "site"
    info = site / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[cleaner]\n{name} = {name}_module\n")
    (site / f"{name}_module.py").write_text(textwrap.dedent(source))
    env = {k: v for k, v in os.environ.items() if k != "CLEANER_DISABLE_PLUGIN_AUTOLOAD"}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    return env


def run_clean(env, *args, timeout=60):
    return subprocess.run([sys.executable, "-m", "cleaner.cli", *map(str, args)], capture_output=True, env=env, timeout=timeout)


def pages(tmp_path, *texts):
    paths = []
    for n, text in enumerate(texts):
        path = tmp_path / f"page{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_cli_names_a_raising_plugin_and_its_stage_in_one_line(tmp_path):
    env = install_plugin(
        tmp_path,
        "grumpy",
        """
        from cleaner import hookimpl

        @hookimpl
        def cleaner_judge(doc):
            for block in doc.blocks:
                if "grumpy" in block.text:
                    raise KeyError("cannot stand it")
                yield from ()
        """,
    )
    bad, good = pages(tmp_path, "grumpy line\n\n" + PAGE, PAGE)
    p = run_clean(env, bad, good)
    err = p.stderr.decode().splitlines()
    assert p.returncode == 1
    assert err == [
        f"clean: {bad}: plugin 'grumpy' failed in cleaner_judge: KeyError: 'cannot stand it'",
        "clean: 1 of 2 inputs failed",
    ]
    assert ARTICLE in p.stdout.decode()
    assert b"Traceback" not in p.stderr


@needs_timer
def test_cli_timeout_stops_a_hanging_plugin_and_goes_on_to_the_next_file(tmp_path):
    env = install_plugin(
        tmp_path,
        "sleepy",
        """
        from cleaner import hookimpl

        @hookimpl
        def cleaner_judge(doc):
            while any(b.text == "sleep now" for b in doc.blocks):
                pass
        """,
    )
    hang, good = pages(tmp_path, "sleep now\n\n" + PAGE, PAGE)
    started = time.monotonic()
    p = run_clean(env, "--timeout", "0.5", hang, good)
    assert time.monotonic() - started < 30
    assert p.returncode == 1
    assert p.stderr.decode().splitlines() == [
        f"clean: {hang}: the page took longer than 0.5s; the time ran out in plugin 'sleepy' (cleaner_judge)",
        "clean: 1 of 2 inputs failed",
    ]
    assert ARTICLE in p.stdout.decode()


@pytest.mark.parametrize("value", ["0", "-3", "soon", "1e9"])
def test_cli_rejects_a_bad_timeout_as_a_usage_error(value):
    p = run_clean({**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}, "--timeout", value, "-")
    assert p.returncode == 2
    assert b"--timeout" in p.stderr and b"Traceback" not in p.stderr


def test_cli_help_documents_the_timeout():
    p = run_clean({**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}, "--help")
    assert b"--timeout SECONDS" in p.stdout
