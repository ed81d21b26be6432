"""What every part of the ``clean`` command shares: its exit codes and its one-line messages.

Only the command's modules (``cleaner.cli``, ``cleaner.cli_batch``, ``cleaner.cli_templates``)
print messages and pick exit codes; the library raises.
"""

from __future__ import annotations

import os
import sys

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130


def fail(message: str) -> None:
    """One line on stderr, prefixed with the command's name."""
    click.echo(f"clean: {message}", err=True)


def stdout_closed() -> None:
    """Standard output's reader has gone (``clean ... | head``): what is still buffered for it
    goes nowhere, so that Python's flush at exit raises no second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (a test's capture)
        pass
