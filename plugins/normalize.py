"""Normalise white space and invisible characters, one line at a time; no rewording."""

from __future__ import annotations

import re

from cleaner import hookimpl

# Spaces that are not U+0020, and characters nobody sees: both become plain space or go.
_SPACES = dict.fromkeys(map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_CONTROLS = dict.fromkeys(c for c in range(32) if c not in (9, 10))
_TABLE = {**_SPACES, **_INVISIBLE, **_CONTROLS, 0x7F: None}
_RUNS = re.compile(r" {2,}")


def normalize_line(line: str) -> str:
    """The line with odd spaces made plain, invisible characters removed, runs folded."""
    return _RUNS.sub(" ", line.translate(_TABLE)).strip()


@hookimpl(trylast=True)
def cleaner_normalize(text: str) -> str:
    return "\n".join(normalize_line(line) for line in text.split("\n"))
