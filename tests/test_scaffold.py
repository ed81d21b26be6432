"""clean new-plugin: the package it creates installs, and its own tests pass out of the box."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cleaner import ConfigError
from cleaner.cli import SUBCOMMANDS, commands, main
from cleaner.scaffold import create_plugin


def install(package, target):
    """pip-install the generated package (no network, no dependencies) into ``target``."""
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
            str(package),
        ],
        check=True,
        capture_output=True,
    )


def env_with(target):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH", "")]))}
    env.pop("CLEANER_RULES", None)
    env["PYTHONSAFEPATH"] = "1"  # import the installed package, not the source folder beside the tests
    return env


def run_its_tests(package, target):
    """The generated package's own test suite, as its author runs it (in its folder)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=package,
        capture_output=True,
        text=True,
        env=env_with(target),
    )


@pytest.mark.slow
@pytest.mark.parametrize("python", [False, True], ids=["rules", "python"])
def test_the_generated_package_installs_and_its_tests_pass(tmp_path, python):
    package = create_plugin("harbour-news", directory=tmp_path, python=python)
    target = tmp_path / "site"
    install(package, target)
    run = run_its_tests(package, target)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
    # installed, it is found through its entry point like any plugin
    listing = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "plugins"], capture_output=True, text=True, env=env_with(target)
    ).stdout
    assert listing.startswith("harbour-news") and "cleaner-harbour-news" in listing


@pytest.mark.slow
def test_the_generated_tests_fail_when_the_plugin_misbehaves(tmp_path):
    package = create_plugin("harbour", directory=tmp_path)
    target = tmp_path / "site"
    install(package, target)
    rules = target / "cleaner_harbour" / "harbour.toml"
    changed = rules.read_text(encoding="utf-8").replace('prefix = "Sponsored:"', 'prefix = "Sponsor-ed:"')
    rules.write_text(changed, encoding="utf-8")
    run = run_its_tests(package, target)
    assert run.returncode == 1
    assert "-Sponsored: Explore the coast" not in run.stdout  # it is an extra line, not a missing one
    assert "+Sponsored: Explore the coast with Seaway Tours" in run.stdout
    assert "must_drop text 'Sponsored:' as ad" in run.stdout


def test_the_package_has_what_the_issue_lists(tmp_path):
    package = create_plugin("mysite", directory=tmp_path)
    files = sorted(str(p.relative_to(package)) for p in package.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "cleaner_mysite/__init__.py",
        "cleaner_mysite/mysite.toml",
        "fixtures/mysite-example.case.toml",
        "fixtures/mysite-example.expected.txt",
        "fixtures/mysite-example.txt",
        "pyproject.toml",
        "tests/test_golden.py",
    ]
    pyproject = (package / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.cleaner]\nmysite = "cleaner_mysite:RULES"' in pyproject
    python = create_plugin("mysite", directory=tmp_path / "py", python=True)
    assert not (python / "cleaner_mysite" / "mysite.toml").exists()
    assert 'mysite = "cleaner_mysite"' in (python / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["MySite", "1site", "my site", "a/b", "", "x" * 41])
def test_a_bad_name_is_refused(tmp_path, name):
    with pytest.raises(ConfigError, match="bad plugin name"):
        create_plugin(name, directory=tmp_path)


def test_an_existing_folder_is_never_overwritten(tmp_path):
    create_plugin("mysite", directory=tmp_path)
    readme = tmp_path / "cleaner-mysite" / "README.md"
    readme.write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match="exists already"):
        create_plugin("mysite", directory=tmp_path)
    assert readme.read_text(encoding="utf-8") == "mine"


def test_the_command_creates_the_package_and_reports_errors_in_one_line(tmp_path):
    assert "new-plugin" in SUBCOMMANDS
    runner = CliRunner()
    made = runner.invoke(commands, ["new-plugin", "mysite", "--python", "--dir", str(tmp_path)])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "cleaner-mysite" / "cleaner_mysite" / "__init__.py").is_file()
    assert "pip install -e" in made.output
    again = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "new-plugin", "mysite", "--dir", str(tmp_path)], capture_output=True, text=True
    )
    assert again.returncode == 2
    assert again.stderr == f"clean: {tmp_path / 'cleaner-mysite'} exists already; choose another name or --dir\n"


def test_the_main_help_names_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "clean new-plugin NAME" in capsys.readouterr().out
