"""byline: author and date lines; the author and date are returned as metadata."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import FUNCTION_WORDS, LABEL_MAX_CHARS, LineStats, line_stats, prose
from cleaner_plugins.dates import iso_date, month_number

# A byline (author, date) has at most this many words.
BYLINE_MAX_WORDS = 24
# An author's name has at most this many words...
NAME_MAX_WORDS = 6
# ... and at least this many when no label ("By", "Author:") says it is one: a lone word
# before a date is more often a label ("Last updated", "Posted") than a name, unless it is
# written as no word of a language is (a user name: _HANDLE).
UNLABELLED_NAME_MIN_WORDS = 2
# A byline without an author or a date is completed by the bylines this many lines below
# it ("By Jane Doe" over "3 March 2024"), not by those further down (comments' bylines).
BYLINE_SPAN = 3

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    r"|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro"
    r"|januar|februar|märz|juni|juli|oktober|dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
    r"|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
)
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|понеділок|вівторок|середа|четвер|пʼятниця|п'ятниця|субота|неділя"
)
# (one \b before the forms that start with one; in the month-first form, the look-ahead
# skips the month names unless a number follows the word: neither changes a match, and
# they save trying every form and every month at every position)
DATE = re.compile(
    rf"\b(?:\d{{1,2}}[-./]\d{{1,2}}[-./](?:\d{{4}}|\d{{2}})\b|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}\b"
    rf"|\d{{1,2}}\.?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}\b|(?=\w+\.?\s+\d)(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)"
    rf"|\d{{4}}年\d{{1,2}}月\d{{1,2}}日",
    re.I,
)
_DIGIT = re.compile(r"\d")
WEEKDAY = re.compile(rf"(?:{_WEEKDAYS})\b", re.I)
TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\b", re.I)
# "Updated:", "Published", "By Jane Doe", "Автор:" ...
_LABEL = re.compile(
    r"^(?:by|written by|posted by|author|authors|von|por|par|di|автор|автори)\b[:\s]"
    r"|\b(?:updated|published|posted|created|modified|last updated|aktualisiert|publicado|atualizado|publié"
    r"|обновлено|оновлено|опубликовано|опубліковано)\b\s*(?:on|at|:)?",
    re.I,
)
_BY = re.compile(
    r"^(?:by|written by|posted by|von|por|par|di|автор:?)\s+(.+?)(?:\s*[|,•·–—-]\s*|\s+(?:on|at|updated|published)\b|$)", re.I
)


def is_byline(text: str, s: LineStats | None = None) -> bool:
    """An author or date line. ``s``: the line's statistics, when the caller has them."""
    if len(text) > LABEL_MAX_CHARS:
        return False
    if s is None:
        s = line_stats(text)
    if s.words > BYLINE_MAX_WORDS:
        return False
    if not _DIGIT.search(text):  # no date, no time: only "By Jane Doe" remains
        return s.words <= 8 and not s.sentence_end and bool(_BY.match(text))
    labelled = bool(_LABEL.search(text))
    if (s.sentence_end or prose(s)) and not labelled:
        return False
    if DATE.search(text):
        return True
    return labelled and (bool(TIME.search(text)) or bool(_BY.match(text)) and s.words <= 8)


# is_byline holds only for a line with a DATE, a line with a label and a TIME, or a line
# that starts with _BY. Each DATE form holds four digits in a row or two digits around one
# of "-./", a TIME two digits around ":": lines with none of these, and that do not start
# with a _BY word, are no bylines.
_DATE_OR_TIME_DIGITS = re.compile(r"\d(?:\d\d\d|[-./:]\d)")
_BY_WORD = re.compile(r"by|written by|posted by|von|por|par|di|автор", re.I)


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    candidates = sorted({*p.lines_with(_DATE_OR_TIME_DIGITS), *p.lines_starting_with(_BY_WORD)})
    cap = LABEL_MAX_CHARS
    for i in candidates:
        s = p.stats[i]
        if s.chars <= cap and s.words <= BYLINE_MAX_WORDS and is_byline(doc.blocks[i].text, s):
            yield Verdict.drop(i, Category.BYLINE, "an author or date line", Strength.HINT)


# Where a name ends: a digit (a date, a time), a weekday (a full name even glued to the
# name: "Jane DoeTuesday, 3 March"), a label ("Jane DoePublished: ..."), a month before a
# number (a date without its year: "Jane Doe Nov 18").
_FULL_WEEKDAYS = "|".join(w for w in _WEEKDAYS.split("|") if len(w) > 3)
_NAME_END = re.compile(
    rf"\d|\b(?:{_WEEKDAYS})\b|(?:{_FULL_WEEKDAYS})\b|(?:updated|published|posted|created|modified)"
    rf"|\b(?:{_MONTHS})\.?\s+\d",
    re.I,
)
# What separates a name from the rest of a byline: "Jane Doe | Desk / Site • ...".
_NAME_SEPARATOR = re.compile(r"\s[|/•·●⋅–—]\s|\s[|/•·●⋅]|[|•·●⋅]\s|,\s")
# What is trimmed from a name's ends: bullets, separators, punctuation ("• ", " |", ":").
_NAME_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# Lower-case words a name may hold after its first word: "Ludwig van Beethoven", "Jane
# Doe and John Roe".
_NAME_PARTICLES = frozenset("de da di del della der den van von la le du dos das bin ibn al el y e and und et".split())
_WEEKDAY_WORD = re.compile(rf"(?:{_WEEKDAYS})", re.I)
# A user name: a capital inside a word ("HarbourWatch", "JaneD") or an underscore ("jane_d").
_HANDLE = re.compile(r"[^\W_]*[^\W\d_][^\W\d_]*(?:(?<=[a-zà-ÿ])[A-ZÀ-Þ]|_)\w*")


def looks_like_a_name(name: str, labelled: bool) -> bool:
    """A person's or a desk's name: one to NAME_MAX_WORDS words (at least
    UNLABELLED_NAME_MIN_WORDS unless ``labelled``, "By ...", or a user name), each capitalised (in a script
    with capitals; a particle such as "van" aside), no digit, "@", "/" or ":", not starting
    with a function word, and not only month and weekday names ("September", "Tuesday")."""
    words = name.split()
    fewest = 1 if labelled or len(words) == 1 and _HANDLE.fullmatch(name) else UNLABELLED_NAME_MIN_WORDS
    if not fewest <= len(words) <= NAME_MAX_WORDS:
        return False
    dates = 0
    for n, word in enumerate(words):
        bare = word.strip(".,'’")
        low = bare.casefold()
        if not bare or any(c.isdigit() or c in "@/:" for c in word):
            return False
        if n == 0 and low in FUNCTION_WORDS:
            return False
        if bare[0].islower() and not (n > 0 and low in _NAME_PARTICLES):
            return False
        dates += bool(month_number(low) or _WEEKDAY_WORD.fullmatch(low))
    return dates < len(words)


def _author(text: str) -> str | None:
    """The author a byline names: after "By", or at its start, up to its date, a time, a
    label or a separator (None if that is no name)."""
    m = _BY.match(text)
    labelled = m is not None
    name = m.group(1) if m is not None else text
    end = min((x.start() for x in (_NAME_END.search(name), DATE.search(name)) if x is not None), default=len(name))
    name = name[:end]
    if not labelled:
        name = next((part for part in _NAME_SEPARATOR.split(name) if _NAME_EDGES.sub("", part)), "")
    name = _NAME_EDGES.sub("", name)
    return name if looks_like_a_name(name, labelled) else None


def parse_byline(text: str) -> dict[str, str]:
    """Author and date found in a byline (any may be missing): ``date`` in ISO 8601
    (``dates.iso_date``), ``date_text`` as the line writes it (with its weekday and time)."""
    found: dict[str, str] = {}
    author = _author(text)
    if author:
        found["author"] = author
    d = DATE.search(text)
    if d:
        end = d.end()
        t = TIME.search(text, d.end())
        time = None
        if t and t.start() - end <= 3:
            end, time = t.end(), t.group()
        start = d.start()
        w = None
        for weekday in WEEKDAY.finditer(text, max(0, start - 14), start):
            w = weekday  # the last one before the date
        if w is not None:
            start = w.start()
        iso = iso_date(d.group(), time)
        if iso:
            found["date"] = iso
        found["date_text"] = text[start:end].strip(" ,")
    return found


@hookimpl
def cleaner_metadata(doc: Document, decisions):
    """Author and date of the first byline that gives either, completed by the bylines up
    to BYLINE_SPAN lines below it. No date when the page's HTML gave one (its date wins,
    and a ``date_text`` of another date would contradict it)."""
    found: dict[str, str] = {}
    first = None
    for d in decisions:
        if first is not None and d.block.index - first > BYLINE_SPAN:
            break
        if d.verdict is not None and d.verdict.category is Category.BYLINE:
            parsed = parse_byline(d.block.text)
            if not parsed:
                continue
            first = d.block.index if first is None else first
            if "date_text" in found:  # one line's date and text, never two lines'
                parsed = {k: v for k, v in parsed.items() if k not in ("date", "date_text")}
            found = {**parsed, **found}
    if doc.metadata.get("date"):
        found.pop("date", None)
        found.pop("date_text", None)
    return found or None
