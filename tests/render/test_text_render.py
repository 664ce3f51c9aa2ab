"""Text tasks drawn to PNG: every span's underline sits under its characters, in its label's colour and lane."""

from __future__ import annotations

import socket
import urllib.request

import numpy as np
import pytest
from PIL import Image

from tests.builders import write_project
from tests.conftest import load_vector
from viewer.cli import main

RED, GREEN, BLUE, PURPLE = (255, 0, 0), (0, 176, 0), (0, 0, 255), (128, 0, 160)
LABELS = ('<Label value="PER" background="#00b000"/><Label value="LOC" background="#0000ff"/>'
          '<Label value="ORG" background="#8000a0"/>')
TEXT = f'<View><Text name="text" value="$text"/><Labels name="ner" toName="text">{LABELS}</Labels></View>'
HYPER = (f'<View><HyperText name="html" value="$html"/><HyperTextLabels name="ner" toName="html">{LABELS}'
         f'</HyperTextLabels></View>')
DIALOG = (f'<View><Paragraphs name="dialog" value="$dialog" nameKey="author" textKey="text"/>'
          f'<ParagraphLabels name="ner" toName="dialog">{LABELS}</ParagraphLabels></View>')
MARGIN = 12.0


def span(start, end, label, rid, to_name="text", **value):
    return {"id": rid, "from_name": "ner", "to_name": to_name, "type": "labels",
            "value": {"start": start, "end": end, "labels": [label], **value}}


def project(tmp_path, config, data, results):
    from viewer.core.project import open_project

    tasks, config_path = write_project(tmp_path, [{"id": 7, "data": data,
                                                   "predictions": [{"model_version": "m", "result": results}]}],
                                       config)
    loaded = open_project(tasks, config_path)
    return loaded, loaded.tasks[0]


@pytest.fixture
def render(qapp, px, tmp_path):
    from viewer.render.text_render import render_text_task

    def run(config, data, results, width=600, **options):
        loaded, task = project(tmp_path, config, data, results)
        return px.to_array(render_text_task(loaded, task, width, **options))[:, :, :3].astype(int)

    return run


def advance(text: str, bold: bool = False) -> float:
    """Where `text` ends when laid out from the left margin in the body font (measured independently)."""
    from PySide6.QtGui import QFont, QFontMetricsF

    from viewer.render.text_geometry import TextOptions

    font = QFont()
    font.setPixelSize(TextOptions().font_pixel_size)
    font.setBold(bold)
    return MARGIN + QFontMetricsF(font).horizontalAdvance(text)


def bar(pixels: np.ndarray, color) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns painted exactly in a label colour: its underlines (tints and tags are blended)."""
    ys, xs = np.nonzero((pixels == np.array(color)).all(axis=2))
    assert len(xs), f"no pixel of {color}"
    return ys, xs


def assert_x_range(xs: np.ndarray, start: float, end: float) -> None:
    assert abs(xs.min() - start) <= 2 and abs(xs.max() + 1 - end) <= 2, (xs.min(), xs.max() + 1, start, end)


def test_overlapping_and_nested_spans_each_draw_their_colour_under_their_characters(render):
    text = "Alpha Beta Gamma Delta"
    pixels = render(TEXT, {"text": text}, [span(0, 10, "PER", "a"), span(6, 16, "LOC", "b"),
                                           span(6, 10, "ORG", "c")])
    rows = {}
    for color, (start, end) in ((GREEN, (0, 10)), (BLUE, (6, 16)), (PURPLE, (6, 10))):
        ys, xs = bar(pixels, color)
        assert_x_range(xs, advance(text[:start]), advance(text[:end]))
        rows[color] = set(ys.tolist())
    assert not rows[GREEN] & rows[BLUE] and not rows[GREEN] & rows[PURPLE] and not rows[BLUE] & rows[PURPLE]
    # every underline lies below the line of text, whose glyphs are dark
    text_rows = np.nonzero((pixels.max(axis=2) < 90).any(axis=1))[0]
    assert min(min(r) for r in rows.values()) > text_rows.min()
    # the nested word is tinted by all three spans, so it is darker than a word with one span over it
    middle = int((text_rows.min() + text_rows.max()) / 2)
    beta, alpha = int(advance("Alpha Be")), int(advance("Al"))
    band = slice(middle - 6, middle + 6)
    assert pixels[band, beta - 1:beta + 1].sum() < pixels[band, alpha - 1:alpha + 1].sum()


def test_emoji_and_crlf_offsets_put_each_span_under_its_word(render):
    sample = load_vector("text_offsets.json")["samples"][0]
    text = sample["text"]  # "Hi 😀 there\r\nBob and Ann"
    pixels = render(TEXT, {"text": text}, [span(5, 10, "PER", "there"), span(12, 15, "LOC", "bob")])
    there_y, there_x = bar(pixels, GREEN)
    assert_x_range(there_x, advance("Hi 😀 "), advance("Hi 😀 there"))
    bob_y, bob_x = bar(pixels, BLUE)
    assert_x_range(bob_x, MARGIN, advance("Bob"))  # "Bob" opens the second line
    assert bob_y.min() > there_y.max()


def test_crlf_is_one_line_break_on_screen(render):
    heights = [render(TEXT, {"text": text}, []).shape[0] for text in ("a\r\nb", "a\nb", "a\n\nb")]
    assert heights[0] == heights[1] < heights[2]


def test_hypertext_runs_no_script_fetches_nothing_and_places_spans_by_xpath(render, monkeypatch):
    touched = []

    def refuse(*args, **kwargs):
        touched.append(args)
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    body = '<p>Hello <b>Bob</b> and Ann</p>'
    evil = ('<script>document.body.innerHTML = "EVIL"; fetch("http://evil.example/")</script>'
            '<style>p { background: url(http://evil.example/bg.png) }</style>')
    result = span("/p[1]/b[1]/text()[1]", "/p[1]/b[1]/text()[1]", "PER", "h", to_name="html",
                  startOffset=0, endOffset=3, text="Bob")
    result["type"] = "hypertextlabels"
    result["value"]["hypertextlabels"] = result["value"].pop("labels")
    plain = render(HYPER, {"html": body}, [result])
    pixels = render(HYPER, {"html": body + evil}, [result])
    assert touched == []
    assert np.array_equal(plain, pixels)  # the script and style add nothing to the picture
    _, xs = bar(pixels, GREEN)
    assert_x_range(xs, advance("Hello "), advance("Hello ") + advance("Bob", bold=True) - MARGIN)
    with_image = render(HYPER, {"html": body + '<img src="http://evil.example/a.png" alt="logo">'}, [result])
    assert touched == [] and with_image.shape[0] > plain.shape[0]  # a "not loaded" line stands for it


def test_paragraph_spans_sit_in_their_phrase_after_the_author(render):
    phrases = [{"author": "Ann", "text": "hello there"}, {"author": "Bob", "text": "ok then"}]
    result = {"id": "q", "from_name": "ner", "to_name": "dialog", "type": "paragraphlabels",
              "value": {"start": "1", "end": "1", "startOffset": 3, "endOffset": 7, "text": "then",
                        "paragraphlabels": ["LOC"]}}
    pixels = render(DIALOG, {"dialog": phrases}, [result])
    ys, xs = bar(pixels, BLUE)
    start = advance("Bob: ", bold=True) + advance("ok ") - MARGIN
    assert_x_range(xs, start, start + advance("then") - MARGIN)
    first_line = np.nonzero((pixels.max(axis=2) < 90).any(axis=1))[0].min()
    assert ys.min() > first_line + 20  # on the second phrase, not the first


def hyper_span(start_offset, end_offset, label, rid, path="/p[1]/text()[1]"):
    return {"id": rid, "from_name": "ner", "to_name": "html", "type": "hypertextlabels",
            "value": {"start": path, "end": path, "startOffset": start_offset, "endOffset": end_offset,
                      "hypertextlabels": [label]}}


def test_hypertext_offsets_in_a_text_node_are_utf16_units_as_label_studio_draws_them(render):
    # the example: 15..21 covers "😀 hom" (the emoji is two units), 15..22 "😀 home"
    html = "<p>Tom &amp; Jerry&nbsp;go 😀 home<br>next line</p>"
    pixels = render(HYPER, {"html": html}, [hyper_span(15, 21, "PER", "a")])
    _, xs = bar(pixels, GREEN)
    start = advance("Tom & Jerry\u00a0go ")
    assert_x_range(xs, start, start + advance("😀 hom") - MARGIN)
    pixels = render(HYPER, {"html": html}, [hyper_span(15, 22, "LOC", "b")])
    _, xs = bar(pixels, BLUE)
    assert_x_range(xs, start, start + advance("😀 home") - MARGIN)


def test_paragraph_spans_with_number_indices_draw_no_highlight_as_in_label_studio(render):
    phrases = [{"author": "Ann", "text": "hello there"}, {"author": "Bob", "text": "ok then"}]
    result = {"id": "q", "from_name": "ner", "to_name": "dialog", "type": "paragraphlabels",
              "value": {"start": 1, "end": 1, "startOffset": 3, "endOffset": 7, "paragraphlabels": ["LOC"]}}
    pixels = render(DIALOG, {"dialog": phrases}, [result])
    assert not (pixels == np.array(BLUE)).all(axis=2).any()
    result["value"]["start"] = result["value"]["end"] = "1"  # the same span as Label Studio writes it is drawn
    bar(render(DIALOG, {"dialog": phrases}, [result]), BLUE)


def test_selection_is_outlined_in_red_and_hits_find_the_innermost_span(qapp, tmp_path, px):
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QImage, QPainter

    from viewer.render.text_content import text_contents
    from viewer.render.text_painter import TextPainter

    loaded, task = project(tmp_path, TEXT, {"text": "Alpha Beta Gamma"},
                           [span(0, 10, "PER", "outer"), span(6, 10, "ORG", "inner")])
    model = text_contents(loaded, task)[0].model()
    painter = TextPainter(loaded.config)
    laid = painter.lay_out(model, 400)

    def picture(selected):
        image = QImage(400, int(laid.height) + 1, QImage.Format.Format_RGB32)
        p = QPainter(image)
        painter.paint(p, laid, QRectF(0, 0, 400, laid.height), selected=selected)
        p.end()
        return px.to_array(image)[:, :, :3].astype(int)

    assert not (picture(None) == RED).all(axis=2).any()
    assert (picture(0) == RED).all(axis=2).sum() > 40
    line = laid.lines[0]
    on_beta = QPointF(advance("Alpha Be"), line.top + line.text_height / 2)
    assert [model.spans[i].region.id for i in laid.spans_at(on_beta)] == ["inner", "outer"]
    on_alpha = QPointF(advance("Al"), line.top + line.text_height / 2)
    assert [model.spans[i].region.id for i in laid.spans_at(on_alpha)] == ["outer"]
    inner = model.find((("prediction", 0), "inner"))
    lane = next(s.lane for s in line.segments if s.span == inner)
    in_lane = QPointF(advance("Alpha Be"), laid.lane_top(line, lane) + 1)
    assert laid.spans_at(in_lane) == [inner]


def test_spans_that_cannot_be_placed_are_listed_on_top(qapp, tmp_path):
    from viewer.render.text_content import text_contents
    from viewer.render.text_painter import unplaced_notes

    loaded, task = project(tmp_path, TEXT, {"text": "short"}, [span(3, 40, "PER", "far")])
    (note,) = unplaced_notes(text_contents(loaded, task)[0].model())
    assert note.startswith("Not placed: far (PER)") and "does not fit" in note


def test_lsview_render_writes_text_tasks_at_a_fixed_width(tmp_path, qapp, capsys):
    tasks, config = write_project(tmp_path / "in", [
        {"id": 7, "data": {"text": "Ann met Bob in Paris."},
         "predictions": [{"model_version": "m", "result": [span(0, 3, "PER", "a"), span(15, 20, "LOC", "b")]}]},
        {"id": 8, "data": {"text": "nothing labelled"}},
    ], TEXT)
    out = tmp_path / "out"
    assert main(["render", str(tasks), "--config", str(config), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["0_7.png", "1_8.png"]
    with Image.open(out / "0_7.png") as image:
        assert image.width == 1000
        pixels = np.asarray(image.convert("RGB")).astype(int)
    assert_x_range(bar(pixels, GREEN)[1], MARGIN, advance("Ann"))
    assert_x_range(bar(pixels, BLUE)[1], advance("Ann met Bob in "), advance("Ann met Bob in Paris"))
    assert capsys.readouterr().out.split() == [str(out / "0_7.png"), str(out / "1_8.png")]
    annotations = tmp_path / "annotations"
    assert main(["render", str(tasks), "--config", str(config), "--out", str(annotations), "--task", "0",
                 "--source", "annotation"]) == 0
    with Image.open(annotations / "0_7.png") as image:
        pixels = np.asarray(image.convert("RGB")).astype(int)
    assert not (pixels == np.array(GREEN)).all(axis=2).any()  # the prediction's spans are left out


def test_a_text_taller_than_a_page_is_cut_between_lines(qapp, tmp_path, px):
    from viewer.render.text_render import render_text_pages

    loaded, task = project(tmp_path, TEXT, {"text": "\n".join(f"line {n}" for n in range(60))},
                           [span(0, 4, "PER", "a")])
    (whole,) = render_text_pages(loaded, task, 300)
    pages = render_text_pages(loaded, task, 300, max_height=200)
    assert len(pages) >= whole.height() // 200 and all(page.height() <= 200 for page in pages)
    assert abs(sum(page.height() for page in pages) - whole.height()) <= len(pages)
    for page in pages[:-1]:
        bottom = px.to_array(page)[-1, :, :3]
        assert (bottom == 255).all()  # the page ends in the gap under a line, never through its glyphs


def test_a_span_whose_text_disagrees_is_drawn_by_its_offsets_and_marked(render):
    text = "Hi 😀 there\r\nBob and Ann"
    good = render(TEXT, {"text": text}, [span(12, 15, "LOC", "bob", text="Bob")])
    shifted = render(TEXT, {"text": text}, [span(13, 16, "LOC", "bob", text="Bob")])  # UTF-16 offsets
    mark = np.array([200, 0, 0])
    assert not (good == mark).all(axis=2).any()
    ys, xs = np.nonzero((shifted == mark).all(axis=2))
    assert len(xs) > 5  # a dotted red rule under the glyphs the offsets cover
    assert_x_range(bar(shifted, BLUE)[1], advance("B"), advance("Bob "))
    assert xs.min() >= advance("B") - 2 and xs.max() <= advance("Bob ") + 2
