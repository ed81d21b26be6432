"""A real third-party plugin: a tiny distribution installed with pip, found by entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow  # every test uses a distribution installed with pip

PAGE = "Intro line\n\nXYZZY\n\nA paragraph that is long enough to be read as the prose of the article.\n"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build and install the distribution 'tiny-cleaner-plugin' into a target folder."""
    src = tmp_path_factory.mktemp("src")
    (src / "pyproject.toml").write_text(
        textwrap.dedent("""
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "tiny-cleaner-plugin"
        version = "1.2.3"

        [project.entry-points.cleaner]
        tiny = "tiny_cleaner_plugin"

        [tool.setuptools]
        py-modules = ["tiny_cleaner_plugin"]
    """)
    )
    (src / "tiny_cleaner_plugin.py").write_text(
        textwrap.dedent("""
        from cleaner import Category, Strength, Verdict, hookimpl

        @hookimpl
        def cleaner_judge(doc):
            return [Verdict.drop(b.index, Category.AD, "the magic word", Strength.RULE)
                    for b in doc.blocks if b.text == "XYZZY"]
    """)
    )
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    return target


def clean(target, *args, **env):
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")]), **env}
    environ.pop("CLEANER_DISABLE_PLUGIN_AUTOLOAD", None)
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "cleaner.cli", *args], input=PAGE.encode(), capture_output=True, env=environ)


def test_the_installed_plugin_is_listed_with_its_distribution(installed):
    data = json.loads(clean(installed, "plugins", "--json").stdout)
    tiny = [p for p in data if p["name"] == "tiny"]
    assert tiny == [{"name": "tiny", "version": "1.2.3", "source": "tiny-cleaner-plugin", "hooks": ["cleaner_judge"]}]
    listing = clean(installed, "plugins").stdout.decode()
    assert "tiny" in listing and "1.2.3" in listing and "devdiscourse" not in listing


def test_the_installed_plugin_runs_and_can_be_disabled(installed):
    assert "XYZZY" not in clean(installed, "-").stdout.decode()
    explain = clean(installed, "--explain", "-").stdout.decode()
    assert "[ad] XYZZY  <- the magic word (tiny)" in explain
    assert "XYZZY" in clean(installed, "--disable", "tiny", "-").stdout.decode()


def test_autoload_off_loads_only_the_builtins(installed):
    p = clean(installed, "-", CLEANER_DISABLE_PLUGIN_AUTOLOAD="1")
    assert "XYZZY" in p.stdout.decode()
