"""A text longer than MAX_SHOWN_CHARACTERS is laid out only up to there (issue 11); spans keep their offsets."""

from __future__ import annotations

from tests.builders import TEXT_CONFIG, write_project
from viewer.core.project import open_project
from viewer.core.text_layout import (MAX_SHOWN_CHARACTERS, Block, Run, TextDocument, build_layout, cut_document,
                                     hypertext_document, text_document)

LINE = "Alice met Bob in Paris.\n"          # 24 characters
TEXT = LINE * (MAX_SHOWN_CHARACTERS // len(LINE) + 100)


def span(start, end, rid, text=None):
    value = {"start": start, "end": end, "labels": ["PER"], **({"text": text} if text is not None else {})}
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels", "value": value}


def test_a_long_text_is_shown_up_to_the_limit_with_a_note():
    document = text_document("text", TEXT)
    assert len(TEXT) > MAX_SHOWN_CHARACTERS == len(document.text)
    assert document.text == TEXT[:MAX_SHOWN_CHARACTERS]
    assert document.blocks[-1].end == MAX_SHOWN_CHARACTERS
    assert document.notes == (f"text cut at {MAX_SHOWN_CHARACTERS:,} of {len(TEXT):,} characters: the rest is not "
                              f"laid out, and spans past it are listed as not shown",)
    assert text_document("text", LINE).notes == ()


def test_spans_past_the_cut_are_not_shown_and_a_span_across_it_is_cut(tmp_path):
    end = MAX_SHOWN_CHARACTERS
    far = len(TEXT) - len(LINE)
    task = {"id": 1, "data": {"text": TEXT}, "predictions": [{"result": [
        span(0, 5, "near", "Alice"), span(end - 3, end + 5, "across"), span(far, far + 5, "far", "Alice"),
        span(far, far + 5, "far-wrong", "Bobby")]}]}
    tasks, config = write_project(tmp_path, [task], TEXT_CONFIG)
    project = open_project(tasks, config)
    task = project.tasks[0]
    layers = [((rs.source, rs.index), regions.regions) for rs, regions in project.regions(task)]
    model = build_layout(project, task, "text", layers)
    placed = {s.region.id: s for s in model.spans}
    unplaced = {s.region.id: s for s in model.unplaced}
    assert placed["near"].ranges == ((0, 5),) and placed["near"].problem is None
    assert placed["across"].ranges == ((end - 3, end),)
    assert set(unplaced) == {"far", "far-wrong"}
    assert unplaced["far"].problem == f"not shown: it lies past character {end:,}, where the text is cut"
    # a span past the cut still says what is wrong with it, by the whole text
    assert unplaced["far-wrong"].problem.startswith("not shown") and "'Bobby'" in unplaced["far-wrong"].problem


def test_cut_document_cuts_blocks_runs_and_keeps_earlier_notes():
    runs = (Run(0, 4, frozenset({"author"})), Run(6, 12, frozenset({"muted"})))
    document = TextDocument("d", "paragraphs", "Ann: hello world", (Block(0, 16, "phrase", runs=runs, body_start=5),
                                                                  Block(16, 16)), ("earlier",))
    cut = cut_document(document, 8)
    assert cut.text == "Ann: hel" and len(cut.blocks) == 1
    assert cut.blocks[0].end == 8 and cut.blocks[0].runs == (runs[0], Run(6, 8, frozenset({"muted"})))
    assert cut.notes[0] == "earlier" and "text cut at 8 of 16 characters" in cut.notes[1]
    assert cut_document(document, 16) is document


def test_hypertext_is_cut_in_shown_characters():
    html = "<p>" + "word " * 80_000 + "</p>"
    document = cut_document(hypertext_document("html", html))
    assert len(document.text) == MAX_SHOWN_CHARACTERS and "text cut at 300,000 of" in document.notes[-1]


def test_a_cut_hypertext_shows_and_places_exactly_what_the_whole_one_does_up_to_the_cut(monkeypatch):
    from viewer.core.shapes import HyperTextSpan

    monkeypatch.setattr("viewer.core.text_layout.hypertext._PIECE", 5)  # text nodes taken in many small pieces

    words = "Alice   met\n Bob  <b>in  Paris</b>, <pre>a\n  b</pre> then<br/>  <i>more  words</i>   here. "
    html = "<div>" + "".join(f"<p>{n} {words * (n % 7 + 1)}</p>" for n in range(40)) + \
           "<p>" + "x" * 3000 + "   " + " y" * 2000 + "</p></div>"
    whole = hypertext_document("html", html, limit=10 ** 9)
    glob = whole.placer.global_text
    for limit in (1, 50, 777, 4096, len(whole.text) - 10):
        cut = hypertext_document("html", html, limit=limit)
        assert cut.text == whole.text[:limit], limit
        assert "text cut at" in cut.notes[-1]
        for start in range(0, len(glob) - 40, 97):
            shape = HyperTextSpan(start="/nowhere", end="/nowhere", start_offset=0, end_offset=0,
                                  global_start=start, global_end=start + 40, text=None)
            full, mine = whole.placer.place(shape), cut.placer.place(shape)
            assert mine.covered == full.covered
            if full.ranges and full.ranges[0][0] < limit:
                # past the cut the mapping stops; place_spans cuts what crosses it at the limit
                assert [(a, min(b, limit)) for a, b in mine.ranges] == \
                    [(a, min(b, limit)) for a, b in full.ranges], (limit, start)
            elif full.ranges:
                assert not mine.ranges and mine.problem.startswith("not shown")


def test_paragraphs_past_the_cut_are_placed_by_where_they_would_start():
    from viewer.core.shapes import ParagraphSpan
    from viewer.core.text_layout import paragraphs_document

    phrases = [{"author": "Ann", "text": "hello\nthere"}, {"author": "Bob"}, {"text": "bye now"}] * 4
    whole = paragraphs_document("d", phrases, limit=10 ** 9)
    for limit in (3, 20, 41, len(whole.text) - 1):
        cut = paragraphs_document("d", phrases, limit=limit)
        assert cut.text == whole.text[:limit] and "text cut at" in cut.notes[-1]
        assert cut.placer.body_starts == whole.placer.body_starts
        shape = ParagraphSpan(start=8, end=8, start_offset=0, end_offset=3, text=None)
        assert cut.placer.place(shape) == whole.placer.place(shape)
