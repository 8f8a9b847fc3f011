"""The Literal types of model.py name the same values as the tables the code checks against."""

from typing import get_args

from briefing_app.core.anchoring import ANCHOR_STATES
from briefing_app.core.model import AnchorState, NoteColor
from briefing_app.core.notes import DEFAULT_COLOR, NOTE_COLORS, check_color


def test_note_color_type_lists_exactly_the_offered_colours() -> None:
    assert set(get_args(NoteColor)) == set(NOTE_COLORS)
    assert DEFAULT_COLOR in NOTE_COLORS


def test_anchor_state_type_lists_exactly_the_anchor_states() -> None:
    assert set(get_args(AnchorState)) == set(ANCHOR_STATES)


def test_check_color_accepts_every_typed_colour() -> None:
    for color in get_args(NoteColor):
        assert check_color(color) == color
