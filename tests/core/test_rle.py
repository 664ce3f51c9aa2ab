"""Brush RLE: the reference vectors, a slow bit-by-bit reference decoder, both encoders' record styles, errors."""

from __future__ import annotations

import hashlib
import json
from itertools import groupby
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core import rle
from viewer.core.errors import RleCorruptError, RleLengthError

VECTORS = Path(__file__).parents[1] / "data" / "vectors"
IMAGE_VECTORS = sorted(p.name for p in VECTORS.glob("rle_*.json") if "width" in json.loads(p.read_text()))
CONVERTER_VECTORS = ["rle_10x20_python_encoder.json", "rle_640x480_python_encoder.json",
                     "rle_1920x1080_perf_anchor.json"]
STANDARD_SIZES = (3, 4, 8, 16)


def load(name: str) -> dict:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


# ------------------------------------------------------------------------------------- slow references


def reference_decode(data) -> list[int]:
    """The format read literally: one '0'/'1' character per bit, fields cut off the front."""
    bits = "".join(format(byte, "08b") for byte in data)
    at = 0

    def read(n: int) -> int:
        nonlocal at
        field = bits[at:at + n]
        if len(field) < n:
            raise EOFError
        at += n
        return int(field, 2)

    num = read(32)
    word_size = read(5) + 1
    sizes = [read(4) + 1 for _ in range(4)]
    out: list[int] = []
    while len(out) < num:
        repeat = read(1)
        count = read(sizes[read(2)]) + 1
        if repeat:
            out.extend([read(word_size)] * count)
        else:
            out.extend(read(word_size) for _ in range(count))
    return out[:num]


def to_bytes(bits: str, pad_to_byte: bool) -> list[int]:
    # the converter always adds 1..8 zero bits; rle-pack adds only what the last byte needs
    bits += "0" * ((8 - len(bits) % 8) if pad_to_byte else (-len(bits) % 8))
    return [int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)]


def header_bits(num: int, word_size: int, sizes) -> str:
    return format(num, "032b") + format(word_size - 1, "05b") + "".join(format(s - 1, "04b") for s in sizes)


def js_style_encode(words, word_size: int = 8, sizes=STANDARD_SIZES) -> list[int]:
    """Like the editor's encoder: differing neighbours go into literal records of many words, equal ones into
    repeat records, each record in the narrowest size class its count fits."""
    longest = 1 << max(sizes)

    def record(repeat: bool, payload: list[int]) -> str:
        count = len(payload)
        fits = [k for k in range(4) if count <= 1 << sizes[k]]
        k = min(fits, key=lambda i: sizes[i])
        head = ("1" if repeat else "0") + format(k, "02b") + format(count - 1, f"0{sizes[k]}b")
        return head + "".join(format(v, f"0{word_size}b") for v in payload[:1 if repeat else count])

    parts = [header_bits(len(words), word_size, sizes)]
    literal: list[int] = []
    for value, group in groupby(words):
        n = len(list(group))
        if n == 1:
            literal.append(value)
            continue
        parts.extend(record(False, literal[i:i + longest]) for i in range(0, len(literal), longest))
        literal = []
        while n:
            take = min(n, longest)
            parts.append(record(True, [value] * take))
            n -= take
    parts.extend(record(False, literal[i:i + longest]) for i in range(0, len(literal), longest))
    return to_bytes("".join(parts), pad_to_byte=False)


def converter_style_encode(words) -> list[int]:
    """label-studio-converter's record choice (FORMAT.md 2.2), spelled out one run at a time."""
    parts = [header_bits(len(words), 8, STANDARD_SIZES)]
    for value, group in groupby(words):
        n = len(list(group))
        v = format(value, "08b")
        if n == 1:
            parts.append("000000" + v)
        elif n <= 8:
            parts.append("100" + format(n - 1, "03b") + v)
        elif n <= 16:
            parts.append("101" + format(n - 1, "04b") + v)
        elif n <= 256:
            parts.append("110" + format(n - 1, "08b") + v)
        else:
            while n > 65536:
                parts.append("111" + "1" * 16 + v)
                n -= 65536
            parts.append("111" + format(n - 1, "016b") + v)
    return to_bytes("".join(parts), pad_to_byte=True)


def pixel_words(mask: np.ndarray) -> list[int]:
    return np.repeat(mask.ravel(), 4).tolist()


# ------------------------------------------------------------------------------------------ vectors


@pytest.mark.parametrize("name", IMAGE_VECTORS)
def test_image_vector_decodes_to_the_stated_mask(name):
    vector = load(name)
    alpha = rle.decode(vector["rle"], vector["width"], vector["height"])
    assert alpha.shape == (vector["height"], vector["width"])
    assert alpha.dtype == np.uint8
    assert sha256(alpha) == vector["sha256_alpha_mask_row_major"]
    assert int(np.count_nonzero(alpha)) == vector["nonzero_pixel_count"]
    ys, xs = np.nonzero(alpha)
    box = vector["bbox_inclusive"]
    assert (xs.min(), ys.min(), xs.max(), ys.max()) == (box["x_min"], box["y_min"], box["x_max"], box["y_max"])
    for sample in vector["sample_pixels"]:
        assert alpha[sample["y"], sample["x"]] == sample["value"], sample
    assert np.unique(alpha).tolist()[:20] == vector["distinct_alpha_values"]


@pytest.mark.parametrize("name", IMAGE_VECTORS)
def test_image_vector_word_stream_and_header(name):
    vector = load(name)
    words = rle.decode_words(vector["rle"])
    assert words.dtype == np.uint8
    assert len(words) == vector["decoded_length"]
    assert sha256(words) == vector["sha256_full_rgba_stream"]
    header = rle.read_header(vector["rle"])
    assert header == rle.RleHeader(vector["header"]["num_values"], vector["header"]["word_size_bits"],
                                   tuple(vector["header"]["rle_sizes_bits"]))


def test_raw_stream_in_both_encodings():
    vector = load("rle_raw_stream_converter_test.json")
    assert rle.decode_words(vector["rle"]).tolist() == vector["values"]
    assert rle.decode_words(vector["rle_same_values_js_thi_ng_encoder"]).tolist() == vector["values"]
    assert reference_decode(vector["rle_same_values_js_thi_ng_encoder"]) == vector["values"]


def test_raw_stream_converter_bytes_including_single_word_runs():
    vector = load("rle_raw_stream_converter_test.json")
    values = np.array(vector["values"], dtype=np.uint8)
    assert converter_style_encode(vector["values"]) == vector["rle"]
    cuts = np.flatnonzero(np.diff(values)) + 1
    bounds = np.concatenate(([0], cuts, [len(values)]))
    packed = rle._pack_runs(values[bounds[:-1]], np.diff(bounds), len(values))
    assert packed.tolist() == vector["rle"]


@pytest.mark.parametrize("name", CONVERTER_VECTORS)
def test_encode_matches_the_converter_byte_for_byte(name):
    vector = load(name)
    alpha = rle.decode(vector["rle"], vector["width"], vector["height"])
    assert rle.encode(alpha) == vector["rle"]


def test_encode_of_the_editor_vector_has_the_converter_length():
    vector = load("rle_32x16_frontend_style_antialiased.json")
    alpha = rle.decode(vector["rle"], vector["width"], vector["height"])
    encoded = rle.encode(alpha)
    assert len(encoded) == vector["python_encoder_rle_for_same_pixels_len"]
    assert encoded == converter_style_encode(pixel_words(alpha))


def test_every_input_container_gives_the_same_mask():
    vector = load("rle_10x20_python_encoder.json")
    data = vector["rle"]
    expected = rle.decode(data, 10, 20)
    for form in (tuple(data), np.array(data, dtype=np.uint8), np.array(data, dtype=np.int64),
                 np.array(data, dtype=object), bytes(data), bytearray(data)):
        np.testing.assert_array_equal(rle.decode(form, 10, 20), expected)


# --------------------------------------------------------------------------- decoder against reference

word_sizes = st.integers(1, 32)
size_tuples = st.tuples(*[st.integers(1, 16)] * 4)


@st.composite
def word_streams(draw, max_runs=60):
    word_size = draw(word_sizes)
    sizes = draw(size_tuples)
    top = (1 << word_size) - 1
    runs = draw(st.lists(st.tuples(st.integers(0, top), st.integers(1, 40) | st.integers(1, 300)),
                         min_size=1, max_size=max_runs))
    words = [value for value, n in runs for _ in range(n)]
    return word_size, sizes, words


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_streams())
def test_decode_words_equals_reference_on_js_style_streams(stream):
    word_size, sizes, words = stream
    data = js_style_encode(words, word_size, sizes)
    assert reference_decode(data) == words
    decoded = rle.decode_words(data)
    assert decoded.tolist() == words
    assert decoded.dtype == (np.uint8 if word_size <= 8 else np.uint16 if word_size <= 16 else np.uint32)
    assert rle.read_header(data) == rle.RleHeader(len(words), word_size, sizes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_sizes, size_tuples, st.integers(0, 2**32 - 1), st.integers(300, 3000))
def test_decode_words_equals_reference_on_streams_of_many_records(word_size, sizes, seed, runs):
    # past the first few hundred records the decoder splices walker trails: cover that part too
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 1 << word_size, runs, dtype=np.int64)
    lengths = rng.choice([1, 1, 1, 2, 3, 5, 9, 17, 40, 300], runs)
    words = np.repeat(values, lengths).tolist()
    data = js_style_encode(words, word_size, sizes)
    assert rle.decode_words(data).tolist() == reference_decode(data) == words


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 255), min_size=1, max_size=3000), st.integers(0, 2**32 - 1))
def test_decode_words_equals_reference_on_long_literal_chunks(words, seed):
    # mostly differing neighbours, so the editor's encoder writes long literal records, among short runs
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, 4000).tolist()
    short_runs = np.repeat(rng.integers(0, 256, 1500), rng.integers(1, 4, 1500)).tolist()
    words = words + noise + short_runs + noise
    data = js_style_encode(words)
    assert rle.decode_words(data).tolist() == reference_decode(data) == words


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.data())
def test_decode_takes_byte_3_of_each_pixel(width, height, data):
    # channels that differ, and runs that start and end inside pixels
    size = 4 * width * height
    words = data.draw(st.lists(st.sampled_from([0, 9, 255]) | st.integers(0, 255), min_size=size, max_size=size))
    expected = np.array(words, np.uint8).reshape(height, width, 4)[:, :, 3]
    for stream in (js_style_encode(words), converter_style_encode(words)):
        np.testing.assert_array_equal(rle.decode(stream, width, height), expected)


def test_all_four_size_classes_and_both_kinds_appear_in_the_generated_streams():
    words = [1] * 5 + [2] * 12 + [3] * 200 + [4] * 70000 + list(range(256)) * 3 + [7] * 2
    data = js_style_encode(words)
    bits = "".join(format(b, "08b") for b in data)
    at, seen = 53, set()
    while len(seen) < 8 and at < len(bits) - 20:
        repeat, k = bits[at] == "1", int(bits[at + 1:at + 3], 2)
        count = int(bits[at + 3:at + 3 + STANDARD_SIZES[k]], 2) + 1
        seen.add((repeat, k))
        at += 3 + STANDARD_SIZES[k] + 8 * (1 if repeat else count)
    assert {(True, k) for k in range(4)} <= seen and (False, 3) in seen
    assert rle.decode_words(data).tolist() == words


def test_last_record_running_past_n_is_cut_at_n_and_trailing_bytes_are_ignored():
    # N = 5, then a repeat record of 8 words and a literal record of 3: decoders stop at N
    repeat_past = header_bits(5, 8, STANDARD_SIZES) + "100111" + format(9, "08b")
    assert rle.decode_words(to_bytes(repeat_past, True)).tolist() == [9] * 5
    literal_past = header_bits(5, 8, STANDARD_SIZES) + "100011" + format(1, "08b") + "000010" + "00000010" * 3
    assert rle.decode_words(to_bytes(literal_past, True)).tolist() == [1, 1, 1, 1, 2]
    garbage = load("rle_10x20_python_encoder.json")["rle"] + [255, 17, 0, 3]
    assert rle.decode(garbage, 10, 20).sum() == 14 * 255


def test_zero_word_stream_is_empty():
    assert rle.decode_words(to_bytes(header_bits(0, 8, STANDARD_SIZES), True)).size == 0


# ---------------------------------------------------------------------------- periodic / adversarial


@pytest.mark.parametrize("record, per_record", [
    ("111" + format(299, "016b") + "00000000", 300),  # identical 16-bit-class repeat records
    ("111" + format(299, "016b") + "11111111", 300),
    ("100011" + "11111111", 4),  # one short repeat record over and over
    ("100011" + "11111111" + "100011" + "00000000", 8),  # one-pixel stripes as the converter writes them
    ("000000" + "10101010", 1),  # one-word literal records
    ("001" + format(3, "04b") + "01100110" * 4, 4),  # identical 4-word literal records
])
def test_periodic_streams_that_keep_walkers_out_of_step(record, per_record):
    repeats = 6000
    data = to_bytes(header_bits(per_record * repeats, 8, STANDARD_SIZES) + record * repeats, True)
    words = rle.decode_words(data)
    assert words.tolist() == reference_decode(data)
    assert len(words) == per_record * repeats


def test_striped_and_checkered_masks_round_trip():
    stripes = np.zeros((120, 640), np.uint8)
    stripes[:, ::2] = 255
    rows = np.zeros((400, 300), np.uint8)
    rows[::2] = 200
    checker = (np.indices((200, 333)).sum(axis=0) % 2 * 255).astype(np.uint8)
    for mask in (stripes, rows, checker):
        data = rle.encode(mask)
        assert data == converter_style_encode(pixel_words(mask))
        np.testing.assert_array_equal(rle.decode(data, mask.shape[1], mask.shape[0]), mask)


def test_long_literal_record_spanning_many_walker_chunks():
    rng = np.random.default_rng(7)
    words = rng.integers(0, 256, 60000)
    words[1::2] = (words[::2] + 1) % 256  # no two neighbours equal: literal records of 65536 words
    short_runs = np.repeat(rng.integers(0, 256, 2000), rng.integers(1, 4, 2000)).tolist()
    words = short_runs + words.tolist() + [5] * 100 + short_runs
    data = js_style_encode(words)
    assert rle.decode_words(data).tolist() == words


def test_large_noise_masks_round_trip():
    rng = np.random.default_rng(3)
    binary = np.where(rng.random((540, 960)) < 0.5, 255, 0).astype(np.uint8)
    soft = rng.integers(0, 256, (300, 400)).astype(np.uint8)
    for mask in (binary, soft):
        data = rle.encode(mask)
        np.testing.assert_array_equal(rle.decode(data, mask.shape[1], mask.shape[0]), mask)
    assert rle.decode_words(rle.encode(soft)).tolist() == pixel_words(soft)


# ------------------------------------------------------------------------------------------ encoder


@st.composite
def masks(draw):
    height, width = draw(st.integers(1, 40)), draw(st.integers(1, 40))
    kind = draw(st.sampled_from(["binary", "soft", "runs"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "binary":
        return np.where(rng.random((height, width)) < draw(st.floats(0, 1)), 255, 0).astype(np.uint8)
    if kind == "soft":
        return rng.integers(0, 256, (height, width)).astype(np.uint8)
    flat = np.repeat(rng.integers(0, 256, height * width).astype(np.uint8),
                     rng.integers(1, 70, height * width))[: height * width]
    return flat.reshape(height, width)


@settings(max_examples=150, deadline=None)
@given(masks())
def test_encode_round_trips_and_follows_the_converter_rules(mask):
    data = rle.encode(mask)
    assert data == converter_style_encode(pixel_words(mask))
    np.testing.assert_array_equal(rle.decode(data, mask.shape[1], mask.shape[0]), mask)


@pytest.mark.parametrize("shape, value", [
    ((1, 1), 0), ((1, 1), 255), ((1, 1), 7),
    ((1, 16384), 0),  # 65536 words: exactly one full 16-bit record
    ((1, 16385), 255),  # 65540 words: a full record and a short class-3 rest
    ((300, 300), 0), ((300, 300), 255),  # several full records
])
def test_uniform_masks_and_run_splitting(shape, value):
    mask = np.full(shape, value, np.uint8)
    data = rle.encode(mask)
    assert data == converter_style_encode(pixel_words(mask))
    np.testing.assert_array_equal(rle.decode(data, shape[1], shape[0]), mask)


def test_long_runs_beside_short_ones():
    mask = np.zeros((200, 400), np.uint8)
    mask[50, 10] = 255
    mask[120:, :] = 128
    mask[199, 399] = 1
    data = rle.encode(mask)
    assert data == converter_style_encode(pixel_words(mask))
    np.testing.assert_array_equal(rle.decode(data, 400, 200), mask)


def test_bool_masks_become_255():
    mask = np.zeros((3, 5), bool)
    mask[1, 2:4] = True
    assert rle.encode(mask) == rle.encode(mask.astype(np.uint8) * 255)
    assert rle.decode(rle.encode(mask), 5, 3).max() == 255


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 4), np.uint8), np.zeros((2, 2), np.float32),
                                 np.full((2, 2), 256, np.int32), np.zeros((0, 3), np.uint8)])
def test_encode_refuses_what_is_not_a_mask(bad):
    with pytest.raises(ValueError):
        rle.encode(bad)


# ------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("bad", [[], [0, 0, 0], b"", [0, 0, 0, 8, 0, 0], "abc", None, 5, {1: 2},
                                 [0, 0, 0, 4, 57, 27, 300], [0, 0, 0, 4, 57, 27, 1.0], [0, 0, 0, 4, -1, 0, 0],
                                 np.zeros((2, 8), np.uint8), np.zeros(8, np.float64)])
def test_not_a_stream_is_corrupt(bad):
    with pytest.raises(RleCorruptError):
        rle.decode_words(bad)
    with pytest.raises(RleCorruptError):
        rle.decode(bad, 1, 1)


@pytest.mark.parametrize("cut", [1, 5, 100])
def test_truncated_stream_is_corrupt(cut):
    vector = load("rle_640x480_python_encoder.json")
    with pytest.raises(RleCorruptError):
        rle.decode(vector["rle"][:-cut], 640, 480)
    with pytest.raises(RleCorruptError):
        rle.decode_words(vector["rle"][:-cut])


def test_record_cut_inside_its_word_is_corrupt():
    # the last repeat record's value byte is missing its final bits
    bits = header_bits(4, 8, STANDARD_SIZES) + "100011" + "1111"
    with pytest.raises(RleCorruptError, match="past"):
        rle.decode_words(to_bytes(bits, pad_to_byte=False))


def test_header_promising_more_words_than_the_records_hold_is_corrupt():
    data = load("rle_10x20_python_encoder.json")["rle"]
    data = list(data)
    data[3] += 4  # N = 804
    with pytest.raises(RleCorruptError, match="804"):
        rle.decode_words(data)


def test_image_decode_needs_8_bit_words():
    data = js_style_encode([1, 2, 3, 3], word_size=7)
    assert rle.decode_words(data).tolist() == [1, 2, 3, 3]
    with pytest.raises(RleCorruptError, match="word size"):
        rle.decode(data, 1, 1)


def test_length_mismatch_says_both_numbers_and_what_label_studio_does():
    data = load("rle_10x20_python_encoder.json")["rle"]
    with pytest.raises(RleLengthError) as longer:
        rle.decode(data, 10, 10)
    assert (longer.value.decoded, longer.value.expected) == (800, 400)
    assert "800" in str(longer.value) and "400" in str(longer.value) and "not draw" in str(longer.value)
    with pytest.raises(RleLengthError) as shorter:
        rle.decode(data, 20, 20)
    assert (shorter.value.decoded, shorter.value.expected) == (800, 1600)
    assert "1600" in str(shorter.value) and "first 10 rows" in str(shorter.value)


def test_image_size_must_be_positive():
    with pytest.raises(ValueError):
        rle.decode(load("rle_10x20_python_encoder.json")["rle"], 0, 20)
