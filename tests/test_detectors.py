"""Each generic detector on small made-up pages: what it drops, as what, and why."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, builtin_plugins

PARA = [
    "The council approved the new budget on Tuesday after a debate that lasted well into the night, "
    "with members arguing over almost every line of the spending plan.",
    "Officials said the plan would fund repairs to the old bridge and two schools in the district, "
    "and that the work could start as soon as the weather allows it in the spring.",
    "Residents who spoke at the meeting were divided over the cost and the timing of the work, "
    "and several of them asked the council to publish the full contracts online.",
    "The mayor said the first contracts would be signed before the end of the year, if all goes well, "
    "and promised a public report on the progress of the work every three months.",
]


@pytest.fixture(scope="module")
def generic():
    return Cleaner(autoload=False, disable=builtin_plugins(role="site"))


def verdicts(cleaner, lines):
    result = cleaner.clean("\n\n".join(lines))
    return {
        d.block.text: (None if d.keep else (d.verdict.category.value, d.verdict.reason, d.verdict.plugin))
        for d in result.decisions
    }, result


@pytest.mark.parametrize(
    "line, category, plugin",
    [
        ("Advertisement", "ad", "ad"),
        ("Anzeige", "ad", "ad"),
        ("Реклама", "ad", "ad"),
        ("Skip to main content", "nav", "nav"),
        ("EN | DE | FR", "nav", "nav"),
        ("Home › World › Europe", "nav", "nav"),
        ("Share this article", "social", "social"),
        ("Facebook Twitter LinkedIn Email", "social", "social"),
        ("Sign up for our newsletter", "social", "social"),
        ("© 2024 Example Media Group", "footer", "footer"),
        ("Privacy Policy | Terms of Use | Contact", "footer", "footer"),
        ("By Jane Doe | 12 March 2024 10:15", "byline", "byline"),
        ("A crowd outside the town hall. Photo: Getty Images", "caption", "caption"),
        ("Tags: budget, council, schools", "taxonomy", "taxonomy"),
        ("* * *", "debris", "debris"),
    ],
)
def test_a_boilerplate_line_inside_the_article_is_dropped_by_its_detector(generic, line, category, plugin):
    found, _ = verdicts(generic, ["A Headline for the Test", PARA[0], PARA[1], line, PARA[2], PARA[3]])
    assert found[line][0] == category and found[line][2] == plugin
    assert all(found[p] is None for p in PARA)


def test_a_trending_list_goes_with_its_heading(generic):
    lines = ["A Headline for the Test", *PARA, "Most Read", "1", "Stocks fall as rates rise", "2", "Storm hits the coast"]
    found, result = verdicts(generic, lines)
    assert found["Most Read"][:2] == ("trending", "a trending heading")
    assert found["Stocks fall as rates rise"][0] == "trending"
    assert result.body == "\n\n".join(PARA)


def test_a_list_written_line_under_line_ends_at_its_first_blank_line(generic):
    lines = [
        "A Headline for the Test",
        PARA[0],
        PARA[1],
        "Trending\nClothing\nShoes\nBags",
        "Size: M",
        "Colour: black",
        PARA[2],
        PARA[3],
    ]
    found, result = verdicts(generic, lines)
    assert [found[item][0] for item in ("Trending", "Clothing", "Shoes", "Bags")] == ["trending"] * 4
    judged = {d.block.text: d.first for d in result.decisions}  # the detectors' verdicts, before context
    assert judged["Size: M"] is None and judged["Colour: black"] is None
    # items each on a line of their own, between blank lines, run on
    found, _ = verdicts(generic, ["A Headline for the Test", *PARA, "Most Read", "Stocks fall", "Storm hits", "Bridge shut"])
    assert found["Bridge shut"][0] == "trending"


def test_a_related_list_and_a_time_stamped_feed_go_as_related(generic):
    lines = [
        *PARA,
        "Related articles",
        "Bridge repairs delayed again",
        "Schools reopen after summer",
        "10:02",
        "Markets close higher on Friday",
        "09:41",
        "New mayor sworn in",
        "09:15",
        "Train strike called off",
    ]
    found, _ = verdicts(generic, lines)
    assert found["Related articles"][0] == "related"
    assert found["Bridge repairs delayed again"][0] == "related"
    assert found["Train strike called off"][0] == "related"


def test_a_web_address_is_no_glued_tag_list(generic):
    lines = [
        "A Headline for the Test",
        PARA[0],
        PARA[1],
        "The full report is online:",
        "http://example.org/r/2iJFhRjBudgetPlan",
        PARA[2],
        PARA[3],
        "USANorth KoreaUkraineWar",
    ]
    found, _ = verdicts(generic, lines)
    assert found["http://example.org/r/2iJFhRjBudgetPlan"] is None
    assert found["USANorth KoreaUkraineWar"][:2] == ("taxonomy", "tag links glued together without spaces")


def test_menus_above_and_teasers_below_go_by_context(generic):
    lines = [
        "News",
        "Sport",
        "Weather",
        "Culture",
        "A Headline for the Test",
        *PARA,
        "Another story about something else",
        "A third story about another thing",
        "Yet another story here",
    ]
    found, result = verdicts(generic, lines)
    assert found["Sport"] == ("nav", "above the article, not prose", "context")
    assert found["Another story about something else"][:2] == ("related", "below the article, a headline-like line")
    assert result.title == "A Headline for the Test"
    assert result.body == "\n\n".join(PARA)


def test_sub_headings_and_lists_inside_the_article_stay(generic):
    lines = [
        "A Headline for the Test",
        PARA[0],
        PARA[1],
        "What happens next",
        "• Contracts are signed",
        "• Work starts in spring",
        PARA[2],
        PARA[3],
    ]
    _, result = verdicts(generic, lines)
    assert "What happens next" in result.body and "• Work starts in spring" in result.body


@pytest.mark.parametrize(
    "heading",
    [
        "12 Comments",
        "59 Comments on “A Headline for the Test”",
        "3 Responses to “A Headline for the Test”",
        "One thought on “A Headline for the Test”",
    ],
)
def test_the_readers_comments_end_the_article(generic, heading):
    lines = [
        "A Headline for the Test",
        *PARA,
        heading,
        "Jane on March 3, 2024 at 4:47 pm said:",
        "I think this is a great idea and the council should have done it years ago, honestly.",
        "Bob on March 3, 2024 at 5:12 pm said:",
        "The money would be better spent elsewhere, and I am sure many people in town agree with me.",
    ]
    _, result = verdicts(generic, lines)
    assert result.body == "\n\n".join(PARA)


LONG_COMMENT = (
    "I have lived in this district for thirty years and I have never seen the council spend so much time on a "
    "budget, which is a good thing, but I wonder whether anyone has asked the people who use the bridge every "
    "day what they need, because the plans I have seen do not say a word about the footpath, the lights or the "
    "buses that have to go round it when it is closed for repairs, and that is what worries most of us here."
)


def test_a_thread_of_comments_ends_the_article_even_when_it_is_longer(generic):
    # the comments outweigh the story, so the densest run is theirs; the recurring
    # author-and-date lines under the heading show it is a thread of readers' posts
    thread = []
    for name in ("Jane", "Bob", "Ann", "Tom"):
        thread += [f"{name} on March 3, 2024 at 4:47 pm said:", LONG_COMMENT.replace("thirty", f"{name}'s thirty")]
    lines = ["A Headline for the Test", PARA[0], PARA[1], "Comments", *thread]
    found, result = verdicts(generic, lines)
    assert result.body == "\n\n".join(PARA[:2])
    # long paragraphs, but below the comments heading
    assert all(found[LONG_COMMENT.replace("thirty", f"{n}'s thirty")][0] == "footer" for n in ("Jane", "Bob", "Ann", "Tom"))


def test_the_answers_of_a_forum_thread_are_content(generic):
    # the first post carries an author-and-date line of the same shape as the answers
    lines = ["Starting out with woodworking", "Anna Jun 7, 2017 at 8:28 pm", PARA[0], PARA[1], "3 Replies"]
    for name in ("Ben", "Cara", "Dan"):
        lines += [f"{name} Jun 8, 2017 at 9:1{len(name)} am", LONG_COMMENT.replace("thirty", f"{name}'s thirty")]
    _, result = verdicts(generic, lines)
    for name in ("Ben", "Cara", "Dan"):
        assert LONG_COMMENT.replace("thirty", f"{name}'s thirty") in result.body


def test_a_long_paragraph_outside_the_article_stays_when_there_are_no_comments(generic):
    lines = ["A Headline for the Test", *PARA, "Home", "News", "Sport", "Weather", "Contact", LONG_COMMENT]
    _, result = verdicts(generic, lines)
    assert result.body.endswith(LONG_COMMENT)


COOKIE_NOTICE = [
    "We use cookies on our website to give you the most relevant experience by remembering your preferences and "
    "repeat visits. By clicking Accept, you consent to the use of all the cookies.",
    "Necessary cookies are absolutely essential for the website to function properly and cannot be switched off.",
    "Ce site utilise des cookies pour améliorer votre expérience de navigation.",
    "Мы используем файлы cookie, чтобы сайт работал лучше.",
]


def test_a_cookie_notice_goes_as_footer_wherever_it_stands(generic):
    lines = ["A Headline for the Test", PARA[0], COOKIE_NOTICE[0], PARA[1], PARA[2], PARA[3], *COOKIE_NOTICE[1:]]
    found, result = verdicts(generic, lines)
    assert result.body == "\n\n".join(PARA)
    for line in COOKIE_NOTICE:
        assert found[line] == ("footer", "a cookie notice", "footer"), line


def test_a_story_about_cookies_keeps_its_paragraphs(generic):
    story = [
        "Browsers will block third-party cookies by default from next year, the company said on Tuesday, "
        "ending a practice that advertisers have relied on for two decades to follow users from site to site.",
        "Publishers worry that without cookies they will earn less from advertising, and several of them asked "
        "regulators to look at the plan before it takes effect in the spring.",
        "The company said that cookies set by the site a reader is visiting will still work as before.",
    ]
    _, result = verdicts(generic, ["Cookies to be blocked by default", *story])
    assert result.body == "\n\n".join(story)


def test_the_headline_is_not_the_author_or_date_line_under_it(generic):
    lines = ["Home", "News", "Council approves the budget for the bridge", "Jane Doe", "March 3", "2 min read", *PARA]
    found, result = verdicts(generic, lines)
    assert result.title == "Council approves the budget for the bridge"
    assert result.body == "\n\n".join(PARA)
    assert found["2 min read"][:2] == ("nav", "between the headline and the article, not prose")


def test_the_headline_is_the_line_in_the_urls_slug(generic):
    lines = [
        "Home",
        "The weekly newsletter of the town and of the people who live in it",
        "Council approves budget",
        "Share this story",
        *PARA,
    ]
    result = generic.clean("\n\n".join(lines), url="https://example.com/2024/03/council-approves-budget-for-bridge")
    assert result.title == "Council approves budget"
    assert result.body == "\n\n".join(PARA)
    # without a slug, the longest headline-like line is taken
    assert generic.clean("\n\n".join(lines), url="https://example.com/article?id=12").title == lines[1]


def test_the_headline_further_up_is_found_by_the_urls_slug(generic):
    contents = [
        "In this guide",
        "What the budget pays for",
        "Who decides",
        "When the work starts",
        "What it costs",
        "How to take part",
        "Questions and answers",
        "Share",
        "Print",
        "Save",
    ]
    lines = ["Home", "News", "Council approves budget for bridge repairs", *contents, *PARA]
    result = generic.clean("\n\n".join(lines), url="https://example.com/news/council-approves-budget-for-bridge-repairs")
    assert result.title == "Council approves budget for bridge repairs"
    assert result.body == "\n\n".join(PARA)


# links enough to part a paragraph from the article (OUTSIDE_PROSE_MAX_GAP, and more than the
# article's score), the first a footer link (else the article would introduce a listing of them)
FOOTER_LINKS = [
    "About us",
    "Our team",
    "Work with us",
    "Print edition",
    "Events",
    "Podcasts",
    "Puzzles",
    "Letters",
    "Obituaries",
    "Shop",
    "Archive",
    "Crosswords",
    "Travel",
    "Books",
    "Music",
    "Films",
    "Games",
]
FINE_PRINT = (
    "Market data is provided by the exchanges and is delayed by at least fifteen minutes, except where the page says "
    "otherwise. The prices are shown for information only and are not an offer to buy or sell any of the securities "
    "that they describe, and the publisher does not answer for any loss that comes from using them in any way, nor "
    "for the mistakes of its partners who provide the data, which remains their property at all times and in all of "
    "the countries where the data is shown."
)


def test_a_long_paragraph_far_below_the_article_past_its_links_is_the_footer(generic):
    lines = ["A Headline for the Test", *PARA, *FOOTER_LINKS, FINE_PRINT]
    found, result = verdicts(generic, lines)
    assert result.body == "\n\n".join(PARA)
    assert found[FINE_PRINT] == ("footer", "a paragraph far below the article, past its links", "context")


def test_a_paragraph_far_below_the_article_is_no_part_of_it(generic):
    # dense enough to count as a second part of the article, but alone past a run of links
    lines = ["A Headline for the Test", PARA[0], PARA[1], *FOOTER_LINKS, PARA[2]]
    found, result = verdicts(generic, lines)
    assert result.body == "\n\n".join(PARA[:2])
    assert found[PARA[2]][0] == "footer"


def test_the_second_part_of_a_story_past_a_few_lines_stays(generic):
    gallery = ["Photo gallery", "The bridge", "The school", "The town hall"]
    lines = ["A Headline for the Test", PARA[0], PARA[1], *gallery, PARA[2], *FOOTER_LINKS]
    _, result = verdicts(generic, lines)
    assert PARA[2] in result.body


@pytest.mark.parametrize("heading", ["Related articles", "More from Example News", "Most read"])
def test_a_heading_of_other_stories_ends_the_article(generic, heading):
    teasers = []
    for n in range(3):
        teasers += [
            f"Another story number {n} about something else",
            f"Reporter Number{n}",
            f"The {n} teaser of this story says in one sentence what the story is about, and why.",
        ]
    lines = ["A Headline for the Test", *PARA, heading, *teasers]
    found, result = verdicts(generic, lines)
    assert result.body == "\n\n".join(PARA)
    assert found[heading][0] in ("related", "trending")


def test_a_related_box_inside_a_story_does_not_cut_it(generic):
    # the part above the box scores too little next to the whole run: the box is an aside
    more = [p.replace("the", "that") for p in PARA]
    lines = ["A Headline for the Test", PARA[0], PARA[1], "Related", "Bridge repairs delayed again", PARA[2], PARA[3], *more]
    found, result = verdicts(generic, lines)
    assert result.body == "\n\n".join([*PARA, *more])
    assert found["Bridge repairs delayed again"][0] == "related"


def test_read_more_is_a_link_not_the_end_of_the_story(generic):
    # most of the story is above it, but "Read more" stands under teasers and above
    # paragraphs far more often than it heads a list of other stories
    lines = ["A Headline for the Test", *PARA, "Read more", "The council's earlier budget", PARA[0].replace("the", "that")]
    _, result = verdicts(generic, lines)
    assert result.body.endswith(PARA[0].replace("the", "that"))


def test_a_second_copy_of_the_headline_is_a_duplicate(generic):
    lines = ["A Headline for the Test", "By Jane Doe | 12 March 2024", "A Headline for the Test", *PARA]
    found, result = verdicts(generic, lines)
    assert result.title == "A Headline for the Test"
    assert result.removed[-1].category.value == "duplicate"
    assert result.metadata["author"] == "Jane Doe" and result.metadata["date"] == "2024-03-12"
    assert result.metadata["date_text"] == "12 March 2024"


def test_a_page_without_a_clear_article_is_left_alone(generic):
    lines = ["Blue shirt", "Size M", "In stock", "Red shirt", "Size L", "Sold out"]
    _, result = verdicts(generic, lines)
    assert result.removed == ()


def test_labelled_paragraphs_and_attribution_stay(generic):
    lines = [
        "A Headline for the Test",
        PARA[0],
        "Source: the city's finance office",
        PARA[1],
        "Background:",
        PARA[2],
        PARA[3],
        "(Reuters)",
    ]
    _, result = verdicts(generic, lines)
    assert "Source: the city's finance office" in result.body and "Background:" in result.body
    assert result.body.endswith("(Reuters)")


def test_other_languages(generic):
    ru = [
        "Совет утвердил новый бюджет во вторник после долгих споров, которые продолжались до поздней ночи, "
        "и депутаты обсуждали почти каждую строку плана расходов.",
        "По словам чиновников, план позволит отремонтировать старый мост и две школы в этом районе города, "
        "а работы могут начаться уже весной, как только позволит погода.",
        "Жители, которые выступили на собрании, разошлись во мнениях о стоимости и сроках этих работ, "
        "и некоторые из них попросили опубликовать все контракты в интернете.",
    ]
    found, result = verdicts(
        generic,
        [
            "Главная",
            "Новости",
            "Спорт",
            "Заголовок новости",
            *ru,
            "Реклама",
            "Читайте также",
            "Мост закроют на ремонт",
            "Школы откроются в сентябре",
        ],
    )
    assert result.body == "\n\n".join(ru)
    assert found["Читайте также"][0] == "related"


def _clean(cleaner, lines):
    return cleaner.clean("\n\n".join(lines))


# Pages that are not news stories: documentation, listings, shops, a footer of legal text.

DOC = [
    "Getting started",
    "Install the package and its command line tool with the usual installer of your system:",
    "pip install example",
    "Then create a client in your program, with the name of the project it works on:",
    "import example",
    "client = example.Client(project)",
    "client.connect()",
    "The client reads its settings from the environment, as the section on settings explains in more detail below.",
    "for item in client.items():",
    "print(item)",
    "Settings",
    "Each setting has a default that suits most projects, so that a new project needs no settings file at all to run.",
    "The settings file is read when the client starts, and a change to it takes effect the next time the client starts.",
    "A setting given in the environment wins over the same setting in the file, which makes tests easy to write and to run.",
    "Settings that hold secrets, such as keys and passwords, are never written to the logs, whatever the level of the logs.",
]


def test_code_and_the_sentences_that_introduce_it_stay_with_the_article(generic):
    result = _clean(generic, ["Home", "Docs", "Blog", "Pricing", "Log in", *DOC])
    for line in DOC[1:]:
        assert line in result.body, line
    assert "Pricing" not in result.body


LISTING = [
    f"Prize for the best {kind}: {name}, a first book by a new writer"
    for kind, name in [
        ("novel", "The Long Road"),
        ("poem", "Rivers"),
        ("essay", "On Bridges"),
        ("story", "Night Bus"),
        ("play", "Two Doors"),
        ("memoir", "My Town"),
        ("biography", "The Mayor"),
        ("travel book", "East"),
        ("cookbook", "Bread"),
        ("history", "The Old Bridge"),
    ]
]


def test_the_long_list_under_a_short_introduction_is_the_page(generic):
    page = ["Home", "Prizes", "Winners", "Contact", "The prize winners of 2024", *PARA[:3], *LISTING, "© 2024 Example Prizes"]
    result = _clean(generic, page)
    for line in LISTING:
        assert line in result.body
    assert "© 2024" not in result.body


def test_a_short_list_of_other_stories_under_a_story_still_goes(generic):
    teasers = ["Bridge repairs delayed again", "School roof to be fixed in summer", "Mayor opens the new library"]
    result = _clean(generic, ["A Headline for the Test", *PARA, *teasers])
    assert result.body == "\n\n".join(PARA)


def test_a_table_between_two_parts_of_the_story_stays(generic):
    table = [
        "Bridge repairs across the river: 2.4 million euros",
        "New roof for the north school: 1.1 million euros",
        "The council will pay for the south school with a loan.",
        "Heating for the south school: 0.8 million euros",
        "Road works in the old town: 0.5 million euros",
        "New lights for the main square: 0.3 million euros",
        "Paint for the town hall windows: 0.1 million euros",
        "Trees along the river path: 0.2 million euros",
        "Benches for the city park: 0.05 million euros",
        "A new bus stop at the station: 0.07 million euros",
    ]
    menu = ["Home", "News", "Sport", "Weather", "Contact"]
    result = _clean(generic, [*menu, "A Headline for the Test", PARA[0], PARA[1], *table, PARA[2], PARA[3], *menu])
    for line in table:
        assert line in result.body, line
    assert "Weather" not in result.body


def test_repeated_records_that_outweigh_the_text_are_the_page(generic):
    names = [
        "Blue kettle with a glass window",
        "Steel toaster for four slices",
        "Small coffee grinder with two blades",
        "Cast iron pan for the oven",
        "Wooden board for bread and cheese",
        "Glass teapot with a steel filter",
        "Set of six linen tea towels",
        "Large salad bowl made of oak",
        "Sharp bread knife with a long blade",
        "Enamel milk pan with a spout",
        "Round cake tin with a loose base",
        "Stone mortar with a heavy pestle",
    ]
    products = []
    for k, name in enumerate(names):
        products += [name, f"Price: {12 + k}.99 euros", "Add to basket"]
    page = ["Home", "Shop", "Basket", "Kitchen", *PARA[:3], "Advertisement", *products, "© 2024 Example Shop"]
    result = _clean(generic, page)
    for line in products:
        if line != "Add to basket":  # the copies of a label go as duplicates
            assert line in result.body, line
    assert "Basket" not in result.body.split("\n\n")


def test_the_article_is_not_looked_for_under_the_copyright_line(generic):
    legal = [
        "We use cookies and similar technologies on this site to remember your settings, to measure how the site is used "
        "and to show you offers that match your interests, and we share some of this information with our partners.",
        "Your choices",
        "You can change your choice at any time in the settings of your browser or on the page about cookies, where you "
        "will also find the list of our partners and a description of what each of them does with your information.",
        "If you do not accept the cookies, some parts of the site may not work as they should, and some of the offers "
        "that you see on the site may not match your interests as well as they otherwise would.",
        "This notice was last updated at the start of the year, and we will tell you on this page when it changes again.",
    ]
    story = ["A Headline for the Test", PARA[0], PARA[1], PARA[3]]
    links = [
        "Our team",
        "Work with us",
        "Print edition",
        "Events",
        "Podcasts",
        "Puzzles",
        "Letters",
        "Obituaries",
        "Shop",
        "Archive",
        "Crosswords",
        "Travel",
    ]  # enough to part the story from the legal text
    result = _clean(generic, ["Home", "News", *story, *links, "© 2024 Example Media Group", *legal])
    for line in story[1:]:
        assert line in result.body, line
    assert "Your choices" not in result.body.split("\n\n")
