"""Checks of a region's geometry: percent ranges, brush RLE, and text offsets against the task data."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from viewer.core import rle
from viewer.core.audio.segments import check_segment
from viewer.core.diagnostics.model import Reporter
from viewer.core.diagnostics.video import check_timeline, check_video_rectangle
from viewer.core.errors import RleCorruptError, quoted
from viewer.core.html_nodes import HtmlNodes, NodeSpan
from viewer.core.numbers import finite
from viewer.core.project import Project
from viewer.core.region_kinds import IMAGE_KINDS, SHAPES, VIDEO_KINDS, KindTable
from viewer.core.regions import Region
from viewer.core.shapes import (AudioSegment, Bitmask, Ellipse, HyperTextSpan, KeyPoint, Mask, ParagraphSpan, Polygon,
                                Rectangle, Span, TimelineRanges, TimeSeriesRange, Vector, VideoRectangle)
from viewer.core.tasks import Task
from viewer.core.textspans import paragraph_slice, phrase_text, span_text_agrees, utf16_length, utf16_slice
from viewer.core.timeseries.ranges import range_problem

TOLERANCE = 1e-3      # percent; float noise from models, not worth a word
SMALL_OVERSHOOT = 1.0  # percent past an edge that is a warning, not an error


def check_shape(project: Project, task: Task, region: Region, where: Reporter) -> None:
    check = SHAPE_CHECKS.get(region.shape)
    if check is not None:
        check(project, task, region, where)


def _check_image(project: Project, task: Task, region: Region, where: Reporter) -> None:
    _check_percent(project, task, region, where)
    _check_page(project, task, region, where)
    _check_original_size(project, task, region, where)


def _check_mask(project: Project, task: Task, region: Region, where: Reporter) -> None:
    _check_percent(project, task, region, where)
    _check_page(project, task, region, where)
    if region.shape.rle is not None:
        _check_rle(project, task, region, region.shape, where)
    _check_original_size(project, task, region, where)


def _coordinates(shape) -> Iterable[tuple[str, float, float]]:
    """(name, value, upper limit) for every percent number of a shape; the limit is what the edge allows."""
    fields = PERCENT_FIELDS.get(shape)
    return () if fields is None else fields(shape)


def _rectangle_fields(shape: Rectangle) -> Iterable[tuple[str, float, float]]:
    yield "x", shape.x, 100.0
    yield "y", shape.y, 100.0
    yield "width", shape.width, 100.0
    yield "height", shape.height, 100.0
    if shape.rotation % 360 == 0:
        yield "x + width", shape.x + shape.width, 100.0
        yield "y + height", shape.y + shape.height, 100.0


def _ellipse_fields(shape: Ellipse) -> Iterable[tuple[str, float, float]]:
    yield "x", shape.x, 100.0
    yield "y", shape.y, 100.0
    yield "radiusX", shape.radius_x, 50.0
    yield "radiusY", shape.radius_y, 50.0


def _polygon_fields(shape: Polygon) -> Iterable[tuple[str, float, float]]:
    for i, (x, y) in enumerate(shape.points):
        yield f"points[{i}].x", x, 100.0
        yield f"points[{i}].y", y, 100.0


def _keypoint_fields(shape: KeyPoint) -> Iterable[tuple[str, float, float]]:
    yield "x", shape.x, 100.0
    yield "y", shape.y, 100.0


PERCENT_FIELDS: KindTable[Callable[[Any], Iterable[tuple[str, float, float]]]] = KindTable("percent fields", {
    Rectangle: _rectangle_fields, Ellipse: _ellipse_fields, Polygon: _polygon_fields, KeyPoint: _keypoint_fields,
}, elsewhere={
    "mask": "pixels, not percent numbers: its RLE length is checked instead (_check_rle)",
    "bitmask": "pixels, not percent numbers: nothing to range-check",
    "vector": "its vertices are kept as given and not range-checked yet",
    **{kind: "not on an image: no percent numbers (its offsets are checked against the text)"
       for kind in SHAPES if kind not in IMAGE_KINDS},
    **{kind: "per keyframe, against the video frame (diagnostics.video)" for kind in VIDEO_KINDS},
})


def _check_percent(project: Project, task: Task, region: Region, where: Reporter) -> None:
    worst_name, worst_value, worst_over = None, 0.0, 0.0
    for name, value, limit in _coordinates(region.shape):
        over = max(value - limit, -value)
        if over > worst_over:
            worst_name, worst_value, worst_over = name, value, over
    if worst_over <= TOLERANCE:
        return
    space = project.pixel_space(task, region)
    hint = ""
    if worst_value > 100 and space.size is not None and worst_value <= max(space.size):
        hint = (f" — it looks like pixels of the {space.size[0]}x{space.size[1]} image; convert with "
                f"x / width * 100 and y / height * 100")
    if worst_over <= SMALL_OVERSHOOT:
        where.add("percent-out-of-range", f"{region.kind} {worst_name} = {worst_value:g} lies slightly outside "
                  f"0-100 %; Label Studio shows it as is, partly off the image", severity="warning")
    elif _partly_on_image(region.shape):
        where.add("percent-out-of-range", f"{region.kind} {worst_name} = {worst_value:g} is outside 0-100: "
                  f"image coordinates are percent of the image size{hint}; Label Studio shows it where the number "
                  f"says, partly off the image (only the part on the image)", severity="warning")
    else:
        where.add("percent-out-of-range", f"{region.kind} {worst_name} = {worst_value:g} is outside 0-100: "
                  f"image coordinates are percent of the image size{hint}; Label Studio's editor does not show it: "
                  f"it draws it where the number says, off the image (its importer does not complain)")


def _partly_on_image(shape) -> bool:
    """Whether any of the shape lies on the image (0-100 both ways); rotation is not taken into account."""
    box = ON_IMAGE_BOX.get(shape)
    if box is None:
        return False
    left, top, right, bottom = box(shape)
    if left == right and top == bottom:  # a point: on the image's edge counts
        return 0 <= left <= 100 and 0 <= top <= 100
    return min(left, right) < 100 and min(top, bottom) < 100 and max(left, right) > 0 and max(top, bottom) > 0


def _polygon_box(shape: Polygon) -> tuple[float, float, float, float]:
    if not shape.points:
        return (-1.0, -1.0, -1.0, -1.0)  # nothing to show
    xs, ys = [x for x, _ in shape.points], [y for _, y in shape.points]
    return (min(xs), min(ys), max(xs), max(ys))


# The box (left, top, right, bottom in percent) of each kind with percent fields, to tell "partly off" from "off".
ON_IMAGE_BOX: KindTable[Callable[[Any], tuple[float, float, float, float]]] = KindTable("box on the image", {
    Rectangle: lambda s: (s.x, s.y, s.x + s.width, s.y + s.height),
    Ellipse: lambda s: (s.x - s.radius_x, s.y - s.radius_y, s.x + s.radius_x, s.y + s.radius_y),
    Polygon: _polygon_box, KeyPoint: lambda s: (s.x, s.y, s.x, s.y),
}, elsewhere=PERCENT_FIELDS.elsewhere)


def _check_page(project: Project, task: Task, region: Region, where: Reporter) -> None:
    tag = project.config.objects.get(region.to_name or "")
    if tag is None or tag.kind != "image" or region.item_index is None:
        return
    try:
        pages = len(project.image_refs(task, tag))
    except KeyError:
        return
    if not 0 <= region.item_index < pages:
        where.add("item-index-out-of-range", f"item_index {region.item_index} but <Image name=\"{tag.name}\"> "
                  f"shows {pages} image(s); Label Studio's editor does not show the region (no page to draw it on)")


def _check_rle(project: Project, task: Task, region: Region, shape: Mask, where: Reporter) -> None:
    try:
        words = rle.decode_words(shape.rle)
    except RleCorruptError as exc:
        where.add("rle-corrupt", f"brush `value.rle` is not a valid Label Studio RLE stream ({exc}); Label Studio's "
                  f"editor does not show the mask")
        return
    space = project.pixel_space(task, region)
    if space.size is None:
        return
    width, height = space.size
    expected = width * height * 4
    if len(words) == expected:
        return
    basis = "the decoded image" if space.origin == "image" else "original_width/height"
    if len(words) > expected:
        fate, severity = "Label Studio's editor does not show the region (it fails to set the mask)", None
    else:
        fate, severity = ("Label Studio shows it, but fills only the first rows, or shears the mask if the width is "
                          "wrong"), "warning"
    guess = ""
    if len(words) % 4 == 0 and (len(words) // 4) % height == 0 and len(words) // 4 // height != width:
        guess = f" (it fits a {len(words) // 4 // height}x{height} image)"
    where.add("rle-length-mismatch", f"brush RLE holds {len(words):,} values but {basis} is {width}x{height}, "
              f"which needs {expected:,} (W*H*4){guess}; {fate}", severity=severity)


def _check_original_size(project: Project, task: Task, region: Region, where: Reporter) -> None:
    space = project.pixel_space(task, region)
    if space.origin != "image":
        return
    for result in region.results:
        given = (result.get("original_width"), result.get("original_height"))
        sizes = (finite(given[0]), finite(given[1]))  # NaN, Infinity, huge integers: reported when grouping
        if sizes[0] is not None and sizes[1] is not None and (int(sizes[0]), int(sizes[1])) != space.size:
            where.add("original-size-mismatch", f"original_width/height say {given[0]}x{given[1]} but the image "
                      f"decodes to {space.size[0]}x{space.size[1]} (EXIF orientation applied); Label Studio shows "
                      f"it by percent of the real size, so the region may not sit where the model meant")
            return


def _check_text_span(project: Project, task: Task, region: Region, shape: Span, where: Reporter) -> None:
    text = project.text(task, region.to_name)
    if text is None:
        return
    if not 0 <= shape.start <= shape.end <= len(text):
        fits16 = 0 <= shape.start <= shape.end <= utf16_length(text)
        note = " (they would fit if counted as UTF-16 code units, as older exports do)" if fits16 else ""
        where.add("span-out-of-range", f"span {shape.start}-{shape.end} does not fit the text of "
                  f"\"{region.to_name}\", which is {len(text)} code points long{note}; Label Studio cannot "
                  f"place the span")
        return
    if shape.text is None or span_text_agrees("span", text[shape.start:shape.end], shape.text):
        return
    found = text[shape.start:shape.end]
    utf16 = utf16_slice(text, shape.start, shape.end)
    if span_text_agrees("span", utf16, shape.text):
        note = (" The offsets fit if counted as UTF-16 code units (older exports count that way); Label Studio "
                "counts code points, so the highlight is shifted by the astral characters (emoji) before it.")
    else:
        at = text.find(shape.text)
        note = f" The stored text occurs at {at}-{at + len(shape.text)}." if at >= 0 else ""
    where.add("span-text-mismatch", f"span {shape.start}-{shape.end} covers {quoted(found)} but its `text` is "
              f"{quoted(shape.text)}; Label Studio highlights by the offsets, not the text.{note}")


def _check_paragraph_span(project: Project, task: Task, region: Region, shape: ParagraphSpan,
                          where: Reporter) -> None:
    tag = project.config.objects.get(region.to_name or "")
    if tag is None or tag.data_path is None:
        return
    try:
        phrases = project.object_value(task, tag)
    except KeyError:
        return
    if not isinstance(phrases, list):
        return
    if shape.numeric:
        where.add("paragraph-span-numeric", f"paragraph span start/end are JSON numbers ({shape.start}, "
                  f"{shape.end}), not strings (\"{shape.start}\", \"{shape.end}\") as Label Studio writes them: "
                  f"the editor draws no highlight for it (the result becomes a label-only region, and two such "
                  f"results on one object collapse into one); lsview draws none either")
        return
    text_key = tag.attrs.get("textKey", "text")
    if not 0 <= shape.start <= shape.end < len(phrases):
        where.add("span-out-of-range", f"paragraph span from phrase {shape.start} to {shape.end}, but there are "
                  f"{len(phrases)} phrases; Label Studio cannot place it")
        return
    first, last = phrase_text(phrases[shape.start], text_key), phrase_text(phrases[shape.end], text_key)
    if first is None or last is None:
        return
    if not (0 <= shape.start_offset <= utf16_length(first) and 0 <= shape.end_offset <= utf16_length(last)):
        where.add("span-out-of-range", f"offsets {shape.start_offset}/{shape.end_offset} do not fit phrases "
                  f"{shape.start}/{shape.end} ({utf16_length(first)}/{utf16_length(last)} UTF-16 units); "
                  f"Label Studio cannot place the span")
        return
    covered = paragraph_slice(phrases, text_key, shape.start, shape.end, shape.start_offset, shape.end_offset)
    if shape.text is not None and covered is not None and not span_text_agrees("paragraph-span", covered,
                                                                                shape.text):
        where.add("span-text-mismatch", f"paragraph span covers {quoted(covered)} but its `text` is "
                  f"{quoted(shape.text)}; "
                  f"Label Studio highlights by phrase index and UTF-16 offsets, not the text")


def _check_hypertext_span(project: Project, task: Task, region: Region, shape: HyperTextSpan,
                          where: Reporter) -> None:
    html = project.text(task, region.to_name)
    nodes = HtmlNodes.parse(html) if html is not None else None
    if nodes is None:
        return
    found = nodes.place(shape)
    if not isinstance(found, NodeSpan):
        where.add("span-out-of-range", f"{found}; Label Studio draws no highlight for it")
        return
    covered = nodes.text[found.start:found.end]
    if shape.text is None or span_text_agrees("hypertext-span", covered, shape.text):
        return
    note = ""
    if found.placed_by == "xpath":
        what = f"its XPath and offsets cover {quoted(covered)}"
        as_code_points = nodes.as_code_points(shape)
        given = None if shape.global_start is None or not 0 <= shape.global_start <= shape.global_end <= \
            len(nodes.text) else nodes.text[shape.global_start:shape.global_end]
        if as_code_points is not None and span_text_agrees("hypertext-span", as_code_points, shape.text):
            note = (" Its startOffset/endOffset fit if counted as code points (lsview wrote them so before it "
                    "counted UTF-16); Label Studio counts UTF-16 units inside a text node, two for each astral "
                    "character (emoji), so each end of the highlight moves back one character per emoji before it.")
        elif given is not None and span_text_agrees("hypertext-span", given, shape.text):
            note = " Its globalOffsets cover the stored text, but an XPath that resolves wins over them."
    else:
        what = f"its XPath does not resolve and its globalOffsets cover {quoted(covered)}"
    where.add("span-text-mismatch", f"{what} but `text` is {quoted(shape.text)}; Label Studio highlights what "
              f"the {'offsets' if found.placed_by == 'xpath' else 'globalOffsets'} cover, not the text.{note}",
              severity="warning")


def _check_timeseries_range(project: Project, task: Task, region: Region, where: Reporter) -> None:
    """A range's times against the time column: a time that does not fit it, end before start, a range past the
    data. The series' own problems (unreadable, not increasing ...) are the task's (diagnostics.run)."""
    spec = project.series_spec(region.to_name)
    if spec is None:
        return
    loaded = project.series(task, region.to_name)
    found = range_problem(spec, loaded.data if loaded is not None else None, region.shape)
    if found is not None:
        code, severity, message = found
        where.add(code, message, severity=severity)


# The geometry checks of each kind (project, task, region, reporter).
SHAPE_CHECKS: KindTable[Callable[[Project, Task, Region, Reporter], None]] = KindTable("geometry checks", {
    **{shape: _check_image for shape in (Rectangle, Ellipse, Polygon, KeyPoint, Bitmask, Vector)},
    Mask: _check_mask,
    Span: lambda project, task, region, where: _check_text_span(project, task, region, region.shape, where),
    ParagraphSpan: lambda project, task, region, where: _check_paragraph_span(project, task, region, region.shape,
                                                                              where),
    HyperTextSpan: lambda project, task, region, where: _check_hypertext_span(project, task, region, region.shape,
                                                                              where),
    TimeSeriesRange: _check_timeseries_range,
    VideoRectangle: check_video_rectangle,
    TimelineRanges: check_timeline,
    AudioSegment: check_segment,
}, elsewhere={
    "classification": "no geometry: its duplicates and orphans are checked in diagnostics.regions",
    "invalid": "its wrong-typed field is reported when the results are grouped (core.regions)",
    "other": "an object kind lsview does not check yet: kept as given",
})
