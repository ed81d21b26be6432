"""Bytes in any encoding a web page comes in become the right text; bytes that are not text
get one clear error. Every input is built here, in the test, from a str and an encoding."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import random
import zipfile

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, InputError, Kind
from cleaner.cli import clean_command
from cleaner_plugins import normalize as normalize_plugin
from cleaner_plugins import segment as segment_plugin
from cleaner_plugins.decode import decode, implausible_words

UK = (
    "Президент України Володимир Зеленський заявив, що переговори з партнерами тривають, "
    "а уряд готує нові рішення щодо енергетики та підтримки регіонів."
)
RU = (
    "Министр иностранных дел заявил журналистам, что переговоры продолжаются в обычном режиме, "
    "а следующая встреча пройдёт в начале будущего месяца."
)
FR = "Le président a déclaré que l'économie française était forte. Ça va très bien, a-t-il ajouté."
DE = "Die Straße führt über die Brücke. Grüße aus Köln, schrieb der Bürgermeister."
ES = "El niño comió piña en la mañana. ¿Dónde está el señor? preguntó la policía."
QUOTES = "He said \u201cthe talks went well\u201d \u2014 and left\u2026 Tickets cost \u20ac5 or \u00a34."
EN = "The minister said on Tuesday that the talks with the partners would continue through the winter."


def page(paragraph: str, headline: str = "Headline of the story") -> str:
    return f"{headline}\n\n{paragraph}\n\n{paragraph[::-1]}\n"


# -- decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, encoding",
    [
        (UK, "utf-8"),
        (UK, "utf-8-sig"),
        (UK, "utf-16"),  # Python writes a BOM
        (RU, "utf-16-le-bom"),
        (RU, "utf-16-be-bom"),
        (UK, "utf-32"),
        (UK, "cp1251"),
        (RU, "cp1251"),
        (RU, "koi8-r"),
        (FR, "latin-1"),
        (FR, "cp1252"),
        (DE, "latin-1"),
        (DE, "cp1252"),
        (ES, "latin-1"),
        (QUOTES, "cp1252"),
        ("Zażółć gęślą jaźń. Wiadomości z Polski i ze świata.", "cp1250"),
        ("Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία.", "cp1253"),
        ("日本の首相は記者会見で新しい経済政策について述べた。", "shift_jis"),
        ("中国政府今天宣布了新的经济政策和能源计划。", "gb18030"),
    ],
)
def test_paragraphs_decode_to_the_text_they_were(text, encoding):
    if encoding.endswith("-bom"):
        codec = encoding.removesuffix("-bom")
        data = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + text.encode(codec)
    else:
        data = text.encode(encoding)
    assert decode(data) == text


@pytest.mark.parametrize(
    "text",
    ["Новости", "Привет, мир.", "Главная | Новости | Спорт", "В Киеве", "Київ", "Головна", "Київ. Зеленський заявив."],
)
def test_short_cyrillic_in_cp1251_is_not_read_as_another_code_page(text):
    # charset-normalizer alone reads several of these as cp1125, cp1250 or shift_jis
    assert decode(text.encode("cp1251")) == text


@pytest.mark.parametrize("text", ["Café", "Grüße", "naïve", "Très bien", "The café on the corner.", "Señor"])
def test_short_latin1_words_stay_latin(text):
    assert decode(text.encode("latin-1")) == text
    assert decode(text.encode("cp1252")) == text


def test_utf16_without_a_mark_is_told_by_its_zero_bytes():
    assert decode(EN.encode("utf-16-le")) == EN
    assert decode(EN.encode("utf-16-be")) == EN


def test_utf8_with_a_stray_byte_stays_utf8_with_one_replacement():
    head, tail = UK[: len(UK) // 2], UK[len(UK) // 2 :]
    assert decode(head.encode() + b"\xff" + tail.encode()) == head + "\ufffd" + tail
    # a page cut in the middle of a character (a crawler's byte limit)
    assert decode(UK.encode() + "й".encode()[:1]) == UK + "\ufffd"
    # but a Latin-1 page with one accented letter is Latin-1, not damaged UTF-8
    assert decode(f"{EN} Café.".encode("latin-1")) == f"{EN} Café."


def test_bom_marked_text_with_a_damaged_tail_keeps_its_text():
    data = codecs.BOM_UTF16_LE + UK.encode("utf-16-le") + b"\x00"  # an odd byte at the end
    assert decode(data) == UK + "\ufffd"
    assert decode(codecs.BOM_UTF8 + UK.encode() + b"\xff") == UK + "\ufffd"


def test_legacy_text_is_read_whole_beyond_the_detection_sample(monkeypatch):
    from cleaner_plugins import decode as decode_module

    monkeypatch.setattr(decode_module, "DETECT_BYTES", 1000)
    text = "\n".join([UK] * 50)
    assert decode(text.encode("cp1251")) == text


def test_empty_and_blank_input():
    assert decode(b"") == ""
    assert decode(codecs.BOM_UTF8) == ""
    assert Cleaner(autoload=False).clean(b"").text == ""
    assert Cleaner(autoload=False).clean(b" \n\r\n\t\n").text == ""


def test_implausible_words_count_what_no_language_writes():
    assert implausible_words("Привет, мир.") == 0
    assert implausible_words("Le président a déclaré") == 0
    assert implausible_words("Íîâîñòè") == 1  # Новости read as cp1252
    assert implausible_words("Cafй") == 1  # Café read as cp1251: two scripts in a word
    assert implausible_words("Za¿ó³æ gê¶l¹") == 2  # Polish read as cp1252: symbols inside words
    assert implausible_words("don’t l·l") == 0


# -- through the engine: the page's article survives, as valid UTF-8 ------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251"])
def test_a_ukrainian_page_is_cleaned_whatever_its_encoding(default_cleaner, encoding):
    text = f"Головна | Новини | Спорт\n\nРеклама\n\n{UK}\n\n{UK.replace('Президент', 'Прем’єр')}\n"
    result = default_cleaner.clean(text.encode(encoding))
    assert UK in result.text
    assert "Реклама" not in result.text
    result.text.encode("utf-8")


def test_a_cp1251_html_page_is_decoded_then_parsed(default_cleaner):
    html = (
        '<html><head><meta charset="windows-1251"><title>Новини</title></head><body>'
        f"<article><h1>Новини дня</h1><p>{UK}</p><p>{UK[::-1]}</p></article></body></html>"
    )
    result = default_cleaner.clean(html.encode("cp1251"))
    assert result.kind is Kind.HTML
    assert UK in result.text


LINE_ENDINGS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"]


@pytest.mark.parametrize("ending", LINE_ENDINGS)
def test_every_line_ending_separates_lines(ending):
    engine = Cleaner(builtins=False, plugins=[normalize_plugin, segment_plugin])
    text = ending.join(["One line", "Two line", "", "Three line"])
    result = engine.clean(text)
    assert result.text == "One line\nTwo line\n\nThree line"
    assert [b.lineno for b in (d.block for d in result.decisions)] == [1, 2, 4]


def test_mixed_line_endings_in_one_page(default_cleaner):
    text = f"Headline of the story\r\n\r\n{EN}\r{EN[::-1]}\u2028{FR}\n\nAdvertisement\r\n"
    engine = Cleaner(builtins=False, plugins=[normalize_plugin, segment_plugin])
    assert engine.clean(text).text == f"Headline of the story\n\n{EN}\n{EN[::-1]}\n{FR}\n\nAdvertisement"
    cleaned = default_cleaner.clean(text.encode("utf-8")).text
    assert EN in cleaned and FR in cleaned and "Advertisement" not in cleaned
    assert "\r" not in cleaned and "\u2028" not in cleaned


def test_lone_surrogates_in_a_str_become_replacement_characters():
    # json.loads('"\\ud800"') and os.fsdecode give str that no UTF-8 text can hold
    result = Cleaner(autoload=False).clean(f"Headline of the story\n\n{EN[:40]}\ud800{EN[40:]}\n\n\udcff lone\n")
    assert "\ud800" not in result.text and "\udcff" not in result.text
    assert f"{EN[:40]}\ufffd{EN[40:]}" in result.text
    result.text.encode("utf-8")
    for removal in result.removed:
        removal.text.encode("utf-8")


def test_invisible_and_control_characters_go_but_words_stay():
    engine = Cleaner(builtins=False, plugins=[normalize_plugin, segment_plugin])
    text = "\ufeffOne\u200b line\x00 with\u00a0odd\x9f\tspaces\u2009and  soft hy\u00adphens\u200e"
    assert engine.clean(text).text == "One line with odd spaces and soft hyphens"


# -- not text: one clear error -------------------------------------------------------------


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.txt", EN)
    return buffer.getvalue()


NOT_TEXT = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "a PNG image"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01", "a JPEG image"),
    "gif": (b"GIF89a\x10\x00\x10\x00\x80\x00\x00", "a GIF image"),
    "gzip": (gzip.compress(EN.encode() * 20), "gzip-compressed data"),
    "bzip2": (bz2.compress(EN.encode() * 20), "bzip2-compressed data"),
    "xz": (lzma.compress(EN.encode() * 20), "xz-compressed data"),
    "zip": (_zip(), "a ZIP archive"),
    "elf": (b"\x7fELF\x02\x01\x01\x00" + bytes(56), "an executable"),
    "random": (random.Random(7).randbytes(4096), "binary data"),
    "nul-padded": (EN.encode() + bytes(600), "binary data"),
}


@pytest.mark.parametrize("name", sorted(NOT_TEXT))
def test_content_that_is_not_text_is_an_input_error_naming_what_it_is(name):
    data, what = NOT_TEXT[name]
    with pytest.raises(InputError, match=what):
        Cleaner(autoload=False).clean(data)


def test_a_bom_followed_by_binary_is_not_taken_for_text():
    data = codecs.BOM_UTF16_LE + random.Random(3).randbytes(4096)
    with pytest.raises(InputError, match="not valid utf-16"):
        decode(data)


@pytest.mark.parametrize("name", ["pdf", "png", "gzip", "random"])
def test_the_cli_gives_one_error_line_and_exit_1_for_a_file_that_is_not_text(tmp_path, name):
    data, what = NOT_TEXT[name]
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(f"Headline of the story\n\n{EN}\n", encoding="utf-8")
    env = {"CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = CliRunner().invoke(clean_command, [str(path), str(good)], env=env)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = result.stderr.splitlines()
    assert errors[0] == f"clean: {path}: this is {what}, not text"
    assert errors[-1] == "clean: 1 of 2 inputs failed"
    assert "Traceback" not in result.output + result.stderr
    assert EN in result.stdout  # the good file after it is still cleaned


def test_cli_output_is_valid_utf8_for_legacy_input(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(page(UK).encode("cp1251"))
    result = CliRunner().invoke(clean_command, [str(path)], env={"CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert result.exit_code == 0, result.stderr
    assert UK in result.stdout_bytes.decode("utf-8")


def test_stdin_in_utf16_is_decoded(tmp_path):
    result = CliRunner().invoke(
        clean_command, ["-"], input=page(RU).encode("utf-16"), env={"CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
    )
    assert result.exit_code == 0, result.stderr
    assert RU in result.stdout


def test_output_valid_for_every_encoding_of_the_same_page():
    cleaner = Cleaner(autoload=False)
    outputs = set()
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1251"):
        outputs.add(cleaner.clean(page(UK).encode(encoding)).text)
    assert len(outputs) == 1
    outputs.pop().encode("utf-8")
