from PySide6.QtGui import QTextCursor, QTextDocument

from briefing_app.ui.qtoffsets import Utf16Positions

TEXT = "Traoré 👋 met Sangaré 🇲🇱 in Bamako; Zoë said 𝔅 ok"


def test_bmp_text_maps_one_to_one():
    positions = Utf16Positions("Traoré and Sangaré (accents are one UTF-16 unit each)")
    assert positions.to_qt(10) == 10
    assert positions.from_qt(10) == 10


def test_round_trip_with_emoji_and_flags():
    positions = Utf16Positions(TEXT)
    assert positions.utf16_length == len(TEXT.encode("utf-16-le")) // 2
    for offset in range(len(TEXT) + 1):
        assert positions.from_qt(positions.to_qt(offset)) == offset
        assert positions.to_qt(offset) == len(TEXT[:offset].encode("utf-16-le")) // 2


def test_inside_a_surrogate_pair_is_that_character():
    positions = Utf16Positions(TEXT)
    wave = TEXT.index("👋")
    assert positions.from_qt(positions.to_qt(wave) + 1) == wave


def test_spans_select_the_same_text_in_qt():
    document = QTextDocument()
    document.setPlainText(TEXT)
    positions = Utf16Positions(TEXT)
    for name in ("Sangaré", "Bamako", "Zoë", "ok", "🇲🇱"):
        start = TEXT.index(name)
        cursor = QTextCursor(document)
        qt_start, qt_end = positions.span_to_qt(start, start + len(name))
        cursor.setPosition(qt_start)
        cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == name
