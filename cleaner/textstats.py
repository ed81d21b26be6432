"""What a line looks like (words, sentence ends, function words), and the per-page view
the detectors share.

:func:`line_stats` describes one line; it is cached per line text, so the detectors that
all look at the same lines compute it once. :class:`Page` holds, in columns (one entry a
block), what the detectors read of every line of a page: its statistics, whether it is
prose, its label key. The engine's documents build theirs once (``Document.view``), and
every plugin reads that one.

The thresholds that say what prose, a list item, a section heading and a label are live
here, beside the code that applies them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from cleaner.model import Category, Strength, Verdict

if TYPE_CHECKING:
    from cleaner.model import Block, Document

# -- what counts as prose (is_prose) --------------------------------------------------
# A line of at least this many words that ends a sentence reads as prose.
PROSE_MIN_WORDS = 6
# ... or of at least this many words even without a sentence end (long paragraphs).
PROSE_LONG_WORDS = 30
# ... and a long line without a sentence end needs at least this share of function words.
PROSE_LONG_MIN_FUNCTION_SHARE = 0.02
# Scripts written without spaces (CJK, Thai): characters that count as one word.
CJK_CHARS_PER_WORD = 2
# Share of function words (the, и, de, der...) above which a line reads as running text.
PROSE_MIN_FUNCTION_SHARE = 0.05

# -- headline-like lines and section lists (related and trending lists) ---------------
# A list item is a line of at most this many words that does not end a sentence.
LIST_ITEM_MAX_WORDS = 25
# A section heading (TRENDING, Related...) has at most this many words.
HEADING_MAX_WORDS = 6
# The list under a section heading ends after this many items at most.
SECTION_MAX_ITEMS = 60
# A list of at least this many items, each right under the line above it (no blank line
# from the heading on), ends at its first blank line.
SECTION_TIGHT_ITEMS = 3

# -- short labels (nav, ad, social, footer) --------------------------------------------
# A whole-line label has at most this many characters (a cheap first test before any
# pattern): the page view keeps a label key and a case-folded text of these lines only.
LABEL_MAX_CHARS = 200

WORD = re.compile(r"\w+")
# A sentence ends: . ! ? … and the CJK stops, optionally followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]）」』]|\s)*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_DIGIT_ONLY = re.compile(r"^[\d\W_]+$")

# Short, frequent words of running text in the languages the web writes most. A line of
# prose has them; menus, headlines in title case, tag lists and labels have few.
FUNCTION_WORDS = frozenset(
    """
    a an the and or but of to in on at by for with from as is are was were be been has have had
    it its this that these those which who whom whose not no we you he she they his her their our
    will would can could should may might must do does did than then there here so if when while
    de la le les des du un une et ou en au aux est sont pour par sur dans avec que qui ne pas ce
    cette il elle ils nous vous se sa son ses leur
    el los las y o del al es son para por con como pero su sus lo una unos se que en
    o os as um uma e ou do da dos das no na nos nas ao à é são para por com como mas seu sua que
    der die das und oder ein eine einen dem den des ist sind war mit von zu im auf für nicht auch
    sich es er sie wir ihr dass wie aus bei nach
    il lo gli i le un una uno e o di da in con su per tra fra che non è sono del della dei degli
    в и не на с что по к о из у за от до как это а но же ли бы то его её их он она они мы вы
    також і й та не на з що по до як це але від за у в він вона вони ми ви є
    van het een en of de in op te dat die is zijn met voor niet
    i w z na do że się nie jest to od po o dla jak ale
    """.split()
)


class LineStats(NamedTuple):
    """Numbers that describe one line of text.

    :ivar words: word count (in CJK and Thai, characters / CJK_CHARS_PER_WORD).
    :ivar chars: length in characters.
    :ivar sentence_end: the line ends as a sentence does.
    :ivar function_share: share of its words that are function words.
    :ivar letters: share of its characters that are letters.
    :ivar cjk: written mostly without spaces (CJK, Thai).
    """

    words: int
    chars: int
    sentence_end: bool
    function_share: float
    letters: float
    cjk: bool


# Lines longer than this are not cached (a page's one 10 MB line would stay in memory),
# and are counted a slice of this many characters at a time (a list of every word of a
# 10 MB line takes 100 MB).
STATS_SLICE = 65_536
_NON_WORD = re.compile(r"\W")


def line_stats(text: str) -> LineStats:
    """The statistics of a line of text (cached, unless the line is longer than STATS_SLICE).

    A plugin that judges a page's blocks reads them from the page's view instead
    (``doc.view.stats[i]``): a page of more distinct lines than the cache holds would be
    counted again by every detector.
    """
    return _cached_line_stats(text) if len(text) <= STATS_SLICE else _line_stats(text)


def _line_stats(text: str) -> LineStats:
    if len(text) > STATS_SLICE:
        return _long_line_stats(text)
    if text.isascii():  # lower-casing the line is lower-casing each word, and no CJK
        tokens = WORD.findall(text.lower())
        function = sum(map(FUNCTION_WORDS.__contains__, tokens))
        cjk_chars = 0
    else:
        tokens = WORD.findall(text)
        function = sum(map(FUNCTION_WORDS.__contains__, map(str.lower, tokens)))
        cjk_chars = len(_CJK.findall(text))
    count = len(tokens)
    cjk = cjk_chars * 2 > len(text) - text.count(" ")
    # letters are the word characters that are neither digits nor "_" (``[^\W\d_]``)
    letters = sum(map(len, tokens)) - len(_DIGIT.findall(text)) - text.count("_")
    return LineStats(
        max(count, cjk_chars // CJK_CHARS_PER_WORD) if cjk else count,
        len(text),
        _SENTENCE_END.search(text[-12:]) is not None,
        function / count if count else 0.0,
        letters / len(text) if text else 0.0,
        cjk,
    )


def _long_line_stats(text: str) -> LineStats:
    """:func:`_line_stats` of a line longer than STATS_SLICE, counted a slice at a time."""
    tokens, function, word_chars = _count_words(text)
    cjk_chars = _count(_CJK, text) if not text.isascii() else 0
    cjk = cjk_chars * 2 > len(text) - text.count(" ")
    words = max(tokens, cjk_chars // CJK_CHARS_PER_WORD) if cjk else tokens
    # letters are the word characters that are neither digits nor "_" (``[^\W\d_]``)
    letters = (word_chars - _count(_DIGIT, text) - text.count("_")) / len(text) if text else 0.0
    return LineStats(
        words=words,
        chars=len(text),
        sentence_end=bool(_SENTENCE_END.search(text[-12:])),
        function_share=function / tokens if tokens else 0.0,
        letters=letters,
        cjk=cjk,
    )


# Line statistics and label keys are kept for the last CACHED_LINES distinct lines (across
# pages: a site's menus recur). More than a window of a long page holds (WINDOW_LINES in
# cleaner.engine), so the detectors of one window never count a line twice; at some 200
# bytes an entry, the caches' memory stays a few megabytes whatever the page.
CACHED_LINES = 1 << 14
_cached_line_stats = lru_cache(maxsize=CACHED_LINES)(_line_stats)


def _count_words(text: str) -> tuple[int, int, int]:
    """Words, function words among them, and their characters, a slice at a time (cut
    between two words)."""
    count = function = chars = 0
    start, end = 0, len(text)
    while start < end:
        stop = end
        if end - start > STATS_SLICE:
            cut = _NON_WORD.search(text, start + STATS_SLICE)
            stop = cut.start() if cut else end
        tokens = WORD.findall(text, start, stop)
        count += len(tokens)
        function += sum(map(FUNCTION_WORDS.__contains__, map(str.lower, tokens)))
        chars += sum(map(len, tokens))
        start = stop
    return count, function, chars


def _count(pattern: re.Pattern, text: str) -> int:
    """Matches of a one-character pattern, a slice at a time."""
    return sum(len(pattern.findall(text, i, i + STATS_SLICE)) for i in range(0, len(text), STATS_SLICE))


def is_prose(text: str) -> bool:
    """Reads as running text: long enough and ending a sentence, or long outright."""
    return prose(line_stats(text))


def prose(s: LineStats) -> bool:
    """:func:`is_prose` of a line with these statistics."""
    if s.cjk:
        return s.words >= PROSE_LONG_WORDS or s.words >= PROSE_MIN_WORDS and s.sentence_end
    # running text has function words; tag clouds and lists of names have none
    if s.words >= PROSE_LONG_WORDS:
        return s.function_share >= PROSE_LONG_MIN_FUNCTION_SHARE
    return s.words >= PROSE_MIN_WORDS and s.sentence_end and s.function_share >= PROSE_MIN_FUNCTION_SHARE


# Code: a line ending as statements and blocks do (";", "{", "}"), a call "f(x)", a comment.
_CODE = re.compile(r"(?:[;{}\[(=]|\w\([^()]*\)[;,]?)$|^(?://|/\*|#!|\$ |>>> )")
# A line _CODE matches ends with one of these characters or starts with one of those.
_CODE_LAST = frozenset(";{}[(=),")
_CODE_FIRST = frozenset("/#$>")


def is_code(text: str) -> bool:
    """Reads as a line of program code (a listing in documentation), not as a menu item."""
    return (text[-1:] in _CODE_LAST or text[:1] in _CODE_FIRST) and _CODE.search(text) is not None


def is_headline_like(text: str) -> bool:
    """Could be an item of a list of headlines: a few words, letters, no sentence end."""
    return headline_like(line_stats(text))


def headline_like(s: LineStats) -> bool:
    """:func:`is_headline_like` of a line with these statistics."""
    return 2 <= s.words <= LIST_ITEM_MAX_WORDS and not s.sentence_end and s.letters >= 0.5


def is_numberish(text: str) -> bool:
    """Only digits and punctuation (a list number, a counter, a time stamp)."""
    return bool(_DIGIT_ONLY.match(text)) and any(c.isdigit() for c in text)


def has_letters(text: str) -> bool:
    return bool(_LETTER.search(text))


# the trailing run is anchored at its start (after a word character): "a!!!…!b" stays linear
_EDGE = re.compile(r"^[\W_]+|(?<![\W_])[\W_]+$")
_SPACE = re.compile(r"\s+")


def label_key(text: str) -> str:
    """The line as a label: case-folded, without surrounding punctuation and bullets."""
    return _cached_label_key(text) if len(text) <= STATS_SLICE else _label_key(text)


def _label_key(text: str) -> str:
    key = text.casefold()
    if not (key[:1].isalnum() and key[-1:].isalnum()):  # most lines start and end with a letter
        key = _EDGE.sub("", key)
    # a run of spaces, or a white space other than " " (none of those is printable)
    return key if key.isprintable() and "  " not in key else _SPACE.sub(" ", key)


_cached_label_key = lru_cache(maxsize=CACHED_LINES)(_label_key)


def is_caps_heading(text: str, s: LineStats | None = None) -> bool:
    """A short line in capitals (``TRENDING``, ``OPINION / BLOG / INTERVIEW``).

    ``s``: the line's statistics, when the caller has them.
    """
    if s is None:
        s = line_stats(text)
    if not 1 <= s.words <= HEADING_MAX_WORDS:
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters if c.lower() != c.upper())


def section_items(doc: Document, start: int) -> list[int]:
    """The indexes of the list under the section heading at ``start``.

    Items are short, non-prose lines (headlines, numbers, time stamps, labels); the list
    ends at prose, at another capitals heading, or after SECTION_MAX_ITEMS.
    """
    p = doc.view
    blocks = doc.blocks
    items: list[int] = []
    run = 0  # the items so far, when each follows the line above it without a blank line
    for i in range(start + 1, min(start + 1 + SECTION_MAX_ITEMS, len(p.stats))):
        s = p.stats[i]
        if p.prose[i] or is_caps_heading(blocks[i].text, s) or s.words > LIST_ITEM_MAX_WORDS:
            break
        if blocks[i].blank_before:
            if run >= SECTION_TIGHT_ITEMS:
                break  # a list written line under line ends at its first blank line
            run = -1
        elif run >= 0:
            run += 1
        items.append(i)
    return items


def phrase_set(text: str) -> frozenset[str]:
    """A lexicon written as ``a|b|c`` over several lines, as a set of case-folded phrases."""
    return frozenset(p.strip().casefold() for line in text.splitlines() for p in line.split("|") if p.strip())


@dataclass(frozen=True, slots=True)
class Page:
    """The per-page view the detectors share: what they read of every block, in columns
    (one entry a block, in order), computed once per document (``Document.view``).

    :ivar stats: ``line_stats`` of every block.
    :ivar prose: :func:`is_prose` of every block.
    :ivar short: indexes of the blocks short enough to be a label (LABEL_MAX_CHARS).
    :ivar keys: ``label_key`` of each short block ("" for the others).
    :ivar lows: the case-folded text of each short block ("" for the others).
    :ivar joined: the blocks' texts joined by ``\n``, for whole-page scans (:meth:`lines_with`).
    :ivar starts: where each block's text starts in ``joined``.
    """

    stats: tuple[LineStats, ...]
    prose: tuple[bool, ...]
    short: tuple[int, ...]
    keys: tuple[str, ...]
    lows: tuple[str, ...]
    joined: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, blocks: Sequence[Block]) -> Page:
        """The view of a page of these blocks (what ``Document.view`` builds)."""
        texts = [b.text for b in blocks]
        cap = LABEL_MAX_CHARS
        short = tuple(i for i, t in enumerate(texts) if len(t) <= cap)
        keys = [""] * len(texts)
        lows = [""] * len(texts)
        for i in short:
            keys[i] = label_key(texts[i])
            lows[i] = texts[i].casefold()
        stats = tuple(map(line_stats, texts))
        starts = tuple(accumulate((len(t) + 1 for t in texts[:-1]), initial=0)) if texts else ()
        return cls(stats, tuple(map(prose, stats)), short, tuple(keys), tuple(lows), "\n".join(texts), starts)

    def lines_with(self, pattern: re.Pattern[str]) -> list[int]:
        """The indexes of the blocks whose text holds a match of ``pattern``, in order.

        One scan of the whole page in C instead of one call per line: a detector uses it
        to find its few candidate lines, then tests those alone. The pattern must not
        match a line break (``\\s`` can: write ``[^\\S\\n]``), or a match running into the
        next line could hide that line's own match.
        """
        found: list[int] = []
        last = -1
        starts = self.starts
        for m in pattern.finditer(self.joined):
            i = bisect_right(starts, m.start()) - 1
            if i != last:
                found.append(i)
                last = i
        return found

    def lines_holding(self, part: str) -> list[int]:
        """The indexes of the blocks whose text holds ``part`` (no line break in it), in
        order: :meth:`lines_with` for a plain string, with ``str.find``, which skips to
        the next block once one is found."""
        joined, starts = self.joined, self.starts
        last = len(starts) - 1
        found: list[int] = []
        at = joined.find(part)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            found.append(i)
            at = joined.find(part, starts[i + 1]) if i < last else -1
        return found

    def lines_starting_with(self, pattern: re.Pattern[str]) -> list[int]:
        """The indexes of the blocks whose text starts with a match of ``pattern``, in order.

        One scan of the page for a line break and the pattern, which jumps from one break
        to the next (:meth:`lines_with` of a pattern that starts with ``^`` tries every
        position). As for :meth:`lines_with`, the pattern must not match a line break.
        """
        found = [0] if self.starts and pattern.match(self.joined) else []
        after_break = re.compile(f"\n(?:{pattern.pattern})", pattern.flags)
        # the break at m.start() ends a block: bisect_right counts the blocks that start
        # before it, which is the index of the block after it
        found += [bisect_right(self.starts, m.start()) for m in after_break.finditer(self.joined)]
        return found


def section_verdicts(doc: Document, heading: int, category: Category, reason: str) -> Iterator[Verdict]:
    """Drop the section heading at ``heading`` (a rule) and the list under it (hints)."""
    yield Verdict.drop(heading, category, reason, Strength.RULE)
    for i in section_items(doc, heading):
        yield Verdict.drop(i, category, f"in the list under {doc.blocks[heading].text!r}")
