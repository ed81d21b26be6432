"""The first pass of ``--learn-templates``: each site's lines, counted over the batch's pages.

The pages are read as the cleaning pass reads them (the same tasks, files, records and
WARC records, decoded and sniffed by the same Cleaner) but not cleaned: a text page gives
its lines, an HTML page its block-level elements' text (:meth:`Cleaner.template_lines`).
A page that cannot be read is left to the cleaning pass, which reports it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cleaner.batch.plan import Plan, Target, _check_fields, _classify, _count_pages, _page_tasks, _record_tasks
from cleaner.batch.worker import Render, Settings, parse_json_line, record_page
from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, ConfigError
from cleaner.sources import InputKind, Meter, Task, TaskMode
from cleaner.templates import TemplateLearner, Templates

if TYPE_CHECKING:
    from cleaner.batch.plan import BatchConfig

__all__ = ["Learned", "learn_batch", "learn_from_tasks", "learn_inputs", "task_lines"]


@dataclasses.dataclass
class Learned:
    """What a first pass found: the templates, the pages read, and those that could not be.

    :ivar failures: ``(source, reason)`` of each page that could not be read.
    """

    templates: Templates
    pages: int = 0
    failures: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def learn_batch(
    plan: Plan,
    config: BatchConfig,
    settings: Settings,
    options: Mapping[str, Any],
    progress: Callable[[int, int | None], None] | None = None,
) -> Templates:
    """The first pass over a batch's inputs: its sites' templates.

    Every input is read (``--resume`` or not: the templates are those of the whole batch,
    so a resumed run cleans as the first did). ``progress`` is called with the pages read
    and the pages in all (None when unknown: records).

    :raises ConfigError: an input is standard input, which cannot be read twice.
    """
    if any(item.what == "stdin" for item in plan.inputs):
        raise ConfigError("--learn-templates reads the pages twice: give files, not standard input")
    return _learn(plan, config, settings, options, progress).templates


def _learn(
    plan: Plan,
    config: BatchConfig,
    settings: Settings,
    options: Mapping[str, Any],
    progress: Callable[[int, int | None], None] | None,
) -> Learned:
    from cleaner.batch.run import BatchReport  # run imports this module

    whole = dataclasses.replace(config, resume=False)
    scratch = BatchReport()
    if plan.kind is InputKind.PAGES:
        tasks = _page_tasks(plan, whole, scratch, None)
        total = _count_pages(plan) if progress is not None else None
    else:
        tasks = _record_tasks(plan, whole, scratch, Meter(), 0, None)
        total = None
    options = {k: v for k, v in options.items() if k not in ("templates", "time_limit")}
    with Cleaner(**options) as cleaner:
        step = None if progress is None else (lambda n: progress(n, total))
        return learn_from_tasks(cleaner, tasks, settings, step)


def learn_inputs(config: BatchConfig, progress: Callable[[int, int | None], None] | None = None) -> Learned:
    """The templates of ``config.inputs`` (``clean learn-templates``): pages, folders,
    patterns, JSONL, WARC or Parquet files, read as a batch reads them, with
    ``config.cleaner_options``' decoding and sniffing.

    :raises ConfigError: inputs that do not go together, standard input, a field option
        for inputs without fields.
    """
    inputs = tuple(_classify(arg, config.input_format) for arg in config.inputs)
    kinds = {i.kind for i in inputs if i.what != "missing"} or {InputKind.PAGES}
    if len(kinds) > 1:
        raise ConfigError("pages and JSONL / WARC / Parquet files cannot be read in one run: learn from them separately")
    kind = kinds.pop()
    if any(item.what == "stdin" for item in inputs):
        raise ConfigError("site templates are learned from files, not standard input: give the files' names")
    _check_fields(dataclasses.replace(config, output_field=None), kind)
    plan = Plan(kind, Target.STDOUT, inputs, None, None, Render.TEXT, True)
    settings = Settings(Render.TEXT, config.page_field, config.url_field)
    return _learn(plan, config, settings, config.cleaner_options, progress)


def task_lines(cleaner: Cleaner, task: Task, settings: Settings) -> tuple[str | None, list[str]]:
    """A task's site and lines for the first pass; (None, []) for a page without a site.

    :raises CleanerError: the page cannot be read (the cleaning pass will say so).
    """
    if task.error is not None:
        raise CleanerError(task.error[1])
    if task.mode is TaskMode.PAGE:
        return cleaner.template_lines(task.read(), url=task.url, kind=task.kind, filename=task.filename)
    if task.mode in (TaskMode.JSON_LINE, TaskMode.ROW):
        record = task.fields if task.mode is TaskMode.ROW else parse_json_line(task.content or b"")
        text, url = record_page(record, settings.text_field, settings.url_field)
        return cleaner.template_lines(text, url=url, kind=task.kind)
    assert task.content is not None
    return cleaner.template_lines(task.content, url=task.url, kind=task.kind)


def learn_from_tasks(
    cleaner: Cleaner, tasks: Iterable[Task], settings: Settings, progress: Callable[[int], None] | None = None
) -> Learned:
    """The site templates of ``tasks``' pages (``progress`` is called with the pages read)."""
    learner = TemplateLearner()
    failures = []
    n = 0
    for n, task in enumerate(tasks, 1):
        try:
            site, lines = task_lines(cleaner, task, settings)
        except (CleanerError, OSError) as exc:
            failures.append((task.source, getattr(exc, "strerror", None) or str(exc)))
            site, lines = None, []
        learner.add_lines(site, lines)
        if progress is not None:
            progress(n)
    return Learned(learner.templates(), n, failures)
