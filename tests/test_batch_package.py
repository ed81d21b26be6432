"""The shape of cleaner.batch: modules along its seams, no import circle with cleaner.dask, the old names kept."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

import cleaner.batch
from cleaner.batch import Executor, LocalPool, Settings, pool, resume, worker

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cleaner" / "batch"
MODULES = sorted(PACKAGE.glob("*.py"))
MAX_LINES = 700


def imported(path: pathlib.Path, *, at_import: bool) -> set[str]:
    """The cleaner modules a file imports (``from cleaner.batch import worker`` counts as cleaner.batch.worker).

    :param at_import: only the imports run when the module is imported: not those inside a
        function, nor under ``if TYPE_CHECKING``.
    """
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if at_import and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if at_import and isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if node.module == "cleaner.batch" and (PACKAGE / f"{alias.name}.py").exists()
            )
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {n for n in names if n == "cleaner" or n.startswith("cleaner.")}


def test_the_old_module_is_gone_and_the_package_has_its_seams():
    assert not (ROOT / "cleaner" / "batch.py").exists()
    assert {p.stem for p in MODULES} == {"__init__", "worker", "pool", "plan", "sinks", "resume", "filters", "learn", "run"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_each_module_of_the_package_stays_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines: split it along a seam"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_of_the_package_imports_dask_when_imported(path):
    assert "cleaner.dask" not in imported(path, at_import=True)


def test_dask_imports_only_the_worker_module_of_the_package():
    batch = {n for n in imported(ROOT / "cleaner" / "dask.py", at_import=False) if n.startswith("cleaner.batch")}
    assert batch == {"cleaner.batch.worker"}


def test_the_worker_module_needs_no_other_module_of_the_package():
    assert not {n for n in imported(PACKAGE / "worker.py", at_import=False) if n.startswith("cleaner.batch")}


def test_the_package_imports_without_dask_and_does_not_load_it():
    code = "import sys; sys.modules['cleaner.dask'] = None; import cleaner.batch, cleaner.cli"  # None: blocked
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr


# Every name code, tests and docs imported from the one-module cleaner.batch, and the names it defined.
OLD_NAMES = """
    BatchConfig BatchInterrupted BatchReport LocalPool Outcome Render Settings clean_record plan_batch process
    record_summary run_batch summary_lines dump_record parse_json_line render_page Plan Target ProgressCallback
    DEFAULT_PAGE_TIMEOUT KILL_GRACE_SECONDS IN_FLIGHT_PER_WORKER MAX_IN_FLIGHT_BYTES SENT_PER_WORKER
    SENT_BYTES_PER_WORKER CHECKPOINT_EVERY MAX_LISTED_FAILURES RESULT_FIELD ERRORS_NAME STATE_SUFFIX ENV_PREFIX
    _mp_context _can_fork _Worker _worker_main _page_tasks _record_tasks _RecordSink _open_records _fingerprint
""".split()


@pytest.mark.parametrize("name", OLD_NAMES)
def test_every_old_name_is_still_importable_from_the_package(name):
    namespace: dict = {}
    exec(f"from cleaner.batch import {name}", namespace)
    assert namespace[name] is getattr(cleaner.batch, name)


def test_a_name_set_on_the_package_reaches_the_module_that_reads_it(monkeypatch):
    monkeypatch.setattr(cleaner.batch, "CHECKPOINT_EVERY", 4)
    monkeypatch.setattr(cleaner.batch, "SENT_PER_WORKER", 2)
    assert (resume.CHECKPOINT_EVERY, pool.SENT_PER_WORKER) == (4, 2)
    assert (cleaner.batch.CHECKPOINT_EVERY, cleaner.batch.SENT_PER_WORKER) == (4, 2)
    monkeypatch.undo()
    assert (resume.CHECKPOINT_EVERY, pool.SENT_PER_WORKER) == (1000, 3)
    assert cleaner.batch.process is worker.process is pool.process
    with pytest.raises(AttributeError):
        cleaner.batch.no_such_name  # noqa: B018


def test_the_local_pool_and_the_dask_executor_are_executors():
    from cleaner.dask import DaskExecutor

    assert isinstance(LocalPool(1, {}, Settings(), None), Executor)
    assert isinstance(DaskExecutor("tcp://127.0.0.1:1", {}, Settings()), Executor)
