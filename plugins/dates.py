"""Dates as bylines write them, in ISO 8601 (a helper of the byline plugin, not a plugin).

:func:`iso_date` reads the forms the byline plugin's ``DATE`` finds: ``March 3, 2024``,
``3 March 2024``, ``3rd Mar. 2024``, ``2024/03/03``, ``2024-03-03``, ``03.03.2024``,
``17-12-2024``, ``2024年3月3日``, with month names in the languages ``DATE`` knows, and a
time after it (``13:46``, ``7:51 pm``). It gives ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM``
(``:SS`` when given) with the time; no time zone (a byline's ``IST`` or ``GMT+2`` is not
read: the time is the page's local time).

A numeric date whose day and month could be swapped (both at most 12) is read day first
when written with ``.`` or ``-`` (``03.04.2024``, ``03-04-2024``: the European and Indian
way) and not read when written with ``/`` (``03/04/2024`` is 4 March in London and 3
April in New York): None, rather than a guess. So is a date that does not exist
(``31.02.2024``) or a year outside YEARS.
"""

from __future__ import annotations

import datetime
import re

# A year outside these is no publication date (a price, a placeholder 9999).
YEARS = range(1900, 2101)
# A two-digit year below this is 20yy, else 19yy.
TWO_DIGIT_CENTURY_PIVOT = 70

_MONTH_NAMES = (
    # one language a line, January to December (the forms the byline plugin's DATE finds)
    "january february march april may june july august september october november december",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
)
MONTHS: dict[str, int] = {}
for _line in _MONTH_NAMES:
    for _number, _name in enumerate(_line.split(), 1):
        MONTHS.setdefault(_name, _number)
for _number, _name in enumerate(_MONTH_NAMES[0].split(), 1):
    MONTHS.setdefault(_name[:3], _number)  # jan, feb, ... dec
MONTHS["sept"] = 9

_YMD = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([-./])(\d{1,2})[-./](\d{4}|\d{2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_CJK = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\b\.?)?", re.I)


def month_number(name: str) -> int | None:
    """The month a name or abbreviation says (``March``, ``mar.``, ``березня``), or None."""
    return MONTHS.get(name.casefold().rstrip("."))


def iso_date(date: str, time: str | None = None) -> str | None:
    """``date`` (one date, as the byline plugin's DATE found it) and ``time`` in ISO 8601,
    or None when the date cannot be told for sure (see the module's docstring)."""
    day = _calendar_date(date.strip())
    if day is None:
        return None
    clock = _clock(time.strip()) if time else None
    return day.isoformat() if clock is None else f"{day.isoformat()}T{clock}"


def _calendar_date(text: str) -> datetime.date | None:
    ymd: tuple[int, int, int] | None = None
    if m := _YMD.fullmatch(text) or _CJK.fullmatch(text):
        ymd = int(m[1]), int(m[2]), int(m[3])
    elif m := _NUMERIC.fullmatch(text):
        first, separator, second, year = int(m[1]), m[2], int(m[3]), _year(m[4])
        if first > 12:
            ymd = year, second, first
        elif second > 12:
            ymd = year, first, second
        elif separator != "/":
            ymd = year, second, first
    elif m := _DAY_MONTH_YEAR.fullmatch(text):
        month = month_number(m[2])
        ymd = (int(m[3]), month, int(m[1])) if month else None
    elif m := _MONTH_DAY_YEAR.fullmatch(text):
        month = month_number(m[1])
        ymd = (int(m[3]), month, int(m[2])) if month else None
    if ymd is None or ymd[0] not in YEARS:
        return None
    try:
        return datetime.date(*ymd)
    except ValueError:  # 31 February
        return None


def _year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < TWO_DIGIT_CENTURY_PIVOT else 1900
    return year


def _clock(text: str) -> str | None:
    m = _TIME.fullmatch(text)
    if m is None:
        return None
    hour, minute = int(m[1]), int(m[2])
    if m[4]:  # 12 am is midnight, 12 pm noon
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[4].lower() == "p" else 0)
    if hour > 23 or minute > 59 or (m[3] and int(m[3]) > 59):
        return None
    return f"{hour:02d}:{minute:02d}" + (f":{int(m[3]):02d}" if m[3] else "")
