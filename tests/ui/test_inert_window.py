"""Titles and note bodies from anywhere reach nothing in the window: no HTML rendered from a
title, no image loaded from the analyst's disk or the web by a label, tooltip or preview."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from briefing_app.core.model import ArticleDraft
from briefing_app.ui.library import ArticleListModel
from briefing_app.ui.textpane import TextPane
from tests.ui.support import ARTICLE_ID, ARTICLE_TEXT

IMAGE_HEIGHT = 1500  # pixels: a loaded image would make anything showing it this tall


@pytest.fixture
def tall_image(tmp_path) -> str:
    """A file on the analyst's disk that a title or note names."""
    image = QImage(40, IMAGE_HEIGHT, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    path = tmp_path / "passport.png"
    assert image.save(str(path))
    return str(path)


def shown_as_tooltip(text: str) -> str:
    """What Qt shows for a tooltip: rich text when it looks like HTML."""
    document = QTextDocument()
    if QtGui.Qt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText()


def test_a_title_is_plain_text_in_the_text_pane(qtbot, ui_library, tall_image):
    title = f'<img src="{tall_image}"> Sahel <b>talks</b>'
    added = ui_library.add_draft(ArticleDraft("Mali and Niger met.", title=title, origin="t"))
    pane = TextPane()
    qtbot.addWidget(pane)
    pane.show_article(ui_library.get_article(added.article_id), [])
    assert pane.title_label.text() == title
    assert pane.title_label.textFormat() == Qt.TextFormat.PlainText
    assert pane.title_label.sizeHint().height() < IMAGE_HEIGHT / 10  # one line, no image


def test_a_title_is_plain_text_in_the_library_tooltip(qtbot, ui_library, tall_image):
    title = f'<img src="{tall_image}"> Sahel'
    ui_library.add_draft(ArticleDraft("Mali and Niger met.", title=title, origin="t"))
    model = ArticleListModel(ui_library)
    model.reload()
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    row = next(index for index in rows if model.data(index) == title)
    tooltip = model.data(row, Qt.ItemDataRole.ToolTipRole)
    assert shown_as_tooltip(tooltip).startswith(title + "\n")


def test_the_preview_loads_no_image_and_says_so(window, tall_image):
    body = (
        f"Seen ![secret]({tall_image}) and ![remote](http://example.com/a.png) and "
        f'![file](file://{tall_image})\n\n<img src="{tall_image}">'
    )
    start = ARTICLE_TEXT.index("instructors")
    note = window.notes.create(ARTICLE_ID, start, start + len("instructors"), body=body)
    pane = window.notes_pane
    pane.reload()
    pane.select_note(note.uuid)
    pane.preview_button.click()
    shown = pane.preview.toPlainText()
    assert "[image omitted: secret]" in shown and "[image omitted: file]" in shown
    assert f'<img src="{tall_image}">' in shown  # typed HTML shows as text
    document = pane.preview.document()
    assert document.size().height() < IMAGE_HEIGHT / 5
    for url in (QUrl(tall_image), QUrl.fromLocalFile(tall_image)):
        assert not document.resource(QTextDocument.ResourceType.ImageResource, url)
    # Its tooltip in the list is the body as typed (line breaks aside), not rendered.
    row = pane.model.index(pane.model.row_of(note.uuid), 0)
    tooltip = shown_as_tooltip(pane.model.data(row, Qt.ItemDataRole.ToolTipRole))
    assert tooltip.split() == body.split()


def test_entity_and_timeline_tooltips_show_text_from_the_article_as_written(qtbot, tall_image):
    from briefing_app.core.model import Event, Mention
    from briefing_app.ui.entitypane import EntityModel
    from briefing_app.ui.timelinepane import TimelineEntry, TimelinePane

    name = f'<img src="{tall_image}">Sahel'
    model = EntityModel()
    model.set_mentions([Mention(0, 5, name, "ORG", name)])
    name_item = model.item(0).child(0)
    assert shown_as_tooltip(name_item.toolTip()).startswith(f"ORG: {name}\n")

    sentence = f'<img src="{tall_image}"> Talks resumed in 2024.'
    pane = TimelinePane()
    qtbot.addWidget(pane)
    pane.set_entries([TimelineEntry(1, Event(0, len(sentence), sentence, "2024", "2024", "year"))])
    tooltips = [item.toolTip() for item in pane.marker_items().values()]
    assert tooltips and all(sentence in shown_as_tooltip(tip) for tip in tooltips)
