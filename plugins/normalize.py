"""Normalise white space and invisible characters, one line at a time; no rewording.

* Spaces that are not U+0020 (tab, no-break, thin, ideographic...) become a plain space,
  and a run of spaces becomes one.
* Characters nobody sees (zero-width spaces and joiners, soft hyphens, direction marks,
  a byte-order mark inside the text, C0 and C1 control characters) go.
* A lone surrogate (U+D800..U+DFFF), which a ``str`` can hold but no UTF-8 text can (it
  comes from JSON's ``"\\ud800"`` escapes or from file names decoded with
  ``surrogateescape``), becomes U+FFFD, the replacement character, as an undecodable
  byte does: the output is always valid UTF-8.
"""

from __future__ import annotations

import re

from cleaner import hookimpl

# Spaces that are not U+0020, and characters nobody sees: both become plain space or go.
_SPACES = dict.fromkeys(
    map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " "
)
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)
_CONTROLS = dict.fromkeys([*(c for c in range(32) if c not in (9, 10)), *range(0x7F, 0xA0)])
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), "\ufffd")
_TABLE = {**_SPACES, **_INVISIBLE, **_CONTROLS, **_SURROGATES}
# Any character the table changes (most lines have none, and skip the per-character pass).
_ODD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE) if c < 0xD800) + "\ud800-\udfff]")
_RUNS = re.compile(r" {2,}")


def normalize_line(line: str) -> str:
    """The line with odd spaces made plain, invisible characters removed, runs folded."""
    if _ODD.search(line):
        line = line.translate(_TABLE)
    if "  " in line:
        line = _RUNS.sub(" ", line)
    return line.strip()


@hookimpl(trylast=True)
def cleaner_normalize(text: str) -> str:
    if _ODD.search(text) is None and "  " not in text:
        # nothing to translate or fold, and the only white space left is " " and "\n"
        # (and the two line separators the engine splits lines at): most pages need no
        # stripping either
        if not (text[:1] == " " or text[-1:] == " " or "\n " in text or " \n" in text or "\u2028" in text or "\u2029" in text):
            return text
        return "\n".join(line.strip() for line in text.split("\n"))
    return "\n".join(normalize_line(line) for line in text.split("\n"))
