"""The quality benchmark's regression gate: recorded F1s, and a run checked against them.

``benchmarks/scores.json`` holds, for each dataset, mode, input (renderer or ``html``) and
system, the corpus F1 and its bootstrap standard deviation, with the commit and date they
were measured at. ``python -m benchmarks.run ... --gate benchmarks/scores.json`` fails
(exit 1) when a result of the run lies below its recorded F1 by more than the recorded
std, and prints each such result; ``--accept`` writes the run's figures into the file
(other recorded entries stay). Results the file does not hold, or measured on another
number of pages (``--limit``), are not compared; the gate says so.

The file::

    {"note": "...",
     "scores": {"wcxb/text/htmltext/cleaner":
                {"f1": 0.805, "f1_std": 0.007, "pages": 1358,
                 "commit": "71a6742", "date": "2026-12-05"}, ...}}
"""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

NOTE = (
    "Recorded by python -m benchmarks.run ... --accept; python -m benchmarks.run ... --gate FILE "
    "fails when a run's F1 is below an entry's f1 by more than its f1_std (bootstrap)."
)


class _Score(Protocol):
    @property
    def f1(self) -> float: ...  # read-only: metrics.Corpus is frozen


class Scored(Protocol):
    """What the gate reads of a ``benchmarks.run.Result``."""

    dataset: str
    mode: str
    input: str
    system: str
    pages: int

    @property
    def corpus(self) -> _Score: ...

    @property
    def std(self) -> _Score: ...


def key(result: Scored) -> str:
    """The entry name of a result: ``dataset/mode/input/system``."""
    return f"{result.dataset}/{result.mode}/{result.input}/{result.system}"


@dataclass(frozen=True)
class Check:
    """One result compared with its recorded entry."""

    key: str
    recorded_f1: float
    recorded_std: float
    f1: float

    @property
    def lower(self) -> bool:
        """Below the recorded F1 by more than the recorded bootstrap std."""
        return self.f1 < self.recorded_f1 - self.recorded_std

    def __str__(self) -> str:
        return (
            f"{self.key}: F1 {self.f1:.4f}, recorded {self.recorded_f1:.4f} ± {self.recorded_std:.4f} "
            f"({self.f1 - self.recorded_f1:+.4f})"
        )


@dataclass
class Verdict:
    """What a gate run found: the regressions, the results compared, those left out and why."""

    regressions: list[Check]
    compared: list[Check]
    skipped: list[str]

    @property
    def passed(self) -> bool:
        return not self.regressions

    def report(self) -> str:
        lines = [f"gate: {len(self.compared)} results compared, {len(self.regressions)} lower"]
        lines += [f"  LOWER {check}" for check in self.regressions]
        lines += [f"  not compared: {why}" for why in self.skipped]
        return "\n".join(lines)


def load(path: Path) -> dict[str, dict[str, Any]]:
    """The recorded entries of a scores file ({} when the file does not exist)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("scores", {}))


def check(recorded: dict[str, dict[str, Any]], results: Iterable[Scored]) -> Verdict:
    """Compare each result with its recorded entry."""
    verdict = Verdict([], [], [])
    for result in results:
        name = key(result)
        entry = recorded.get(name)
        if entry is None:
            verdict.skipped.append(f"{name}: no recorded score")
            continue
        if entry.get("pages") not in (None, result.pages):
            verdict.skipped.append(f"{name}: {result.pages} pages, recorded on {entry['pages']}")
            continue
        compared = Check(name, float(entry["f1"]), float(entry["f1_std"]), result.corpus.f1)
        verdict.compared.append(compared)
        if compared.lower:
            verdict.regressions.append(compared)
    return verdict


def accept(path: Path, results: Iterable[Scored], commit: str, date: str | None = None) -> dict[str, Any]:
    """Write the results' F1 and std into the scores file (keeping its other entries); returns the file."""
    date = date or datetime.date.today().isoformat()
    scores = load(path)
    for result in results:
        scores[key(result)] = {"f1": round(result.corpus.f1, 6), "f1_std": round(result.std.f1, 6),
                               "pages": result.pages, "commit": commit, "date": date}  # fmt: skip
    data = {"note": NOTE, "scores": dict(sorted(scores.items()))}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def current_commit(repo: Path) -> str:
    """The short commit of ``repo``, with ``+dirty`` when the code the benchmark runs is changed."""

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=True).stdout.strip()  # fmt: skip

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", "cleaner", "plugins", "benchmarks/run.py",
                      "benchmarks/metrics.py")  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if changed else "")
