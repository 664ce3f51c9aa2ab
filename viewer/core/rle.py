"""Label Studio brush RLE (the thi.ng rle-pack bit stream in ``value.rle``) to alpha masks and back.

Decoding is vectorised with numpy; `encode` writes exactly the bytes label-studio-converter's ``mask2rle`` writes.
"""

from __future__ import annotations

import bisect
import math
import operator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from viewer.core.errors import RleCorruptError, RleLengthError

__all__ = ["RleHeader", "decode", "decode_words", "encode", "read_header"]

HEADER_BITS = 53
_HEADER_BYTES = 7
_MASK64 = (1 << 64) - 1
_IMAGE_WORD_SIZE = 8
_CONVERTER_SIZE_BITS = (3, 4, 8, 16)
_CONVERTER_MAX_RECORD = 1 << 16


@dataclass(frozen=True)
class RleHeader:
    """The 53-bit stream header: how many words follow and how wide the fields are."""

    num_words: int
    word_size: int
    size_bits: tuple[int, int, int, int]


# ---------------------------------------------------------------------------------------------- input


def _first_bad_element(rle) -> str:
    for i, value in enumerate(rle):
        try:
            byte = operator.index(value)
        except TypeError:
            return f"RLE element {i} is {value!r}, not an integer"
        if not 0 <= byte <= 255:
            return f"RLE element {i} is {byte}, outside 0..255"
    return "RLE is not a sequence of byte values"


def _as_bytes(rle) -> bytes:
    if isinstance(rle, np.ndarray):
        if rle.ndim != 1:
            raise RleCorruptError(f"RLE array must be 1-D, got shape {rle.shape}")
        if rle.dtype == object:
            return _as_bytes(rle.tolist())
        if rle.dtype.kind not in "iu":
            raise RleCorruptError(f"RLE array has dtype {rle.dtype}, expected integers 0..255")
        if rle.size and (int(rle.min()) < 0 or int(rle.max()) > 255):
            raise RleCorruptError(_first_bad_element(rle.tolist()))
        return rle.astype(np.uint8).tobytes()
    if isinstance(rle, (bytes, bytearray)):
        return bytes(rle)
    if isinstance(rle, (list, tuple)):
        try:
            # bytes() checks every element is an int in 0..255, in C
            return bytes(rle)
        except (TypeError, ValueError):
            raise RleCorruptError(_first_bad_element(rle)) from None
    raise RleCorruptError(f"RLE must be a list of byte values 0..255, not {type(rle).__name__}")


def _header_of(data: bytes) -> RleHeader:
    if not data:
        raise RleCorruptError("RLE is empty")
    if len(data) < _HEADER_BYTES:
        raise RleCorruptError(f"RLE header cut: {len(data)} bytes, the 53-bit header needs {_HEADER_BYTES}")
    bits = int.from_bytes(data[:_HEADER_BYTES], "big") >> (_HEADER_BYTES * 8 - HEADER_BITS)
    sizes = tuple(((bits >> (12 - 4 * k)) & 15) + 1 for k in range(4))
    return RleHeader(num_words=bits >> 21, word_size=((bits >> 16) & 31) + 1, size_bits=sizes)


def read_header(rle) -> RleHeader:
    """The header of a brush RLE, without decoding the records."""
    return _header_of(_as_bytes(rle))


# ---------------------------------------------------------------------------------------------- decode


@dataclass(frozen=True)
class _Tables:
    """Everything about a record that its first `top_bits` bits (kind, class, count) determine."""

    top_bits: int
    repeat: np.ndarray
    count: np.ndarray
    head: np.ndarray
    bits: np.ndarray


@lru_cache(maxsize=8)
def _tables(word_size: int, size_bits: tuple[int, int, int, int]) -> _Tables:
    top_bits = 3 + max(size_bits)
    top = np.arange(1 << top_bits, dtype=np.uint64)
    repeat = (top >> np.uint64(top_bits - 1)).astype(bool)
    width = np.array(size_bits, dtype=np.uint64)[(top >> np.uint64(top_bits - 3)) & np.uint64(3)]
    one = np.uint64(1)
    count = ((top >> (np.uint64(top_bits - 3) - width)) & ((one << width) - one)) + one
    head = width + np.uint64(3)
    bits = head + np.where(repeat, np.uint64(word_size), count * np.uint64(word_size))
    return _Tables(top_bits, repeat, count, head, bits)


class _BitReader:
    """Fields at any bit offset, read through big-endian 64-bit windows starting at every byte."""

    def __init__(self, data: bytes):
        self.nbits = len(data) * 8
        # 8 zero bytes so a window at the last byte (or at nbits itself) stays inside the buffer
        padded = np.frombuffer(data + bytes(8), dtype=np.uint8)
        view = np.ndarray((len(data) + 1,), dtype=">u8", buffer=padded, strides=(1,))
        self.windows = view.astype(np.uint64)

    def top(self, pos: np.ndarray, nbits: int) -> np.ndarray:
        """The `nbits` (<= 57) bits starting at each bit position in `pos` (uint64)."""
        window = self.windows[pos >> np.uint64(3)] << (pos & np.uint64(7))
        return window >> np.uint64(64 - nbits)

    def top_one(self, pos: int, nbits: int) -> int:
        window = (int(self.windows[pos >> 3]) << (pos & 7)) & _MASK64
        return window >> (64 - nbits)


def _chunk_bits(nbits: int) -> int:
    # Walker steps grow with the chunk, the per-chunk Python bookkeeping with the chunk count: balance them.
    return max(32, min(1 << 14, 2 * math.isqrt(nbits)))


def _walk_chunks(reader: _BitReader, tables: _Tables, chunk: int, short_record: int):
    """Trails of one walker per chunk, all stepping together one record per numpy step.

    Returns the trail positions inside their chunks (sorted, as chunks and trails both ascend) and a flag per
    position: the walker left the chunk after it. A walker that leaves early (reading some bits as a long
    literal record) starts again one bit after its last position, so every part of the chunk keeps a trail.
    """
    nbits = reader.nbits
    count = -(-(nbits - HEADER_BITS) // chunk)
    pos = np.uint64(HEADER_BITS) + np.uint64(chunk) * np.arange(count, dtype=np.uint64)
    ends = np.minimum(pos + np.uint64(chunk), np.uint64(nbits))
    restart_before = ends - np.minimum(ends, np.uint64(short_record))
    limit = np.uint64(nbits)
    one = np.uint64(1)
    trail, leaves = [], []
    while True:
        for _ in range(4):
            nxt = pos + tables.bits[reader.top(pos, tables.top_bits)]
            leaving = nxt >= ends
            restart = leaving & (pos < restart_before)
            trail.append(pos)
            leaves.append(leaving)
            pos = np.minimum(np.where(restart, pos + one, nxt), limit)
        if (pos >= ends).all():
            break
    path = np.stack(trail, axis=1)
    inside = path < ends[:, None]
    return path[inside], np.stack(leaves, axis=1)[inside]


def _record_starts(reader: _BitReader, tables: _Tables, chunk: int) -> np.ndarray:
    """Bit positions of the records of the true chain, from the header to the end of the bytes.

    Between two exits from a chunk a trail is a chain of records, so once the true chain meets a trail it
    follows it to that segment's exit. The chain is therefore spliced from trail segments, and only where it
    lands outside every trail is it walked one record at a time in Python until it meets one again.
    """
    short_record = 3 + int(tables.head.max()) - 3 + int(tables.bits[0] - tables.head[0])
    trail, leaves = _walk_chunks(reader, tables, chunk, short_record)
    segment_last = np.flatnonzero(leaves)
    last_pos = trail[segment_last]
    exit_pos = last_pos + tables.bits[reader.top(last_pos, tables.top_bits)]
    landing = np.searchsorted(trail, exit_pos)
    landed = landing < len(trail)
    landed[landed] = trail[landing[landed]] == exit_pos[landed]
    next_index = np.where(landed, landing, -1).tolist()
    exit_list = exit_pos.tolist()
    segment_list = segment_last.tolist()

    firsts, lasts, walked = [], [], []
    nbits = reader.nbits
    index = 0  # trail[0] is the first record, right after the header
    while True:
        seg = bisect.bisect_left(segment_list, index)
        firsts.append(index)
        lasts.append(segment_list[seg])
        index = next_index[seg]
        if index >= 0:
            continue
        p = exit_list[seg]
        while p < nbits:
            index = int(np.searchsorted(trail, p))
            if index < len(trail) and int(trail[index]) == p:
                break
            walked.append(p)
            p += int(tables.bits[reader.top_one(p, tables.top_bits)])
        else:
            break
    size = len(trail) + 1
    depth = np.cumsum(np.bincount(firsts, minlength=size) - np.bincount(np.array(lasts) + 1, minlength=size))
    starts = trail[depth[:-1] > 0]
    if walked:
        starts = np.sort(np.concatenate((starts, np.array(walked, dtype=np.uint64))))
    return starts


@dataclass(frozen=True)
class _Runs:
    """The decoded stream as runs: `values[i]` fills words `ends[i-1]` up to `ends[i]` (ends[-1] == N)."""

    header: RleHeader
    values: np.ndarray
    ends: np.ndarray


def _word_dtype(word_size: int):
    return np.uint8 if word_size <= 8 else np.uint16 if word_size <= 16 else np.uint32


def _runs(data: bytes, header: RleHeader) -> _Runs:
    num = header.num_words
    dtype = _word_dtype(header.word_size)
    if num == 0:
        return _Runs(header, np.zeros(0, dtype), np.zeros(0, np.int64))
    reader = _BitReader(data)
    tables = _tables(header.word_size, header.size_bits)
    if reader.nbits <= HEADER_BITS:
        raise RleCorruptError(f"RLE has a header for {num} words but no records")
    starts = _record_starts(reader, tables, _chunk_bits(reader.nbits))
    top = reader.top(starts, tables.top_bits)
    counts = tables.count[top].astype(np.int64)
    produced = np.cumsum(counts)
    last = int(np.searchsorted(produced, num))
    if last == len(produced):
        got = int(produced[-1]) if len(produced) else 0
        raise RleCorruptError(f"RLE stream is cut: its records end after {got} of the {num} words in the header")
    record_end = int(starts[last]) + int(tables.bits[top[last]])
    if record_end > reader.nbits:
        raise RleCorruptError(
            f"RLE stream is cut: the record at bit {int(starts[last])} ends at bit {record_end}, "
            f"past the {reader.nbits} bits of the list")
    starts, top, counts = starts[: last + 1], top[: last + 1], counts[: last + 1]
    repeat = tables.repeat[top]
    item_pos = starts + tables.head[top]
    if repeat.all():
        lengths = counts
    else:
        # a literal record becomes `count` one-word items, a repeat record one item of `count` words
        per_record = np.where(repeat, 1, counts)
        record_of = np.repeat(np.arange(len(starts)), per_record)
        first_item = np.cumsum(per_record) - per_record
        index_in_record = (np.arange(len(record_of)) - first_item[record_of]).astype(np.uint64)
        item_pos = item_pos[record_of] + index_in_record * np.uint64(header.word_size)
        lengths = np.where(repeat[record_of], counts[record_of], 1)
    values = reader.top(item_pos, header.word_size).astype(dtype)
    # the last record may run past N words; like the editor, keep only the first N
    ends = np.minimum(np.cumsum(lengths), num)
    return _Runs(header, values, ends)


def decode_words(rle) -> np.ndarray:
    """The whole decoded word stream (1-D; uint8 for 8-bit words, uint16/uint32 for wider ones).

    Honours any header: word size 1..32 bits and size classes 1..16 bits. Raises RleCorruptError when the
    list is not a valid stream. Records after the N-th word and the zero padding are ignored; a last record
    that runs past N words is cut at N (the editor's decoder does the same).
    """
    data = _as_bytes(rle)
    runs = _runs(data, _header_of(data))
    return np.repeat(runs.values, np.diff(runs.ends, prepend=0))


def _length_message(num: int, width: int, height: int) -> str:
    expected = width * height * 4
    text = (f"brush RLE holds {num} words but the {width}x{height} image needs {expected} "
            f"({width}*{height} pixels * 4 RGBA bytes); ")
    if num > expected:
        return text + "it is longer than the image, so Label Studio does not draw this region"
    return text + (f"it is shorter than the image, so Label Studio fills only the first "
                   f"{num // (width * 4)} rows (and the mask shears if it was made for another width)")


def decode(rle, width: int, height: int) -> np.ndarray:
    """The alpha plane (byte 3 of each RGBA pixel) of a brush RLE, shape (height, width), dtype uint8.

    Raises RleCorruptError for anything that is not a valid stream of 8-bit words, RleLengthError when a
    valid stream holds a number of words other than width*height*4.
    """
    width, height = operator.index(width), operator.index(height)
    if width <= 0 or height <= 0:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    data = _as_bytes(rle)
    header = _header_of(data)
    if header.word_size != _IMAGE_WORD_SIZE:
        raise RleCorruptError(f"RLE word size is {header.word_size} bits; brush masks use 8-bit words")
    runs = _runs(data, header)
    expected = width * height * 4
    if header.num_words != expected:
        raise RleLengthError(_length_message(header.num_words, width, height),
                             decoded=header.num_words, expected=expected)
    # word w is the alpha of pixel w // 4 when w % 4 == 3, so a run ending before word e holds e // 4 alphas
    alpha = np.repeat(runs.values, np.diff(runs.ends // 4, prepend=0))
    return alpha.reshape(height, width)


# ---------------------------------------------------------------------------------------------- encode


def _pack_runs(values: np.ndarray, lengths: np.ndarray, num_words: int) -> np.ndarray:
    """The converter's ``encode_rle`` bytes for a stream given as runs of 8-bit values.

    Its rules: a run of one word is a one-word literal record; runs of 2..8, 9..16 and 17..256 words are repeat
    records of size class 0, 1, 2; longer runs are class-3 repeat records of 65536 words and one class-3 record
    for the rest, however short. Header sizes are always 8-bit words and classes (3, 4, 8, 16); the stream is
    then padded with 1 to 8 zero bits, so a whole zero byte when it already ends on a byte boundary.
    """
    lengths = lengths.astype(np.int64)
    size_class = (lengths > 8).astype(np.int64) + (lengths > 16) + (lengths > 256)
    repeat = (lengths > 1).astype(np.int64)
    pieces = np.where(lengths > 256, (lengths - 1) // _CONVERTER_MAX_RECORD + 1, 1)
    counts = lengths
    if (pieces > 1).any():
        last_piece = np.cumsum(pieces) - 1
        counts = np.full(int(last_piece[-1]) + 1, _CONVERTER_MAX_RECORD, dtype=np.int64)
        counts[last_piece] = lengths - (pieces - 1) * _CONVERTER_MAX_RECORD
        values, size_class, repeat = (np.repeat(a, pieces) for a in (values, size_class, repeat))
    width = np.array(_CONVERTER_SIZE_BITS, dtype=np.int64)[size_class]
    code = ((((repeat << 2) | size_class) << width | (counts - 1)) << 8 | values).astype(np.uint64)
    nbits = (width + 11).astype(np.uint64)

    ends = np.cumsum(nbits) + np.uint64(HEADER_BITS)
    total_bits = int(ends[-1])
    starts = ends - nbits
    # Records are at most 27 bits, so each touches one 64-bit output word or spills into the next one.
    word = (starts >> np.uint64(6)).astype(np.int64)
    tail = (starts & np.uint64(63)) + nbits
    spills = tail > np.uint64(64)
    head_part = np.where(spills, code >> np.where(spills, tail - np.uint64(64), np.uint64(0)),
                         code << np.where(spills, np.uint64(0), np.uint64(64) - tail))
    out = np.zeros(total_bits // 64 + 2, dtype=np.uint64)
    group = np.flatnonzero(np.diff(word)) + 1
    group = np.concatenate(([0], group))
    out[word[group]] = np.bitwise_or.reduceat(head_part, group)
    out[word[spills] + 1] |= code[spills] << (np.uint64(128) - tail[spills])
    header = (num_words << 21) | ((_IMAGE_WORD_SIZE - 1) << 16)
    for k, size in enumerate(_CONVERTER_SIZE_BITS):
        header |= (size - 1) << (12 - 4 * k)
    out[0] |= np.uint64(header << (64 - HEADER_BITS))
    return out.astype(">u8").view(np.uint8)[: total_bits // 8 + 1]


def encode(mask) -> list[int]:
    """A 2-D (height, width) mask as brush RLE, byte-identical to label-studio-converter's ``mask2rle``.

    `mask` is uint8 (other integer types must hold 0..255) or bool (True becomes 255). Each pixel value is
    written to all four RGBA words, as ``mask2rle`` does.
    """
    array = np.asarray(mask)
    if array.ndim != 2:
        raise ValueError(f"mask must be 2-D (height, width), got shape {array.shape}")
    if array.size == 0:
        raise ValueError("mask is empty")
    if array.dtype == bool:
        array = array.astype(np.uint8) * np.uint8(255)
    elif array.dtype.kind in "iu":
        if array.dtype != np.uint8 and (int(array.min()) < 0 or int(array.max()) > 255):
            raise ValueError("mask values must be in 0..255")
        array = array.astype(np.uint8, copy=False)
    else:
        raise ValueError(f"mask must be uint8 or bool, got {array.dtype}")
    num_words = array.size * 4
    if num_words >= 1 << 32:
        raise ValueError(f"mask of {array.size} pixels is too large for the 32-bit word count")
    flat = array.ravel()
    cuts = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], cuts, [flat.size]))
    return _pack_runs(flat[bounds[:-1]], np.diff(bounds) * 4, num_words).tolist()
