from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor

from briefing_app.ui.textpane import ENTITY_COLOURS, mention_format
from tests.support.ui import ARTICLE_ID, ARTICLE_TEXT, format_at


def test_mentions_are_highlighted_at_their_offsets_after_emoji(window):
    pane = window.text_pane
    assert pane.article.id == ARTICLE_ID
    # Both "Lavrov" marks sit after non-BMP characters: a UTF-16 slip would miss them.
    for name, label in (("Sergey Lavrov", "PERSON"), ("Bakary Yaou Sangaré", "PERSON"), ("Mali", "GPE")):
        start = ARTICLE_TEXT.index(name)
        for offset in (start, start + len(name) - 1):
            assert format_at(pane, offset).background().color() == QColor(ENTITY_COLOURS[label]), name
    plain = ARTICLE_TEXT.index("received")
    assert format_at(pane, plain).background().style() == Qt.BrushStyle.NoBrush
    # The document is the canonical text, unchanged by the marks.
    assert pane.view.document().toPlainText() == ARTICLE_TEXT


def test_blocks_are_styled(window):
    pane = window.text_pane
    body = format_at(pane, ARTICLE_TEXT.index("received"))
    source = format_at(pane, ARTICLE_TEXT.index("Photo:"))
    assert source.foreground().color() != body.foreground().color()  # the source line is faded


def test_tooltip_names_type_and_canonical_entity(window):
    view = window.text_pane.view
    mention = view.mention_at(ARTICLE_TEXT.index("Yaou"))
    assert (mention.label, mention.canonical) == ("PERSON", "Bakary Yaou Sangaré")
    assert view.mention_at(ARTICLE_TEXT.index("received")) is None


def test_find_bar_moves_through_matches(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.text_pane.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "Lavrov")
    view = window.text_pane.view
    first = view.textCursor().selectionStart()
    assert view.textCursor().selectedText() == "Lavrov"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert view.textCursor().selectionStart() > first
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_text_size_keeps_titles_relative(window, qtbot):
    pane = window.text_pane
    before = pane.view.document().defaultFont().pointSizeF()
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    assert pane.view.document().defaultFont().pointSizeF() == before + 2
    window.zoom_out_action.trigger()
    assert pane.view.document().defaultFont().pointSizeF() == before + 1


def test_marks_stay_readable_on_a_dark_palette():
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
    fmt = mention_format("PERSON", dark)
    assert fmt.background().color().lightness() < 100  # a dim tint: light text stays readable
    assert fmt.underlineColor() == QColor(ENTITY_COLOURS["PERSON"])
    assert not fmt.hasProperty(fmt.Property.ForegroundBrush)


def test_mark_as_entity_from_a_text_selection(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("ORG", True))
    start = ARTICLE_TEXT.index("Foreign Minister")
    window.mark_as_entity(start, start + len("Foreign Minister"))
    qtbot.waitUntil(lambda: "Foreign Minister" in [e.name for e in window.entity_pane.model.entities()])
    assert format_at(window.text_pane, start).background().color() == QColor(ENTITY_COLOURS["ORG"])


def test_text_context_menu_offers_mark_as_entity(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    asked = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: asked.append(a) or ("", False))
    view = window.text_pane.view
    start = ARTICLE_TEXT.index("instructors")
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(start))
    cursor.setPosition(view.positions.to_qt(start + 11), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selected_span() == (start, start + 11)
    emitted = []
    view.mark_entity_requested.connect(lambda s, e: emitted.append((s, e)))
    menu = view.context_menu(QPoint(5, 5))
    next(a for a in menu.actions() if a.text() == "Mark as Entity…").trigger()
    assert emitted == [(start, start + 11)]
    assert "instructors" in asked[0][2]  # the window asked for the type of "instructors"


def test_opening_articles_one_after_another_keeps_one_document(window, qtbot):
    from PySide6.QtGui import QTextDocument

    view = window.text_pane.view
    others = [i for i in window.library_pane.model.loaded_ids() if i != ARTICLE_ID]
    for article_id in [*others, ARTICLE_ID] * 3:
        window.open_article(article_id)
    # Each article's document replaced the one before; the old ones go once the loop runs.
    qtbot.waitUntil(lambda: len(view.findChildren(QTextDocument)) == 1)
    assert view.document() is view.findChildren(QTextDocument)[0]
    assert view.document().toPlainText() == ARTICLE_TEXT
