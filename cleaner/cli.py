"""The ``clean`` command. Only this module prints messages and picks exit codes.

``clean FILE...`` cleans pages; ``clean plugins`` and the other subcommands sit beside it.
A subcommand is recognised only as the exact first word, so ``clean ./plugins`` cleans a
file called ``plugins``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Sequence

import click

from cleaner import __version__
from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, InputError
from cleaner.model import Category, Kind, Result

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
CATEGORY_NAMES = [c.value for c in Category]


def fail(message: str) -> None:
    """One line on stderr, prefixed with the command's name."""
    click.echo(f"clean: {message}", err=True)


def read_input(path: str) -> tuple[bytes, str | None]:
    """The bytes of a file (or stdin for ``-``) and the name to sniff by; InputError if unreadable."""
    if path == "-":
        return sys.stdin.buffer.read(), None
    if os.path.isdir(path):
        raise InputError("is a directory (give files, or use -o OUT/ to clean a folder)")
    try:
        with open(path, "rb") as fh:
            return fh.read(), path
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None


# -- rendering -----------------------------------------------------------------------

_COLOURS = {"keep": "green", "drop": "red", "request": "yellow"}


def render_explain(result: Result) -> str:
    """Every line of the page: kept (+) or dropped (-), with category, reason and plugin."""
    lines: list[str] = []
    for note in result.notes:
        lines.append(click.style(f"# {note}", dim=True))
    last = 0
    width = len(str(result.decisions[-1].block.lineno)) if result.decisions else 1
    for d in result.decisions:
        b = d.block
        for gap in range(last + 1, b.lineno):
            lines.append(f"{gap:>{width}}")
        last = b.lineno
        v = d.verdict
        if d.keep:
            why = ""
            if d.kept_by_request and v is not None and v.category is not None:
                why = click.style(f"  [{v.category}, kept by request] {v.reason} ({v.plugin})", fg=_COLOURS["request"])
            elif v is not None:
                why = click.style(f"  [kept] {v.reason} ({v.plugin})", dim=True)
            mark = "T" if d.block.index == result.title_index else "+"
            lines.append(f"{b.lineno:>{width}} {click.style(mark, fg=_COLOURS['keep'])} {b.text}{why}")
        else:
            assert v is not None and v.category is not None
            revised = ""
            if d.first is not None and d.first is not v:
                revised = f"; first pass: {'keep' if d.first.keep else d.first.category}"
            label = click.style(f"[{v.category}]", fg=_COLOURS["drop"], bold=True)
            reason = click.style(f"  <- {v.reason} ({v.plugin}{revised})", dim=True)
            lines.append(f"{b.lineno:>{width}} {click.style('-', fg=_COLOURS['drop'])} {label} {click.style(b.text, dim=True)}{reason}")
    return "\n".join(lines)


def render_json(result: Result, source: str | None, pretty: bool) -> str:
    data: dict[str, Any] = {"source": source, **result.to_dict()}
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None)


# -- the clean command ---------------------------------------------------------------

SUBCOMMANDS_HELP = """\b
Other commands (the exact first word; ./plugins is a file):
  clean plugins [--all] [--json]   list the plugins, their versions and hooks
"""


@click.command(
    name="clean",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=SUBCOMMANDS_HELP,
)
@click.argument("files", nargs=-1, metavar="[FILE]...")
@click.option("--kind", type=click.Choice(["auto", "text", "html"]), default="auto", show_default=True,
              help="What the input is: page text, HTML, or auto to tell by name and content.")
@click.option("--url", metavar="URL", help="The page's URL: lets a site plugin claim the page.")
@click.option("--explain", is_flag=True, help="Show every line, kept (+) or dropped (-), with category, reason and plugin.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text prints the article; json prints title, body, text, metadata and every removal.")
@click.option("--keep", "keep", multiple=True, type=click.Choice(CATEGORY_NAMES), metavar="CATEGORY",
              help=f"Keep this category in the text (repeatable): {', '.join(CATEGORY_NAMES)}.")
@click.option("--disable", multiple=True, metavar="PLUGIN", help="Do not use this plugin (repeatable); see 'clean plugins'.")
@click.option("--color/--no-color", "color", default=None, help="Colour --explain output (default: only on a terminal).")
@click.version_option(__version__, "--version", prog_name="clean", message="%(prog)s %(version)s")
def clean_command(files: Sequence[str], kind: str, url: str | None, explain: bool, fmt: str, keep: Sequence[str],
                  disable: Sequence[str], color: bool | None) -> None:
    """Print the article of each page FILE: headline, then body, without the boilerplate.

    FILE is a page's text (a browser copy, a crawler's text dump) or its HTML; '-' or
    nothing reads standard input. Several files are cleaned in turn, each under a
    '==> FILE <==' header.

    \b
    Examples:
      clean page.txt                     the article
      clean --explain page.txt           why each line was kept or dropped
      clean --format json page.html      title, body, metadata and removals as JSON
      curl -s URL | clean --kind html --url URL -
    """
    try:
        cleaner = Cleaner(keep=keep, disable=disable)
    except CleanerError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    paths = list(files) or ["-"]
    failures = 0
    several = len(paths) > 1
    for n, path in enumerate(paths):
        name = "<stdin>" if path == "-" else path
        try:
            data, filename = read_input(path)
            result = cleaner.clean(data, url=url, kind=None if kind == "auto" else Kind(kind), filename=filename)
        except CleanerError as exc:
            fail(f"{name}: {exc}")
            failures += 1
            continue
        if fmt == "json":
            click.echo(render_json(result, name, pretty=not several))
            continue
        if several:
            click.echo(("\n" if n else "") + f"==> {name} <==")
        if explain:
            click.echo(render_explain(result), color=color)
        else:
            click.echo(result.text)
    if failures:
        if several:
            fail(f"{failures} of {len(paths)} inputs failed")
        sys.exit(EXIT_FAILED)


# -- subcommands ---------------------------------------------------------------------


@click.group(name="clean", context_settings={"help_option_names": ["-h", "--help"]})
def commands() -> None:
    """cleaner's commands besides cleaning."""


@commands.command(name="plugins")
@click.option("--all", "show_all", is_flag=True, help="Include the built-in plugins.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per plugin.")
def plugins_command(show_all: bool, as_json: bool) -> None:
    """List the plugins: name, version, where each comes from, and its hooks.

    The built-in plugins are listed with --all (and always in --json).
    """
    try:
        cleaner = Cleaner()
    except CleanerError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    infos = cleaner.plugins
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in infos], indent=2))
        return
    shown = [i for i in infos if show_all or not i.builtin]
    if not shown:
        click.echo("No third-party plugins installed; 'clean plugins --all' lists the built-ins.")
        return
    width = max(len(i.name) for i in shown)
    for info in shown:
        hooks = ", ".join(h.removeprefix("cleaner_") for h in info.hooks)
        click.echo(f"{info.name:<{width}}  {info.version or '-':<8}  {info.source:<16}  {hooks}")


SUBCOMMANDS = frozenset(commands.commands)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: a subcommand when the first word names one, else clean files."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        commands.main(args, prog_name="clean")
    else:
        clean_command.main(args, prog_name="clean")


if __name__ == "__main__":  # pragma: no cover
    main()
