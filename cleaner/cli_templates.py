"""``clean learn-templates``: learn the sites' templates from pages and save them.

The file it writes is what ``clean --templates FILE`` and ``Cleaner(templates=FILE)``
read (:mod:`cleaner.templates`); ``clean --learn-templates`` learns and cleans in one run.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from cleaner.cli_batch import INPUT_FORMAT_OPTION, PROGRESS_OPTION, URL_FIELD_OPTION
from cleaner.cli_common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from cleaner.templates import MIN_SITE_PAGES

# Failures listed one a line; the rest are counted.
MAX_LISTED_FAILURES = 20


@click.command(name="learn-templates", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("inputs", nargs=-1, required=True, metavar="PAGES...")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    metavar="FILE",
    help="The templates file to write (JSON; gzipped if FILE ends in .gz).",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "text", "html"]),
    default="auto",
    show_default=True,
    help="What the pages are: text, HTML, or auto to tell by name and content.",
)
@click.option("--text-field", "text_field", metavar="NAME", help="JSONL / Parquet: the field holding the page (default: text).")
@URL_FIELD_OPTION
@INPUT_FORMAT_OPTION
@PROGRESS_OPTION
def learn_templates_command(
    inputs: Sequence[str],
    output: str,
    kind: str,
    text_field: str | None,
    url_field: str | None,
    input_format: str,
    progress: bool | None,
) -> None:
    """Learn each site's template from PAGES and write it to FILE, for 'clean --templates FILE'.

    PAGES are files, folders, quoted patterns, JSONL, WARC / WET or Parquet files, as
    'clean' reads them. A site is a page's URL's host (WARC records, --url-field), else
    the folder its file is in. The file holds, for each site of 3 pages or more (a
    smaller one has no template), how many pages were read (at most 256, a sample that
    does not depend on their order) and on how many of them each of its most frequent
    lines occurs, as hashed keys: no text of the pages.

    \b
    Examples:
      clean learn-templates crawl/example.com/ -o example.templates.json
      clean learn-templates corpus.jsonl.gz --url-field url -o sites.json.gz
      clean --templates sites.json.gz --url https://example.com/a page.html
    """
    from cleaner.batch import BatchConfig
    from cleaner.batch.learn import learn_inputs
    from cleaner.errors import CleanerError

    config = BatchConfig(
        inputs=tuple(inputs),
        kind=None if kind == "auto" else kind,
        text_field=text_field,
        url_field=url_field,
        input_format=input_format,
    )
    show = progress if progress is not None else sys.stderr.isatty()
    bar = _Bar() if show else None
    try:
        learned = learn_inputs(config, bar)
        learned.templates.save(output)
    except CleanerError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
        sys.exit(EXIT_FAILED)
    finally:
        if bar is not None:
            bar.close()
    for source, reason in learned.failures[:MAX_LISTED_FAILURES]:
        fail(f"{source}: {reason}")
    if len(learned.failures) > MAX_LISTED_FAILURES:
        fail(f"... and {len(learned.failures) - MAX_LISTED_FAILURES:,} more")
    sites = len(learned.templates)
    fail(
        f"{learned.pages:,} pages read, {len(learned.failures):,} failed; "
        f"the templates of {sites:,} {'site' if sites == 1 else 'sites'} of {MIN_SITE_PAGES} pages or more: {output}"
    )
    sys.exit(EXIT_FAILED if learned.failures else EXIT_OK)


class _Bar:
    """A rich progress bar of the pages read."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("learning templates: {task.completed:>9,.0f} pages"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("learn", total=None)
        self._progress.start()

    def __call__(self, pages: int, total: Any) -> None:
        self._progress.update(self._task, completed=pages, total=total)

    def close(self) -> None:
        if self._progress.live.is_started:
            self._progress.stop()
