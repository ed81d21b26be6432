"""Text-mode author and date: a name must look like a name; dates in ISO 8601 in both modes."""

from __future__ import annotations

import pytest

from cleaner_plugins.byline import looks_like_a_name, parse_byline
from cleaner_plugins.dates import iso_date, month_number

PARAGRAPHS = [
    "The harbour council approved the new ferry timetable on Tuesday, after a debate that lasted most of the evening.",
    "From next month the boats will leave every half hour, and until midnight on Fridays and Saturdays.",
    "Tickets will cost the same as this year, the council said, and children under twelve will travel free.",
]


@pytest.mark.parametrize(
    "line",
    [
        "• October 14, 2023",  # a bullet and a month are no author
        "– Aug 2, 2021",
        "Last updated 14 October 2023",  # a label's first word
        "Latest: 2 August 2021 09:15",
        "Reviewed 2 August 2021",  # one word before a date, without "By": a label more often than a name
        "Grace 2 August 2021",  # (a name, or a word: not told without a label)
        "Wednesday 2 August 2021",
        "By August 2, 2021",
        "the editors, 2 August 2021",  # lower case: a phrase, not a name
        "@harbourdesk 2 August 2021",
        "Page 2 of 14 · 2 August 2021",
    ],
)
def test_what_is_not_an_author(line):
    assert "author" not in parse_byline(line)


@pytest.mark.parametrize(
    "line, author",
    [
        ("By Tomasz Wierzbicki | 14 October 2023", "Tomasz Wierzbicki"),
        ("By Kestrel", "Kestrel"),  # one word, but labelled
        ("Marisol Okafor-Lund • Oct. 14, 2023", "Marisol Okafor-Lund"),
        ("Harbour Desk | Updated: 14-10-2023 08:30 GMT", "Harbour Desk"),
        ("Pieter van der Berg, 14.10.2023", "Pieter van der Berg"),
        ("Anouk BrandsmaFriday, 13 October 2023, 17:05", "Anouk Brandsma"),  # a weekday glued to the name
        ("Dmytro Sokil 6 min read · Oct 14, 2023", "Dmytro Sokil"),
        ("Автор: Оксана Левчук, 14 жовтня 2023", "Оксана Левчук"),
        ("By Teodora Abril on 14 October 2023", "Teodora Abril"),  # a surname that is a month elsewhere
        ("By Ines Carvalho October 14, 2023", "Ines Carvalho"),  # the date right after the name
        ("By Ines Carvalho and Tomasz Wierzbicki", "Ines Carvalho and Tomasz Wierzbicki"),
        ("By Dmytro Sokil 6 min read", "Dmytro Sokil"),
        ("Harbour Desk / harbour.example / Updated: 14-10-2023 08:30", "Harbour Desk"),
        ("Ines CarvalhoPublished: Oct 14, 2023", "Ines Carvalho"),
        ("Ines Carvalho Oct 14 at 4:20 pm", "Ines Carvalho"),  # a date without its year
        ("HarbourWatch • Oct 14, 2023", "HarbourWatch"),  # one word, but a user name
        ("Kestrel_B 14 October 2023", "Kestrel_B"),
    ],
)
def test_authors(line, author):
    assert parse_byline(line)["author"] == author


def test_a_name_looks_like_a_name():
    assert looks_like_a_name("Ines Carvalho", labelled=False)
    assert looks_like_a_name("Ines", labelled=True) and not looks_like_a_name("Ines", labelled=False)
    assert looks_like_a_name("Teodora Abril", labelled=False)  # a month elsewhere, but not only months
    for not_a_name in ("September", "Monday", "Tuesday February", "The Team", "Ines 2", "Ines Carvalho and seven other people"):
        assert not looks_like_a_name(not_a_name, labelled=True), not_a_name


@pytest.mark.parametrize(
    "date, time, iso",
    [
        ("March 3, 2024", None, "2024-03-03"),
        ("3 March 2024", None, "2024-03-03"),
        ("Mar. 3rd, 2024", None, "2024-03-03"),
        ("Sept 30, 2024", None, "2024-09-30"),
        ("2024/03/03", None, "2024-03-03"),
        ("2024-3-9", None, "2024-03-09"),
        ("03.03.2024", None, "2024-03-03"),
        ("04.03.2024", None, "2024-03-04"),  # dots: day first
        ("17-12-2024", "13:46", "2024-12-17T13:46"),
        ("12/17/2024", "7:05 pm", "2024-12-17T19:05"),  # 17 cannot be a month
        ("17/12/24", "12:30 a.m.", "2024-12-17T00:30"),
        ("3 березня 2024", "09:15:30", "2024-03-03T09:15:30"),
        ("14 octobre 2023", None, "2023-10-14"),
        ("2024年3月3日", None, "2024-03-03"),
    ],
)
def test_iso_dates(date, time, iso):
    assert iso_date(date, time) == iso


@pytest.mark.parametrize("date", ["03/04/2024", "31.02.2024", "November 20, 9999", "13.13.2024", "Smarch 3, 2024"])
def test_dates_that_cannot_be_told_are_none(date):
    assert iso_date(date) is None  # 03/04: 3 April in New York, 4 March in London


def test_months():
    assert month_number("Sept.") == 9 and month_number("dec") == 12 and month_number("серпня") == 8
    assert month_number("Smarch") is None


def test_the_byline_keeps_the_date_as_written():
    assert parse_byline("Posted Friday, 13 October 2023, 17:05") == {
        "date": "2023-10-13T17:05",
        "date_text": "Friday, 13 October 2023, 17:05",
    }
    assert parse_byline("Ines Carvalho 03/04/2024") == {"author": "Ines Carvalho", "date_text": "03/04/2024"}


def test_text_mode_metadata(default_cleaner):
    page = "\n".join(
        ["Harbour council approves new ferry timetable", "", "By Ines Carvalho", "Oct. 14, 2023 4:20 pm", "", *PARAGRAPHS]
    )
    result = default_cleaner.clean(page)
    assert "By Ines Carvalho" not in result.text  # dropped as a byline, given as metadata
    assert result.metadata["author"] == "Ines Carvalho"  # from one line, the date from the next
    assert result.metadata["date"] == "2023-10-14T16:20"
    assert result.metadata["date_text"] == "Oct. 14, 2023 4:20 pm"


def test_a_bullet_date_over_the_article_gives_no_author(default_cleaner):
    page = "\n".join(["Harbour council approves new ferry timetable", "", "• October 14, 2023", "", *PARAGRAPHS])
    metadata = default_cleaner.clean(page).metadata
    assert "author" not in metadata and metadata["date"] == "2023-10-14"


def test_html_mode_dates_are_iso(default_cleaner):
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    head = '<meta property="article:published_time" content="2023-10-14T16:20:00Z">'
    declared = default_cleaner.clean(f"<html><head>{head}</head><body><article>{body}</article></body></html>", kind="html")
    assert declared.metadata["date"] == "2023-10-14" and "date_text" not in declared.metadata
    # no date in the head: the byline's, in ISO form
    byline = "<p>By Ines Carvalho</p><p>Oct. 14, 2023 4:20 pm</p>"
    page = f"<html><body><article><h1>Ferry timetable</h1>{byline}{body}</article></body></html>"
    metadata = default_cleaner.clean(page, kind="html").metadata
    assert metadata["date"] == "2023-10-14T16:20" and metadata["date_text"] == "Oct. 14, 2023 4:20 pm"
