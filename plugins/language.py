"""language: the language of the cleaned text, identified by py3langid (metadata).

``metadata["language"]`` is the ISO 639-1 code (``"en"``, ``"uk"``) of the lines the
page kept, the headline and the body, never of its boilerplate (an English menu around
a Ukrainian article says nothing of the article); ``metadata["language_score"]`` is
py3langid's probability for that language (0 to 1, rounded to three places).

The language is None (its score still given, when anything was read) when the kept text
has fewer than MIN_LETTERS letters (a word or two: "Thanks", "Home"), or when the
identifier gives its best language less than MIN_SCORE: too short, mixed or unsure. The
identifier reads at most MAX_CHARS characters of the kept text, from its first lines, so
its cost is bounded whatever the page's length. It chooses among the languages of its
model that have an ISO 639-1 code (its few three-letter-only ones left out).

The model ships inside py3langid (no network). It is loaded once per process when this
plugin is loaded (a Cleaner is built: 1-2 s), not on the first page, whose time limit
(``--timeout``) would otherwise count it; then it takes about a millisecond a page
(BENCHMARKS.md, "Language").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from typing import Any

from cleaner import Decision, Document, hookimpl

# The identifier reads at most this many characters of the kept text (its first lines):
# past that its answer hardly changes, and its time grows with the text.
MAX_CHARS = 3000
# Kept text with fewer letters than this has no language (a word or two: "Thanks").
MIN_LETTERS = 20
# Below this probability the identifier is unsure: the language is None.
MIN_SCORE = 0.5
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def identifier() -> Any:
    """py3langid's identifier with its shipped model, probabilities normalised, choosing
    among the model's languages that have an ISO 639-1 (two-letter) code (loaded once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(sorted({code for code in ident.nb_classes if len(code) == 2}))
    return ident


def identify(text: str) -> tuple[str | None, float | None]:
    """The language of ``text`` (its first MAX_CHARS characters) and its probability:
    (None, None) with fewer than MIN_LETTERS letters; (None, score) below MIN_SCORE."""
    text = text[:MAX_CHARS]
    if sum(1 for _ in itertools.islice(_LETTER.finditer(text), MIN_LETTERS)) < MIN_LETTERS:
        return None, None
    code, score = identifier().classify(text)
    score = round(float(score), 3)
    return (str(code) if score >= MIN_SCORE else None), score


def kept_text(decisions: Sequence[Decision], limit: int = MAX_CHARS) -> str:
    """The kept lines, in page order, joined by line breaks, up to about ``limit`` characters."""
    parts: list[str] = []
    total = 0
    for d in decisions:
        if d.keep:
            parts.append(d.block.text)
            total += len(d.block.text) + 1
            if total >= limit:
                break
    return "\n".join(parts)


@hookimpl
def cleaner_metadata(doc: Document, decisions: Sequence[Decision]) -> dict[str, Any]:
    code, score = identify(kept_text(decisions))
    return {"language": code, "language_score": score}


# loaded with the plugin, outside any page's time limit (see above)
identifier()
