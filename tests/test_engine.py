"""The engine with small fake plugins on a fresh manager: stage order, verdicts, errors."""

from __future__ import annotations

import dataclasses

import pytest

from cleaner import (
    Category,
    Cleaner,
    ConfigError,
    Document,
    InputError,
    PluginError,
    Strength,
    Verdict,
    builtin_plugins,
    hookimpl,
)
from cleaner_plugins import segment as segment_plugin

PAGE = "Menu\n\nHeadline\n\nFirst paragraph.\nSecond paragraph.\n\nFooter"


class Dropper:
    """Drops every block whose text is in ``texts``."""

    def __init__(self, name, texts, category=Category.NAV, strength=Strength.HINT):
        self.name, self.texts, self.category, self.strength = name, texts, category, strength

    @hookimpl
    def cleaner_judge(self, doc):
        reason = f"{self.name} says so"
        return [Verdict.drop(b.index, self.category, reason, self.strength) for b in doc.blocks if b.text in self.texts]


class Keeper:
    name = "keeper"

    def __init__(self, texts, strength=Strength.HINT):
        self.texts, self.strength = texts, strength

    @hookimpl
    def cleaner_judge(self, doc):
        return [Verdict.keeping(b.index, "keeper says so", self.strength) for b in doc.blocks if b.text in self.texts]


def engine(*plugins, **options):
    """Only the segmenter plus the given fakes: no built-in rules."""
    return Cleaner(builtins=False, plugins=[segment_plugin, *plugins], **options)


def test_without_rules_everything_is_kept_and_blank_lines_survive():
    result = engine().clean(PAGE)
    assert result.text == "Menu\n\nHeadline\n\nFirst paragraph.\nSecond paragraph.\n\nFooter"
    assert result.removed == ()
    assert result.title is None


def test_verdicts_are_applied_and_stamped_with_the_plugin():
    result = engine(Dropper("menus", {"Menu"}), Dropper("feet", {"Footer"}, Category.FOOTER)).clean(PAGE)
    assert result.text == "Headline\n\nFirst paragraph.\nSecond paragraph."
    assert [(r.lineno, r.text, r.category, r.plugin) for r in result.removed] == [
        (1, "Menu", Category.NAV, "menus"),
        (8, "Footer", Category.FOOTER, "feet"),
    ]
    assert result.removed[0].reason == "menus says so"


def test_keep_wins_a_tie_and_the_stronger_verdict_wins():
    assert "Menu" in engine(Dropper("d", {"Menu"}), Keeper({"Menu"})).clean(PAGE).text
    assert "Menu" not in engine(Dropper("d", {"Menu"}, strength=Strength.RULE), Keeper({"Menu"})).clean(PAGE).text
    assert "Menu" in engine(Dropper("d", {"Menu"}, strength=Strength.RULE), Keeper({"Menu"}, Strength.FORCE)).clean(PAGE).text


def test_revisions_see_first_pass_decisions_and_are_recorded():
    seen: dict = {}

    class Reviser:
        name = "reviser"

        @hookimpl
        def cleaner_revise(self, doc, decisions):
            seen.setdefault("dropped", [d.block.text for d in decisions if not d.keep])
            return [Verdict.drop(b.index, Category.FOOTER, "the footer") for b in doc.blocks if b.text == "Footer"]

    result = engine(Dropper("d", {"Menu"}), Reviser()).clean(PAGE)
    assert seen["dropped"] == ["Menu"]
    last = result.decisions[-1]
    assert not last.keep and last.first is None and last.revised and last.verdict.plugin == "reviser"


def test_a_revision_cannot_override_a_stronger_first_pass_verdict():
    class Reviser:
        name = "reviser"

        @hookimpl
        def cleaner_revise(self, doc, decisions):
            return [Verdict.keeping(0, "context says keep")]

    assert "Menu" not in engine(Dropper("d", {"Menu"}, strength=Strength.RULE), Reviser()).clean(PAGE).text
    assert "Menu" in engine(Dropper("d", {"Menu"}), Reviser()).clean(PAGE).text


def test_stage_order_is_fixed_whatever_the_registration_order():
    calls = []

    class Late:
        name = "late"

        @hookimpl
        def cleaner_metadata(self, doc, decisions):
            calls.append("metadata")

        @hookimpl
        def cleaner_revise(self, doc, decisions):
            calls.append("revise")

        @hookimpl
        def cleaner_judge(self, doc):
            calls.append("judge")

        @hookimpl
        def cleaner_claim(self, doc):
            calls.append("claim")

    engine(Late()).clean(PAGE)
    # the first pass, then the pass over the cleaned text that checks nothing changes, then
    # the metadata of the settled decisions
    assert calls == ["claim", "judge", "revise", "judge", "revise", "metadata"]


class Site:
    """A site plugin: claims example.org and gives ``verdict(index)`` on the line ``text``."""

    name = "example"

    def __init__(self, text, verdict):
        self.text, self.verdict = text, verdict

    @hookimpl
    def cleaner_claim(self, doc):
        return "example" if doc.host == "example.org" else None

    @hookimpl
    def cleaner_judge(self, doc):
        if doc.site == "example":
            return [self.verdict(b.index) for b in doc.blocks if b.text == self.text]


def test_a_claim_names_the_site_for_the_judges():
    e = engine(Site("Menu", lambda i: Verdict.drop(i, Category.NAV, "example's menu", Strength.RULE)))
    assert e.clean(PAGE, url="https://www.example.org/a").text.startswith("Headline")
    assert e.clean(PAGE, url="https://other.org/a").text.startswith("Menu")
    assert e.clean(PAGE, url="https://www.example.org/a").metadata["site"] == "example"


def test_keep_by_request_keeps_the_category_in_the_text():
    e = engine(Dropper("d", {"Menu"}, Category.CAPTION), keep=["caption"])
    result = e.clean(PAGE)
    assert result.text.startswith("Menu")
    assert result.removed == ()
    assert result.decisions[0].kept_by_request


def test_a_failing_plugin_is_named_with_its_stage():
    class Broken:
        name = "broken"

        @hookimpl
        def cleaner_judge(self, doc):
            raise ZeroDivisionError("oops")

    with pytest.raises(PluginError, match=r"plugin 'broken' failed in cleaner_judge: ZeroDivisionError: oops") as info:
        engine(Broken()).clean(PAGE)
    assert (info.value.plugin, info.value.stage) == ("broken", "cleaner_judge")


@pytest.mark.parametrize(
    "bad, message",
    [
        (Verdict.drop(99, Category.NAV, "x"), "block 99"),
        ("not a verdict", "not a Verdict"),
        (Verdict(0, "nav", "a string, not a Category"), "unknown category"),  # type: ignore[arg-type]  # the wrong type is the test
    ],
)
def test_bad_verdicts_are_the_plugins_fault(bad, message):
    class Bad:
        name = "bad"

        @hookimpl
        def cleaner_judge(self, doc):
            return [bad]

    with pytest.raises(PluginError, match=message):
        engine(Bad()).clean(PAGE)


def test_the_document_cannot_be_changed_by_a_judge():
    attempts = []

    class Vandal:
        name = "vandal"

        @hookimpl
        def cleaner_judge(self, doc):
            for attempt in (
                lambda: setattr(doc.blocks[0], "text", "changed"),
                lambda: doc.metadata.__setitem__("title", "x"),
                lambda: setattr(doc, "blocks", ()),
                lambda: doc.blocks.append(None),
            ):
                try:
                    attempt()
                except (dataclasses.FrozenInstanceError, TypeError, AttributeError):
                    attempts.append("refused")
                else:
                    attempts.append("allowed")

    result = engine(Vandal()).clean(PAGE)
    assert attempts and set(attempts) == {"refused"} and len(attempts) % 4 == 0
    assert result.text.startswith("Menu")


def test_a_pass_over_the_cleaned_text_settles_context_decisions():
    """A line kept for its neighbours in the first pass goes when the neighbours went."""

    class Lonely:
        name = "lonely"

        @hookimpl
        def cleaner_judge(self, doc):
            # "Headline" counts as content only next to "Menu"
            texts = [b.text for b in doc.blocks]
            alone = "Menu" not in texts
            return [Verdict.drop(b.index, Category.NAV, "alone") for b in doc.blocks if b.text == "Headline" and alone]

    result = engine(Dropper("d", {"Menu"}), Lonely()).clean(PAGE)
    assert "Headline" not in result.text
    removal = [r for r in result.removed if r.text == "Headline"][0]
    assert removal.lineno == 3 and removal.reason == "alone (once the page was cleaned)"
    assert engine(Dropper("d", {"Menu"}), Lonely()).clean(result.text).text == result.text


def test_the_site_claimed_in_the_first_pass_holds_in_later_passes():
    """A site's must-keep holds although cleaning removed the fingerprint it was claimed by."""

    class Site:
        name = "site"

        @hookimpl
        def cleaner_claim(self, doc):
            return "site" if any(b.text == "Menu" for b in doc.blocks) else None

        @hookimpl
        def cleaner_judge(self, doc):
            if doc.site == "site":
                return [Verdict.keeping(b.index, "the site keeps it", Strength.FORCE) for b in doc.blocks if b.text == "Footer"]

    class Generic:
        name = "generic"

        @hookimpl
        def cleaner_judge(self, doc):
            return [Verdict.drop(b.index, Category.FOOTER, "looks like a footer") for b in doc.blocks if b.text == "Footer"]

    result = engine(Dropper("d", {"Menu"}), Site(), Generic()).clean(PAGE)
    assert result.text.endswith("Footer") and result.metadata["site"] == "site"


def test_normalize_must_keep_the_line_count():
    class Joiner:
        name = "joiner"

        @hookimpl(tryfirst=True)
        def cleaner_normalize(self, text):
            return text.replace("\n", " ")

    with pytest.raises(PluginError, match="joiner.*number of lines"):
        engine(Joiner()).clean(PAGE)


def test_the_normalizer_that_changed_the_line_count_is_the_one_named():
    class Passer:
        name = "passer"

        @hookimpl(tryfirst=True)  # called first, and returns nothing
        def cleaner_normalize(self, text):
            return None

    class Joiner:
        name = "joiner"

        @hookimpl
        def cleaner_normalize(self, text):
            return text.replace("\n", " ")

    for plugins in ((Passer(), Joiner()), (Joiner(), Passer())):
        with pytest.raises(PluginError) as info:
            engine(*plugins).clean(PAGE)
        assert info.value.plugin == "joiner" and "number of lines" in str(info.value)


def _engine_calls():
    """{hook: {engine method}} for every ``self._first/_first_named/_collect/_each("hook", ...)`` in
    cleaner/engine.py, and ``cleaner._first(...)`` and the others in its html phase, cleaner/extraction.py."""
    import ast
    import inspect

    import cleaner.engine
    import cleaner.extraction

    calls: dict[str, set[str]] = {}
    nodes = [node for module in (cleaner.engine, cleaner.extraction) for node in ast.walk(ast.parse(inspect.getsource(module)))]
    for node in nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("self", "cleaner")
            and node.func.attr in ("_first", "_first_named", "_collect", "_each")
        ):
            hook = node.args[0]
            if isinstance(hook, ast.Name) and hook.id == "hook":
                continue  # the callers' own plumbing: _first calls _first_named, which calls _each
            assert isinstance(hook, ast.Constant), f"line {node.lineno}: a hook's name is a literal"
            calls.setdefault(str(hook.value), set()).add(node.func.attr)
    return calls


def test_each_hookspecs_firstresult_flag_is_how_the_engine_calls_the_hook():
    from cleaner import hookspecs

    specs = {name: getattr(hookspecs, name) for name in dir(hookspecs) if name.startswith("cleaner_")}
    calls = _engine_calls()
    assert set(calls) == set(specs)  # the engine calls every hook, and only hooks that are specified
    for name, spec in specs.items():
        first = spec.cleaner_spec["firstresult"]
        wanted = {"_first", "_first_named"} if first else {"_collect", "_each"}
        assert calls[name] <= wanted, f"{name}: firstresult={first}, but the engine calls it with {sorted(calls[name])}"
        assert ("Stops at first non-None result." in spec.__doc__) == first, name


def test_no_hookspec_advises_a_wrapper_the_manager_refuses():
    from cleaner import hookspecs

    for name in dir(hookspecs):
        if name.startswith("cleaner_"):
            doc = getattr(hookspecs, name).__doc__
            assert "wrapper=True" not in doc.replace("wrappers are refused", ""), name
    for flag in ("wrapper", "hookwrapper"):

        class Wrapping:
            name = "wrapping"

        @hookimpl(**{flag: True})  # type: ignore[call-overload]  # the flag's name is the test's parameter
        def cleaner_normalize(text):
            return (yield)

        Wrapping.cleaner_normalize = staticmethod(cleaner_normalize)  # type: ignore[attr-defined]  # a hook set on the class
        with pytest.raises(ConfigError, match="cannot be a wrapper"):
            engine(Wrapping())


def test_essential_plugins_refuse_to_be_disabled_and_unknown_names_are_errors():
    with pytest.raises(ConfigError, match="essential"):
        Cleaner(autoload=False, disable=["segment"])
    with pytest.raises(ConfigError, match="unknown plugin 'nope'"):
        Cleaner(autoload=False, disable=["nope"])
    with pytest.raises(ConfigError, match="unknown category"):
        Cleaner(autoload=False, keep=["ads"])


def test_wrappers_are_refused():
    class Wrapper:
        name = "wrapper"

        @hookimpl(wrapper=True)
        def cleaner_judge(self, doc):
            return (yield)

    with pytest.raises(ConfigError, match="wrapper"):
        engine(Wrapper())


def test_disabling_a_builtin_removes_its_verdicts(default_cleaner):
    page = "Advertisement\n\nA sentence that is long enough to count as the prose of an article here.\n"
    assert "Advertisement" not in default_cleaner.clean(page).text
    assert "Advertisement" in Cleaner(autoload=False, disable=["ad"]).clean(page).text


def test_bytes_are_decoded_and_non_text_refused(default_cleaner):
    assert default_cleaner.clean("Ünïcödé line.".encode()).text == "Ünïcödé line."
    with pytest.raises(InputError, match="PDF"):
        default_cleaner.clean(b"%PDF-1.7 binary")
    with pytest.raises(InputError):
        default_cleaner.clean(12345)


def test_every_builtin_plugin_comes_from_the_entry_point_group(default_cleaner):
    from cleaner.manager import OFF_BY_DEFAULT

    names = {p.name for p in default_cleaner.plugins if p.builtin}
    assert set(builtin_plugins()) - OFF_BY_DEFAULT == names  # the plugins off by default are not loaded
    assert all(p.version for p in default_cleaner.plugins if p.builtin)
    enabled = Cleaner(enable=OFF_BY_DEFAULT)
    assert {p.name for p in enabled.plugins if p.builtin} == set(builtin_plugins())


def test_autoload_env_keeps_only_builtins(monkeypatch):
    monkeypatch.setenv("CLEANER_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert all(p.builtin for p in Cleaner().plugins)


def test_documents_count_repeated_lines():
    doc = Document(tuple(segment_plugin.cleaner_segment("a\nA\nb", "a\nA\nb")))
    assert doc.counts["a"] == 2 and doc.counts["b"] == 1


def test_document_metadata_is_read_only_all_the_way_down():
    doc = Document((), metadata={"captions": ["a"], "nested": {"tags": ["x"]}})
    with pytest.raises(AttributeError):
        doc.metadata["captions"].append("b")
    with pytest.raises(TypeError):
        doc.metadata["nested"]["tags"] = []
    assert doc.metadata["captions"] == ("a",)


class Weigher:
    """A fake learned judge: drops the blocks in ``drop``, keeps every other block."""

    name = "weigher"

    def __init__(self, drop=()):
        self.drop, self.seen = set(drop), []

    @hookimpl
    def cleaner_weigh(self, doc, decisions, evidence):
        self.seen.append(evidence)
        return [
            Verdict.drop(b.index, Category.RELATED, "weigher says so")
            if b.text in self.drop
            else Verdict.keeping(b.index, "weigher keeps")
            for b in doc.blocks
        ]


def test_a_weigher_decides_after_revision_and_overrules_the_generic_rules():
    w = Weigher(drop={"Footer"})
    result = engine(Dropper("menus", {"Menu"}, strength=Strength.RULE), w).clean(PAGE)
    assert result.text.startswith("Menu")  # a generic RULE is evidence, not a last word
    assert [(r.text, r.category, r.plugin) for r in result.removed] == [("Footer", Category.RELATED, "weigher")]
    first = w.seen[0]
    assert [(plugin, v.index, v.category) for plugin, v in first.judged] == [("menus", 0, Category.NAV)]
    assert first.revised == () and first.claimant is None


def test_a_weigher_never_overrules_force_or_the_claiming_sites_rules():
    site = Site("Footer", lambda i: Verdict.keeping(i, "the site keeps its footer", Strength.RULE))
    e = engine(site, Dropper("forced", {"Menu"}, strength=Strength.FORCE), Weigher(drop={"Footer"}))
    claimed = e.clean(PAGE, url="https://example.org/a")
    assert "Footer" in claimed.text and "Menu" not in claimed.text
    assert [r.plugin for r in claimed.removed] == ["forced"]
    # the same keep verdict from a plugin that is not the claiming site is overruled
    generic = engine(Keeper({"Footer"}, Strength.RULE), Weigher(drop={"Footer"}))
    assert "Footer" not in generic.clean(PAGE, url="https://example.org/a").text


def test_without_a_weigher_the_rules_alone_decide_and_the_stage_is_skipped():
    result = engine(Dropper("menus", {"Menu"})).clean(PAGE)
    assert [r.plugin for r in result.removed] == ["menus"]


def test_a_claim_by_url_outranks_a_claim_by_fingerprint():
    class Fingerprinted:
        """Claims any page that shows "Menu" (registered last: asked first by pluggy)."""

        name = "fingerprinted"

        @hookimpl
        def cleaner_claim(self, doc):
            return "fingerprinted" if any(b.text == "Menu" for b in doc.blocks) else None

    e = engine(Site("Menu", lambda i: Verdict.drop(i, Category.NAV, "example's menu", Strength.RULE)), Fingerprinted())
    assert e.clean(PAGE, url="https://example.org/a").metadata["site"] == "example"
    assert e.clean(PAGE, url="https://other.org/a").metadata["site"] == "fingerprinted"
    assert e.clean(PAGE).metadata["site"] == "fingerprinted"
