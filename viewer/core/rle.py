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
from viewer.core.numbers import preview

__all__ = ["RleHeader", "decode", "decode_words", "encode", "read_header"]

_HEADER_BITS = 53
_HEADER_BYTES = 7
_MASK64 = (1 << 64) - 1
_IMAGE_WORD_SIZE = 8
_CONVERTER_SIZE_BITS = (3, 4, 8, 16)
_CONVERTER_MAX_RECORD = 1 << 16
_FIRST_RECORDS_IN_PYTHON = 256


@dataclass(frozen=True)
class RleHeader:
    """The 53-bit stream header: N words follow, each `word_size` bits (1..32; brush masks use 8), and the
    count field of a record of size class k is `size_bits[k]` bits wide (1..16; Label Studio writes 3, 4, 8, 16).
    Every value the header can hold is a valid header."""

    num_words: int
    word_size: int
    size_bits: tuple[int, int, int, int]


# ---------------------------------------------------------------------------------------------- input


def _first_bad_element(rle) -> str:
    for i, value in enumerate(rle):
        try:
            byte = operator.index(value)
        except TypeError:
            return f"RLE element {i} is {preview(value)}, not an integer"
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
    bits = int.from_bytes(data[:_HEADER_BYTES], "big") >> (_HEADER_BYTES * 8 - _HEADER_BITS)
    sizes = tuple(((bits >> (12 - 4 * k)) & 15) + 1 for k in range(4))
    return RleHeader(num_words=bits >> 21, word_size=((bits >> 16) & 31) + 1, size_bits=sizes)


def read_header(rle) -> RleHeader:
    """The header of a brush RLE, without decoding the records."""
    return _header_of(_as_bytes(rle))


# ---------------------------------------------------------------------------------------------- decode


@dataclass(frozen=True)
class _Tables:
    """What a record's first `top_bits` bits (kind, size class, count field) say about it, by those bits."""

    top_bits: int
    count: np.ndarray  # words the record produces
    bits: np.ndarray  # its whole length
    walk: np.ndarray  # how far a walker steps: `bits`, or 1 past a long record (see _walk_chunks)


@lru_cache(maxsize=8)
def _tables(word_size: int, size_bits: tuple[int, int, int, int]) -> _Tables:
    top_bits = 3 + max(size_bits)
    block = 1 << (top_bits - 3)  # entries sharing one kind bit and size class
    count = np.empty(8 * block, np.uint32)
    bits = np.empty(8 * block, np.uint32)
    for i, (repeat, width) in enumerate((r, w) for r in (False, True) for w in size_bits):
        part = slice(i * block, (i + 1) * block)
        # the count field is the high bits of the rest of the index
        count[part].reshape(1 << width, -1)[:] = np.arange(1, (1 << width) + 1, dtype=np.uint32)[:, None]
        bits[part] = 3 + width + (word_size if repeat else count[part] * word_size)
    walk = bits.copy()
    walk[bits > max(64, 2 * (top_bits + word_size))] = 1
    return _Tables(top_bits, count, bits, walk)


class _BitReader:
    """Fields at any bit offset, read through big-endian 64-bit windows starting at every byte."""

    def __init__(self, data: bytes):
        self.nbits = len(data) * 8
        # 8 zero bytes so a window at the last byte (or at nbits itself) stays inside the buffer
        self.padded = data + bytes(8)
        view = np.ndarray((len(data) + 1,), dtype=">u8", buffer=self.padded, strides=(1,))
        self.windows = view.astype(np.uint64)

    def top(self, pos: np.ndarray, nbits: int) -> np.ndarray:
        """The `nbits` (<= 57) bits starting at each bit position in `pos` (uint64, at most the bit count)."""
        window = self.windows[pos >> np.uint64(3)]
        window <<= pos & np.uint64(7)
        window >>= np.uint64(64 - nbits)
        return window

    def top_one(self, pos: int, nbits: int) -> int:
        byte = pos >> 3
        window = (int.from_bytes(self.padded[byte:byte + 8], "big") << (pos & 7)) & _MASK64
        return window >> (64 - nbits)


def _chunk_bits(nbits: int) -> int:
    # Numpy steps grow with the chunk, the Python work per chunk with the number of chunks: balance them.
    return max(64, min(8192, 2 * math.isqrt(nbits)))


def _walk_chunks(reader: _BitReader, tables: _Tables, chunk: int) -> np.ndarray:
    """Sorted bit positions (uint64) where walkers stood inside their own chunks.

    One walker per chunk, all stepping together one record per numpy step. A walker started at an arbitrary
    bit reads nonsense records until it happens to land on a true record start; from then on it follows the
    true chain. Walkers start half a chunk early so that most of them are in step when their chunk begins,
    and a walker that reads a long record steps one bit on instead: such records are nearly always nonsense
    (a literal of thousands of words) and would carry the walker far out of its chunk.
    """
    nbits = reader.nbits
    # 32-bit arithmetic is markedly faster; a walker reads at most 7 + 19 bits from the window at its byte
    unsigned = np.uint32 if nbits < 1 << 31 else np.uint64
    width = np.dtype(unsigned).itemsize * 8
    windows = (reader.windows >> np.uint64(64 - width)).astype(unsigned)
    walk = tables.walk.astype(unsigned, copy=False)
    three, seven, drop = unsigned(3), unsigned(7), unsigned(width - tables.top_bits)

    count = -(-(nbits - _HEADER_BITS) // chunk)
    first = unsigned(chunk) * np.arange(count, dtype=unsigned) + unsigned(_HEADER_BITS)
    ends = np.minimum(first + unsigned(chunk), unsigned(nbits))
    pos = np.maximum(first, unsigned(_HEADER_BITS + chunk // 2)) - unsigned(chunk // 2)
    trail = [pos]
    while True:
        for _ in range(8):
            # positions past the end read the last window (zero padding); those steps are discarded
            window = np.take(windows, pos >> three, mode="clip")
            window <<= pos & seven
            window >>= drop
            pos = pos + np.take(walk, window)
            trail.append(pos)
        if (pos >= ends).all():
            break
    path = np.stack(trail, axis=1)
    return path[(path >= first[:, None]) & (path < ends[:, None])].astype(np.uint64)


def _record_starts(reader: _BitReader, tables: _Tables) -> tuple[np.ndarray, np.ndarray]:
    """Bit positions of all records from the header to the end of the bytes, and their `top_bits` fields.

    Where the next walker position is a record's true successor the true chain, once on it, stays on it; so
    the chain is spliced from such runs of walker positions, and only where it lands outside every run is it
    walked one record at a time in Python until it meets one again (streams that repeat one short pattern
    can keep every walker out of step, and then most of the stream is walked so).
    """
    nbits, top_bits, record_bits = reader.nbits, tables.top_bits, memoryview(tables.bits)
    # the chain in order, as runs of the trail and stretches walked in Python, and their top bits
    chain: list[np.ndarray] = []
    chain_top: list[np.ndarray] = []
    walked: list[int] = []

    def keep_walked() -> None:
        if walked:
            chain.append(np.array(walked, dtype=np.uint64))
            chain_top.append(reader.top(chain[-1], top_bits))
            walked.clear()

    # A stream of few records (small, or long literal records) is done before walkers would have started.
    p = _HEADER_BITS
    while p < nbits and len(walked) < _FIRST_RECORDS_IN_PYTHON:
        walked.append(p)
        p += record_bits[reader.top_one(p, top_bits)]
    if p >= nbits:
        keep_walked()
        return chain[0], chain_top[0]

    chunk = _chunk_bits(nbits)
    trail = _walk_chunks(reader, tables, chunk)
    trail_top = reader.top(trail, top_bits)
    successor = trail + tables.bits[trail_top]
    run_last = np.append(np.flatnonzero(trail[1:] != successor[:-1]), len(trail) - 1)
    landing = np.searchsorted(trail, successor[run_last])
    landed = landing < len(trail)
    landed[landed] = trail[landing[landed]] == successor[run_last[landed]]
    next_run_first = np.where(landed, landing, -1).tolist()
    exit_list = successor[run_last].tolist()
    run_last_list = run_last.tolist()
    trail_by_chunk: dict[int, dict[int, int]] = {}

    def trail_index(position: int) -> int:
        k = (position - _HEADER_BITS) // chunk
        near = trail_by_chunk.get(k)
        if near is None:
            bounds = np.array([k, k + 1], dtype=np.uint64) * np.uint64(chunk) + np.uint64(_HEADER_BITS)
            lo, hi = np.searchsorted(trail, bounds).tolist()
            near = trail_by_chunk[k] = {q: lo + i for i, q in enumerate(trail[lo:hi].tolist())}
        return near.get(position, -1)

    while p < nbits:
        index = trail_index(p)
        if index < 0:
            walked.append(p)
            p += record_bits[reader.top_one(p, top_bits)]
            continue
        keep_walked()
        while index >= 0:
            run = bisect.bisect_left(run_last_list, index)
            chain.append(trail[index:run_last_list[run] + 1])
            chain_top.append(trail_top[index:run_last_list[run] + 1])
            index = next_run_first[run]
        p = exit_list[run]
    keep_walked()
    return np.concatenate(chain), np.concatenate(chain_top)


@dataclass(frozen=True)
class _Runs:
    """The decoded stream as runs: `values[i]` fills words `ends[i-1]` up to `ends[i]` (ends[-1] == N)."""

    values: np.ndarray
    ends: np.ndarray


def _word_dtype(word_size: int):
    return np.uint8 if word_size <= 8 else np.uint16 if word_size <= 16 else np.uint32


def _runs(data: bytes, header: RleHeader) -> _Runs:
    num = header.num_words
    dtype = _word_dtype(header.word_size)
    if num == 0:
        return _Runs(np.zeros(0, dtype), np.zeros(0, np.int64))
    reader = _BitReader(data)
    tables = _tables(header.word_size, header.size_bits)
    starts, top = _record_starts(reader, tables)
    counts = tables.count[top].astype(np.int64)
    produced = np.cumsum(counts)
    last = int(np.searchsorted(produced, num))
    if last == len(produced):
        got = int(produced[-1])
        if int(starts[-1]) + int(tables.bits[top[-1]]) > reader.nbits:
            got -= int(counts[-1])  # only the last record can be incomplete: no record starts past the end
        raise RleCorruptError(f"RLE stream is cut: its records end after {got} of the {num} words in the header")
    record_end = int(starts[last]) + int(tables.bits[top[last]])
    if record_end > reader.nbits:
        raise RleCorruptError(
            f"RLE stream is cut: the record at bit {int(starts[last])} ends at bit {record_end}, "
            f"past the {reader.nbits} bits of the list")
    starts, top, counts = starts[: last + 1], top[: last + 1], counts[: last + 1]
    repeat = (top >> np.uint64(tables.top_bits - 1)).astype(bool)
    head = np.array([3 + w for w in header.size_bits], dtype=np.uint64)
    item_pos = starts + head[(top >> np.uint64(tables.top_bits - 3)) & np.uint64(3)]
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
    return _Runs(values, ends)


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


def _converter_records() -> tuple[np.ndarray, np.ndarray]:
    """Record bits above the value, and record lengths, by run length 1..256 (index 0 unused)."""
    count = np.arange(257)
    size_class = np.select([count <= 8, count <= 16], [0, 1], 2)
    width = np.array(_CONVERTER_SIZE_BITS)[size_class]
    kind = (count > 1).astype(int)  # the converter writes a one-word run as a one-word literal record
    above_value = ((kind << 2 | size_class) << width | np.maximum(count - 1, 0)) << 8
    return above_value.astype(np.uint64), (width + 11).astype(np.uint64)


_SHORT_RECORD, _SHORT_RECORD_BITS = _converter_records()
_LONG_RECORD = np.uint64(0b111 << 24)  # repeat record, size class 3, count and value below
_LONG_RECORD_BITS = np.uint64(3 + 16 + 8)


def _pack_runs(values: np.ndarray, lengths: np.ndarray, num_words: int) -> np.ndarray:
    """The converter's ``encode_rle`` bytes for a stream given as runs of 8-bit values.

    Its rules: a run of one word is a one-word literal record; runs of 2..8, 9..16 and 17..256 words are repeat
    records of size class 0, 1, 2; longer runs are class-3 repeat records of 65536 words and one class-3 record
    for the rest, however short. Header sizes are always 8-bit words and classes (3, 4, 8, 16); the stream is
    then padded with 1 to 8 zero bits, so a whole zero byte when it already ends on a byte boundary.
    """
    long = lengths > 256
    if long.any():
        pieces = np.where(long, (lengths - 1) // _CONVERTER_MAX_RECORD + 1, 1)
        last_piece = np.cumsum(pieces) - 1
        counts = np.full(int(last_piece[-1]) + 1, _CONVERTER_MAX_RECORD, dtype=np.int64)
        counts[last_piece] = lengths - (pieces - 1) * _CONVERTER_MAX_RECORD
        values, long = np.repeat(values, pieces), np.repeat(long, pieces)
        short = np.where(long, 0, counts)
        code = np.where(long, _LONG_RECORD | (counts - 1).astype(np.uint64) << np.uint64(8), _SHORT_RECORD[short])
        nbits = np.where(long, _LONG_RECORD_BITS, _SHORT_RECORD_BITS[short])
    else:
        code = _SHORT_RECORD[lengths]
        nbits = _SHORT_RECORD_BITS[lengths]
    code |= values

    ends = np.cumsum(nbits)
    ends += np.uint64(_HEADER_BITS)
    total_bits = int(ends[-1])
    starts = ends - nbits
    # A record (<= 27 bits) placed at its offset in a 64-bit window that starts at its 32-bit output word:
    # the high half belongs to that word, the low half to the next. Bits of different records never
    # overlap, so summing the halves per word (bincount, exact in float64) is the same as OR-ing them.
    code <<= np.uint64(64) - nbits - (starts & np.uint64(31))
    word = (starts >> np.uint64(5)).astype(np.intp)
    size = total_bits // 32 + 2
    out = np.bincount(word, weights=code >> np.uint64(32), minlength=size)
    out[1:] += np.bincount(word, weights=code & np.uint64(0xFFFFFFFF), minlength=size)[:-1]
    out = out.astype(np.uint32)
    header = (num_words << 21) | ((_IMAGE_WORD_SIZE - 1) << 16)
    for k, size_bits in enumerate(_CONVERTER_SIZE_BITS):
        header |= (size_bits - 1) << (12 - 4 * k)
    header <<= 64 - _HEADER_BITS
    out[0] |= np.uint32(header >> 32)
    out[1] |= np.uint32(header & 0xFFFFFFFF)
    return out.astype(">u4").view(np.uint8)[: total_bits // 8 + 1]


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
