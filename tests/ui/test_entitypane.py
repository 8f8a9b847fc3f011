from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from briefing_app.ui.entitypane import ENTITY_ROLE, SPANS_ROLE
from tests.support.ui import ARTICLE_TEXT, wait_for_jobs, wait_for_writes


def entity_index(pane, name):
    model = pane.model
    for t in range(model.rowCount()):
        type_item = model.item(t)
        for r in range(type_item.rowCount()):
            if type_item.child(r).text() == name:
                return type_item.child(r).index()
    raise AssertionError(f"{name} not in the entity pane")


def click(qtbot, pane, index):
    rect = pane.view.visualRect(index)
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def selected_offsets(window):
    cursor = window.text_pane.view.textCursor()
    positions = window.text_pane.positions
    return positions.from_qt(cursor.selectionStart()), positions.from_qt(cursor.selectionEnd())


def test_model(window, qtmodeltester):
    qtmodeltester.check(window.entity_pane.model)


def test_grouped_by_type_and_sorted_by_count(window):
    model = window.entity_pane.model
    types = [model.item(t).text() for t in range(model.rowCount())]
    totals = [int(model.item(t, 1).text()) for t in range(model.rowCount())]
    assert types[:2] == ["Countries, cities", "People"] and totals[:3] == [5, 5, 2]
    people = model.item(1)
    names = [people.child(r).text() for r in range(people.rowCount())]
    counts = [int(people.child(r, 1).text()) for r in range(people.rowCount())]
    assert names[0] == "Lavrov" and counts == sorted(counts, reverse=True)


def test_click_marks_every_mention_and_steps_through_them(window, qtbot):
    pane = window.entity_pane
    index = entity_index(pane, "Moscow")
    spans = index.data(SPANS_ROLE)
    assert len(spans) == 2
    click(qtbot, pane, index)
    assert selected_offsets(window) == spans[0]
    assert len(window.text_pane.view.extraSelections()) == 2
    click(qtbot, pane, index)
    assert selected_offsets(window) == spans[1]
    click(qtbot, pane, index)
    assert selected_offsets(window) == spans[0]


def test_rename_shows_in_pane_and_text_and_survives_reextraction(window, qtbot, monkeypatch):
    pane = window.entity_pane
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Sergei Lavrov", True))
    pane.rename(entity_index(pane, "Sergey Lavrov").data(ENTITY_ROLE))
    wait_for_writes(qtbot, window)
    assert window.statusBar().currentMessage() == "Renamed “Sergey Lavrov” to “Sergei Lavrov”."
    assert entity_index(pane, "Sergei Lavrov").isValid()
    view = window.text_pane.view
    assert view.mention_at(ARTICLE_TEXT.index("Sergey Lavrov")).canonical == "Sergei Lavrov"
    window.reextract_open_article()
    wait_for_jobs(qtbot, window)
    assert entity_index(pane, "Sergei Lavrov").isValid()


def test_not_an_entity_goes_after_reextraction_and_stays_gone(window, qtbot):
    pane = window.entity_pane

    pane.reject(entity_index(pane, "Niger").data(ENTITY_ROLE))
    wait_for_jobs(qtbot, window)
    names = [e.name for e in pane.model.entities()]
    assert "Niger" not in names and "Mali" in names
    assert window.text_pane.view.mention_at(ARTICLE_TEXT.index("Niger")) is None
    window.reextract_open_article()
    wait_for_jobs(qtbot, window)
    assert "Niger" not in [e.name for e in pane.model.entities()]


def test_change_type_and_merge(window, qtbot, monkeypatch):
    pane = window.entity_pane
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("LOC", True))
    pane.change_type(entity_index(pane, "Mali").data(ENTITY_ROLE))
    wait_for_writes(qtbot, window)
    assert ("Mali", "LOC") in [(e.name, e.label) for e in pane.model.entities()]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Sergey Lavrov (PERSON)", True))
    pane.merge(entity_index(pane, "Lavrov").data(ENTITY_ROLE))
    wait_for_writes(qtbot, window)
    assert window.statusBar().currentMessage() == "Merged “Lavrov” into “Sergey Lavrov”."
    names = [e.name for e in pane.model.entities()]
    assert "Lavrov" not in names
    assert int(entity_index(pane, "Sergey Lavrov").siblingAtColumn(1).data()) == 3


def test_articles_mentioning_it_filters_the_library(window, qtbot):
    pane = window.entity_pane

    assert window.library_pane.model.rowCount() == 3
    pane.show_mentioning.emit(entity_index(pane, "Mali").data(ENTITY_ROLE).name)
    qtbot.waitUntil(lambda: window.library_pane.model.rowCount() == 1)  # read in the background
    assert window.count_label.text() == "1 of 3 articles"


def test_not_an_entity_rejects_only_the_type_it_was_rejected_as(window, qtbot):
    import dataclasses

    from briefing_app.core.extract.registry import Registry
    from tests.support.ui import ARTICLE_ID, FakeExtractor

    # "Mali" found twice: once (wrongly) as a person, once as a country.
    extraction = FakeExtractor(Registry()).extract(ARTICLE_TEXT)
    first_mali = ARTICLE_TEXT.index("Mali")
    mentions = tuple(
        dataclasses.replace(m, label="PERSON") if m.start == first_mali else m for m in extraction.mentions
    )
    window.library.save_extraction(ARTICLE_ID, dataclasses.replace(extraction, mentions=mentions))
    window.refresh_article()
    pane = window.entity_pane
    entities = [(e.name, e.label) for e in pane.model.entities()]
    assert ("Mali", "PERSON") in entities and ("Mali", "GPE") in entities
    person = next(e for e in pane.model.entities() if (e.name, e.label) == ("Mali", "PERSON"))

    pane.reject(person)
    wait_for_jobs(qtbot, window)
    entities = [(e.name, e.label) for e in pane.model.entities()]
    assert ("Mali", "PERSON") not in entities and ("Mali", "GPE") in entities
    view = window.text_pane.view
    second_mali = ARTICLE_TEXT.index("Mali", first_mali + 1)
    assert view.mention_at(second_mali).label == "GPE"
    window.reextract_open_article()
    wait_for_jobs(qtbot, window)
    assert ("Mali", "GPE") in [(e.name, e.label) for e in pane.model.entities()]
    assert [view.mention_at(offset).label for offset in (first_mali, second_mali)] == ["GPE", "GPE"]
