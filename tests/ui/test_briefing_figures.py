"""The timeline figures of a briefing's PDF take their room on the page, however the laid-out
document is made (ui/pdf.briefing_document, which the export and bench_export both use)."""

from __future__ import annotations

from PySide6.QtGui import QPdfWriter

from briefing_app.core.export.briefing import collect_briefing
from briefing_app.core.model import ArticleDraft, Event, Extraction
from briefing_app.core.notes import NoteStore
from briefing_app.ui import pdf
from briefing_app.ui.briefingfigure import FigureRows, figure_height
from briefing_app.ui.timelinefigure import MAX_ROWS

TEXT = "Lavrov met the ministers on September 6, 2023.\nThe three states left ECOWAS in January 2024.\n"


def dated_article(library) -> int:
    article_id = library.add_draft(
        ArticleDraft(text=TEXT, title="Sahel", source="TASS", origin="t")
    ).article_id
    first, second = TEXT.split("\n")[:2]
    library.save_extraction(
        article_id,
        Extraction(
            events=(
                Event(0, len(first), first, "2023-09-06", "2023-09-06", "day"),
                Event(len(first) + 1, len(first) + 1 + len(second), second, "2024-01", "2024-01", "month"),
            ),
            engine="t",
        ),
    )
    NoteStore(library).create(article_id, 0, len(first), body="The meeting.")
    return article_id


def test_a_document_made_without_figures_given_keeps_its_own(qapp, library, tmp_path):
    briefing = collect_briefing(library, [dated_article(library)])
    writer = QPdfWriter(str(tmp_path / "measure.pdf"))
    writer.setResolution(pdf.RESOLUTION)
    _, body = pdf._page_rects()
    own = pdf.briefing_document(briefing, writer, body.width())
    # Laid out before any other handler exists (one made later could take the memory of a
    # deleted one, and a dangling handler would seem to work).
    own_height, own_figure = own.size().height(), figure_line_height(own)
    given = pdf.briefing_document(
        briefing, writer, body.width(), pdf.BriefingFigures(pdf._timelines(briefing))
    )
    # The figure's line is as tall as its rows in the document that made its own handler too
    # (that handler was once deleted on return, leaving Qt a dangling pointer: in a script
    # the figure took no room, and bench_export counted 140 pages for 153).
    figure = figure_height(briefing.sections[0].timeline) * pdf.RESOLUTION / 96
    assert figure > 0
    assert own_figure >= figure
    assert own_height == given.size().height()


def figure_line_height(document) -> float:
    block = document.firstBlock()
    while block.isValid():
        if "\ufffc" in block.text():  # the figure: an image in its own paragraph
            return block.layout().lineAt(0).height()
        block = block.next()
    return 0.0


def test_figure_rows_are_the_dated_events_up_to_the_figures_rows():
    undated = Event(0, 5, "Later", None, None, "")
    dated = [Event(i, i + 1, f"e{i}", f"{2000 + i}", f"{2000 + i}", "year") for i in range(MAX_ROWS + 6)]
    figure = FigureRows.of([undated, *dated])
    assert [event for event, _ in figure.rows] == dated[:MAX_ROWS]
    assert figure.hidden == 6
    assert FigureRows.of([undated]).height == 0
    assert figure.height == figure_height([undated, *dated]) > 0
