"""Benchmark of the waveform: one hour of 44.1 kHz stereo 16-bit WAV (generated, 635 MB), drawn at 1600 px.

Developer tool. Prints a table (or --json). Timed: the first draw (PyAV decode, peaks, writing the peaks cache,
painting), the second draw in a fresh state (peaks read back from the disk cache, painting), a repaint with the
peaks in memory, a 10-second zoom and a pan step; the cache file's size. Medians over --runs runs where a run can
repeat (the first draw is once per run, each on a fresh cache).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RATE = 44_100
WIDTH, ROWS = 1600, 2


def make_wav(path: Path, seconds: float) -> None:
    import numpy as np

    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        done, total, chunk = 0, int(seconds * RATE), RATE * 60
        rng = np.random.default_rng(18)
        while done < total:
            n = min(chunk, total - done)
            t = np.arange(done, done + n) / RATE
            left = 0.6 * np.sin(2 * np.pi * 220 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * t / 37))
            right = 0.3 * rng.standard_normal(n).clip(-3, 3) / 3
            out.writeframes((np.stack([left, right], axis=1) * 32767).astype("<i2").tobytes())
            done += n


def paint(peaks, start: float, end: float) -> None:
    from PySide6.QtGui import QImage, QPainter

    from viewer.core.audio.content import AudioContent, AudioMedia
    from viewer.render.style import StyleBook
    from viewer.render.waveform import AXIS_HEIGHT, WaveformFrame, WaveformPainter

    content = AudioContent("audio", AudioMedia("x", None, peaks.sample_rate, peaks.channels, peaks.duration), True, ())
    image = QImage(WIDTH, int(ROWS * 100 + AXIS_HEIGHT), QImage.Format.Format_RGB32)
    p = QPainter(image)
    try:
        frame = WaveformFrame(WIDTH, image.height(), ROWS, start, end)
        WaveformPainter(StyleBook(None)).paint(p, frame, content, peaks)
    finally:
        p.end()


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3600.0, help="length of the generated audio (3600)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from PySide6.QtGui import QGuiApplication

    from viewer.core.audio import peaks as peaks_module

    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="lsview-bench-waveform-") as folder:
        wav = Path(folder) / "hour.wav"
        made = timed(lambda: make_wav(wav, args.seconds))
        for run in range(args.runs):
            media = Path(folder) / f"cache{run}" / "media"
            peaks_module.forget_memory()
            held = {}

            def first() -> None:
                held["peaks"] = peaks_module.load_peaks(wav, media)
                paint(held["peaks"], 0.0, held["peaks"].duration)

            rows.setdefault("first draw (decode, peaks, cache, paint)", []).append(timed(first))
            for _ in range(3):
                peaks_module.forget_memory()

                def second() -> None:
                    held["peaks"] = peaks_module.load_peaks(wav, media)
                    paint(held["peaks"], 0.0, held["peaks"].duration)

                rows.setdefault("second draw (peaks from disk, paint)", []).append(timed(second))
                peaks = held["peaks"]
                rows.setdefault("repaint, whole file (peaks in memory)", []).append(
                    timed(lambda: paint(peaks, 0.0, peaks.duration)))
                rows.setdefault("repaint, 10 s zoom", []).append(timed(lambda: paint(peaks, 1800.0, 1810.0)))
                rows.setdefault("pan step, 10 s zoom", []).append(timed(lambda: paint(peaks, 1801.0, 1811.0)))
            decode_only = timed(lambda: peaks_module.compute(wav))
            rows.setdefault("peaks alone (PyAV decode + reduce)", []).append(decode_only)
        cache_bytes = sum(f.stat().st_size for f in (Path(folder) / "cache0" / "peaks").rglob("*.npz"))
        wav_bytes = wav.stat().st_size
    table = {name: statistics.median(values) for name, values in rows.items()}
    if args.json:
        print(json.dumps({"seconds": args.seconds, "wav_bytes": wav_bytes, "cache_bytes": cache_bytes,
                          "generate_s": made, "median_s": table}, indent=2))
        return 0
    print(f"{args.seconds:.0f} s of {RATE} Hz stereo 16-bit WAV ({wav_bytes / 1e6:.0f} MB, generated in {made:.1f} s), "
          f"drawn {WIDTH} px wide, {args.runs} runs; peaks cache {cache_bytes / 1e6:.1f} MB")
    print(f"{'step':<44} {'median':>10}")
    for name, value in table.items():
        print(f"{name:<44} {value * 1000:>8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
