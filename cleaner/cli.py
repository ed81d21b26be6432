"""The ``clean`` command. Only it prints messages and picks exit codes (with its parts:
``cleaner.cli_common``, the batch runs in ``cleaner.cli_batch``, ``clean learn-templates``
in ``cleaner.cli_templates``).

``clean FILE...`` cleans pages; ``clean plugins`` and the other subcommands sit beside it.
A subcommand is recognised only as the exact first word, so ``clean ./plugins`` cleans a
file called ``plugins``.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

import click

from cleaner import __version__
from cleaner.cli_batch import batch_options, clean_batch, wants_batch
from cleaner.cli_common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail, stdout_closed
from cleaner.cli_templates import learn_templates_command
from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, InputError
from cleaner.manager import OFF_BY_DEFAULT
from cleaner.model import Category, Decision, Kind, Result, Verdict
from cleaner.sources import Task, TaskMode

CATEGORY_NAMES = [c.value for c in Category]


def read_input(path: str, stdin: BinaryIO | None = None) -> tuple[bytes, str | None]:
    """The bytes of a file (or stdin for ``-``) and the name to sniff by; InputError if unreadable."""
    if path == "-":
        return (stdin or sys.stdin.buffer).read(), None
    if os.path.isdir(path):
        raise InputError("is a directory (give files, or use -o OUT/ to clean a folder)")
    page = Task(0, path, TaskMode.PAGE, path=path)  # a .gz, .zst, .bz2 or .xz page decompressed
    data = page.read()  # bytes: the task has a path, no content of its own
    return (data if isinstance(data, bytes) else data.encode("utf-8")), page.filename


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
            mark = click.style("-", fg=_COLOURS["drop"])
            lines.append(f"{b.lineno:>{width}} {mark} {label} {click.style(b.text, dim=True)}{reason}")
    return "\n".join(lines)


def _verdict_dict(verdict: Verdict | None) -> dict[str, Any]:
    if verdict is None:
        return {"keep": True, "category": None, "reason": None, "plugin": None}
    category = verdict.category.value if verdict.category is not None else None
    return {"keep": verdict.keep, "category": category, "reason": verdict.reason, "plugin": verdict.plugin}


def decision_dict(decision: Decision, title_index: int | None) -> dict[str, Any]:
    """One line of ``--explain --format json``: the line, kept or not, and the verdict that decided."""
    block = decision.block
    out: dict[str, Any] = {"line": block.lineno, "text": block.text, **_verdict_dict(decision.verdict)}
    out["keep"] = decision.keep
    out["headline"] = block.index == title_index
    out["kept_by_request"] = decision.kept_by_request
    out["first_pass"] = _verdict_dict(decision.first) if decision.revised and decision.first is not None else None
    return out


def json_with_decisions(result: Result, extra: dict[str, Any], indent: int | None) -> Iterator[str]:
    """The JSON of ``--format json`` with one more member, ``decisions`` (every line), in pieces."""
    chunks = iter(result.json_chunks(extra, indent=indent))
    last = next(chunks)
    for chunk in chunks:
        yield last
        last = chunk
    close = "\n}" if indent else "}"
    yield last[: -len(close)]
    dump = functools.partial(json.dumps, ensure_ascii=False, indent=indent)
    pad = " " * (indent or 0)
    yield f',\n{pad}"decisions": [' if indent else ', "decisions": ['
    for n, decision in enumerate(result.decisions):
        item = dump(decision_dict(decision, result.title_index))
        yield (",\n" if n else "\n") + pad * 2 + item.replace("\n", "\n" + pad * 2) if indent else (", " if n else "") + item
    yield (f"\n{pad}]" if indent and result.decisions else "]") + close


def echo_json(result: Result, source: str | None, pretty: bool, *, decisions: bool = False) -> None:
    """Print the result as JSON, a part at a time (a long page's removals are never all
    held as one string), and a newline; with ``decisions``, every line's decision too."""
    batch: list[str] = []
    size = 0
    indent = 2 if pretty else None
    extra = {"source": source}
    chunks = json_with_decisions(result, extra, indent) if decisions else result.json_chunks(extra, indent=indent)
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            click.echo("".join(batch), nl=False)
            batch, size = [], 0
    click.echo("".join(batch))


# -- the clean command ---------------------------------------------------------------

SUBCOMMANDS_HELP = """\b
Other commands (the exact first word; ./plugins is a file):
  clean plugins [--all] [--json]   list the plugins, their versions and hooks
  clean new-plugin NAME [--python] [--dir DIR]
                                   create a site plugin package, tested out of the box
  clean learn-templates PAGES... -o FILE
                                   learn the sites' templates, for --templates FILE
"""


@click.command(
    name="clean",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=SUBCOMMANDS_HELP,
)
@click.argument("files", nargs=-1, metavar="[FILE]...")
@click.option(
    "--kind",
    type=click.Choice(["auto", "text", "html"]),
    default="auto",
    show_default=True,
    help="What the input is: page text, HTML, or auto to tell by name and content.",
)
@click.option("--url", metavar="URL", help="The page's URL: lets a site plugin claim the page.")
@click.option("--explain", is_flag=True, help="Show every line, kept (+) or dropped (-), with category, reason and plugin.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text prints the article; json prints title, body, text, metadata and every removal "
    "(with --explain, every line's decision too; for JSONL records, the whole result in each); "
    "markdown prints the article as Markdown: headings, lists, tables, quotes and code of an HTML "
    "page (into a folder: NAME.md files; JSONL records get a markdown field).",
)
@click.option("--links", is_flag=True, help="With --format markdown, an HTML page's links: [text](href).")
@click.option("--images", is_flag=True, help="With --format markdown, an HTML page's images: ![alt](src).")
@click.option(
    "--keep",
    "keep",
    multiple=True,
    type=click.Choice(CATEGORY_NAMES),
    metavar="CATEGORY",
    help=f"Keep this category in the text (repeatable): {', '.join(CATEGORY_NAMES)}.",
)
@click.option("--disable", multiple=True, metavar="PLUGIN", help="Do not use this plugin (repeatable); see 'clean plugins'.")
@click.option(
    "--enable",
    multiple=True,
    metavar="PLUGIN",
    type=click.Choice(sorted(OFF_BY_DEFAULT)),
    help="Use a built-in plugin that is off by default: judge, the learned judge (an experiment, "
    "not yet above the rules on every benchmark set; BENCHMARKS.md).",
)
@click.option(
    "--rules",
    "rules",
    multiple=True,
    metavar="DIR",
    help="Load the site rules files (*.toml) in DIR (repeatable); CLEANER_RULES lists more folders.",
)
@click.option(
    "--templates",
    "templates",
    metavar="FILE",
    help="Clean with the site templates in FILE (written by 'clean learn-templates'): a line on many "
    "of its site's pages goes. A page's site is its URL's host (--url, --url-field, WARC), else its folder.",
)
@click.option("--color/--no-color", "color", default=None, help="Colour --explain output (default: only on a terminal).")
@click.option(
    "--timeout",
    "timeout",
    type=click.FloatRange(min=0, min_open=True, max=86_400),
    default=None,
    metavar="SECONDS",
    help="Stop a page that takes longer (a plugin that hangs): one error line, "
    "and on to the next file. "
    "In a batch: 120 unless given.",
)
@batch_options
@click.version_option(__version__, "--version", prog_name="clean", message="%(prog)s %(version)s")
def clean_command(
    files: Sequence[str],
    kind: str,
    url: str | None,
    explain: bool,
    fmt: str,
    keep: Sequence[str],
    disable: Sequence[str],
    color: bool | None,
    rules: Sequence[str] = (),
    timeout: float | None = None,
    enable: Sequence[str] = (),
    links: bool = False,
    images: bool = False,
    templates: str | None = None,
    **batch: Any,
) -> None:
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
      clean pages/ -o cleaned/ --jobs 4   a folder, on 4 cores (docs/batch.md)
      clean corpus.jsonl.gz --url-field url -o cleaned.jsonl.gz
    """
    # the Cleaner's options, as one page's Cleaner and every batch worker's get them
    options: dict[str, Any] = dict(keep=keep, disable=disable, rules=rules, enable=enable, links=links, images=images)
    if templates is not None:
        options["templates"] = templates
    try:
        _clean(files, kind, url, explain, fmt, color, timeout, batch, options)
    except KeyboardInterrupt:  # Ctrl-C, while standard input was awaited or a page cleaned
        fail("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        stdout_closed()
        sys.exit(EXIT_OK)


def _clean(
    files: Sequence[str],
    kind: str,
    url: str | None,
    explain: bool,
    fmt: str,
    color: bool | None,
    timeout: float | None,
    batch: dict[str, Any],
    options: dict[str, Any],
) -> None:
    if color is not None and (not explain or fmt == "json"):
        fail("--color and --no-color colour the --explain listing; there is none to colour here")
        sys.exit(EXIT_USAGE)
    if (options["links"] or options["images"]) and fmt != "markdown":
        fail("--links and --images are for the Markdown output: add --format markdown")
        sys.exit(EXIT_USAGE)
    if explain and fmt == "markdown":
        fail("--explain lists every line with its decision; it does not go with --format markdown")
        sys.exit(EXIT_USAGE)
    if "templates" in options and batch["learn_templates"]:
        fail("--templates uses saved templates and --learn-templates learns them from the inputs: give one")
        sys.exit(EXIT_USAGE)
    stdin = _sniff_stdin(files, batch)
    if wants_batch(files, batch):
        clean_batch(files, batch, options, kind=kind, url=url, fmt=fmt, explain=explain, timeout=timeout, stdin=stdin)
        return
    try:
        cleaner = Cleaner(**options, time_limit=timeout)
    except CleanerError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    paths = list(files) or ["-"]
    failures = 0
    several = len(paths) > 1
    for n, path in enumerate(paths):
        name = "<stdin>" if path == "-" else path
        try:
            data, filename = read_input(path, stdin)
            result = cleaner.clean(data, url=url, kind=None if kind == "auto" else Kind(kind), filename=filename)
        except CleanerError as exc:
            fail(f"{name}: {exc}")
            failures += 1
            continue
        try:
            echo_page(result, name, n, several=several, fmt=fmt, explain=explain, color=color)
        except BrokenPipeError:  # clean ... | head: quietly, with the pages written
            stdout_closed()
            sys.exit(EXIT_FAILED if failures else EXIT_OK)
    if failures:
        if several:
            fail(f"{failures} of {len(paths)} inputs failed")
        sys.exit(EXIT_FAILED)


def _sniff_stdin(files: Sequence[str], batch: dict[str, Any]) -> BinaryIO | None:
    """Standard input, when it is read, with its first line looked at: JSONL records there
    (``cat corpus.jsonl | clean``) are cleaned as records, as ``--input-format jsonl`` says,
    and a line on stderr says so. Sets ``batch["input_format"]``; None when stdin is not read."""
    from cleaner.sources import InputKind, PrefixedStream, first_line, kind_of, looks_like_jsonl

    if files and "-" not in files:
        return None
    line, read = first_line(sys.stdin.buffer)
    stdin: BinaryIO = PrefixedStream(read, sys.stdin.buffer)  # type: ignore[assignment]
    field = batch["text_field"] or "text"
    seen = looks_like_jsonl(line, field) if batch["input_format"] == "auto" else None
    if seen is None:
        return stdin
    if seen == "objects":
        fail(
            f"standard input holds JSON objects without a {field!r} field: add --input-format jsonl and "
            "--text-field NAME to clean each record, or --input-format pages to clean it as one page"
        )
        sys.exit(EXIT_USAGE)
    others = [f for f in files if f != "-" and kind_of(f) is not InputKind.JSONL]
    if others:
        fail(f"standard input holds JSONL records and {others[0]} does not: clean them separately")
        sys.exit(EXIT_USAGE)
    batch["input_format"] = "jsonl"
    fail("standard input holds JSONL: each record is cleaned (--input-format pages cleans it as one page)")
    return stdin


def echo_page(result: Result, name: str, n: int, *, several: bool, fmt: str, explain: bool, color: bool | None) -> None:
    """Print one cleaned page as the options say (under a header when there are several)."""
    if fmt == "json":
        echo_json(result, name, pretty=not several, decisions=explain)
        return
    if several:
        click.echo(("\n" if n else "") + f"==> {name} <==")
    if explain:
        click.echo(render_explain(result), color=color)
    else:
        click.echo(result.markdown if fmt == "markdown" else result.text)


# -- subcommands ---------------------------------------------------------------------


@click.group(name="clean", context_settings={"help_option_names": ["-h", "--help"]})
def commands() -> None:
    """cleaner's commands besides cleaning."""


@commands.command(name="plugins")
@click.option("--all", "show_all", is_flag=True, help="Include the built-in plugins.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per plugin.")
@click.option("--rules", "rules", multiple=True, metavar="DIR", help="Also load the site rules files in DIR (repeatable).")
def plugins_command(show_all: bool, as_json: bool, rules: Sequence[str] = ()) -> None:
    """List the plugins: name, version, where each comes from, and its hooks.

    The built-in plugins are listed with --all (and always in --json).
    """
    try:
        cleaner = Cleaner(rules=rules)
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


@commands.command(name="new-plugin")
@click.argument("name")
@click.option("--python", "python", is_flag=True, help="Write a hook module instead of a rules file.")
@click.option(
    "--dir",
    "directory",
    default=".",
    show_default=True,
    metavar="DIR",
    help="Where to create the package's folder, cleaner-NAME.",
)
def new_plugin_command(name: str, python: bool, directory: str) -> None:
    """Create a site plugin package, cleaner-NAME, ready to install and test.

    It holds pyproject.toml with the 'cleaner' entry point, the site's rules file (or,
    with --python, a hook module), a fixture page with its expected text, and a test
    that runs it through cleaner's test kit: pip install -e it, then pytest passes.
    """
    from cleaner.scaffold import create_plugin

    try:
        root = create_plugin(name, directory=directory, python=python)
    except CleanerError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    made = "a hook module" if python else "a rules file"
    click.echo(f"Created {root} ({made}, a fixture and its test). Next:\n  cd {root}\n  pip install -e '.[test]'\n  pytest")


commands.add_command(learn_templates_command)
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
