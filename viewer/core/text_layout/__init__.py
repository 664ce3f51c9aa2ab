"""The reading view of a text object as plain data: the text shown, its blocks, and where every span lands.

Core layer, no Qt. Text, HyperText and Paragraphs become one TextDocument (plain.py, hypertext.py on model.py);
build.py puts the span regions of chosen layers on it in code points of the shown text, each with a lane.
"""

from viewer.core.text_layout.build import build_document, build_layout, place_spans, span_values, text_objects
from viewer.core.text_layout.hypertext import hypertext_document, hypertext_span_value, safe_tree
from viewer.core.text_layout.model import (LINE_SEPARATOR, MAX_SHOWN_CHARACTERS, SPAN_SHAPES, TEXT_KINDS, Block,
                                           LayerKey, PlacedSpan, Placement, RegionKey, Run, SpanPlacer, TextDocument,
                                           TextLayoutModel, cut_document, cut_note)
from viewer.core.text_layout.plain import paragraphs_document, text_document

__all__ = [
    "Block", "LINE_SEPARATOR", "LayerKey", "MAX_SHOWN_CHARACTERS", "PlacedSpan", "Placement", "RegionKey", "Run",
    "SPAN_SHAPES", "SpanPlacer", "TEXT_KINDS", "TextDocument", "TextLayoutModel", "build_document", "build_layout",
    "cut_document", "cut_note", "hypertext_document", "hypertext_span_value", "paragraphs_document", "place_spans",
    "safe_tree", "span_values", "text_document", "text_objects",
]
