"""byline: author and date lines; the author and date are returned as metadata."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import LABEL_MAX_CHARS, LineStats, line_stats, prose

# A byline (author, date) has at most this many words.
BYLINE_MAX_WORDS = 24

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
_AUTHOR_BEFORE_DATE = re.compile(
    r"^(.{3,60}?)\s*(?:[|,•·–—-]\s*)?(?:(?:updated|published|posted|created)\b|" + WEEKDAY.pattern + r"|\d)", re.I
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


def parse_byline(text: str) -> dict[str, str]:
    """Author and date found in a byline (either may be missing)."""
    found: dict[str, str] = {}
    m = _BY.match(text)
    if m:
        found["author"] = m.group(1).strip(" |,")
    else:
        m = _AUTHOR_BEFORE_DATE.match(text)
        if m:
            author = m.group(1).strip(" |,")
            if author and not DATE.search(author) and not _LABEL.match(author):
                found["author"] = author
    d = DATE.search(text)
    if d:
        end = d.end()
        t = TIME.search(text, d.end())
        if t and t.start() - end <= 3:
            end = t.end()
        start = d.start()
        w = None
        for weekday in WEEKDAY.finditer(text, max(0, start - 14), start):
            w = weekday  # the last one before the date
        if w is not None:
            start = w.start()
        found["date"] = text[start:end].strip(" ,")
    return found


@hookimpl
def cleaner_metadata(doc: Document, decisions):
    for d in decisions:
        if d.verdict is not None and d.verdict.category is Category.BYLINE:
            found = parse_byline(d.block.text)
            if found:
                return found
    return None
