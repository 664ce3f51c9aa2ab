"""Time VideoReader.frame on a generated 1920x1080 H.264 video: random seeks, steps forward, steps back.

Usage: python scripts/bench_video_seek.py [--seconds S] [--gop N,N] [--bframes B,B] [--threads T,T] [--keep-before K]
       [--fps F] [--seeks N] [--crf Q] [--keep DIR] [--video FILE] [--json]
A seek decodes from the keyframe at or before the frame, so its time grows with the keyframe interval: one video
per --gop and --bframes (0: I and P frames, as phones and cameras write; 3: B-frames, as ffmpeg's x264 does).
The videos are written to a temporary folder (or --keep DIR, reused) and never downloaded unless --video names
one; each frame is checked against the number it shows, so a fast wrong answer cannot pass.

Measured 2026-12-05 on the shared 2-core machine (load average 1.6-5.3, never below 1.5 that evening; the same
run differs by +-30% from one minute to the next): 20 s of 1920x1080 at 30 fps, 60 random seeks, ms median / p95.
A seek costs the keyframe (~50 ms of CPU at 13 Mbit/s) plus each reference frame on the way (~6 ms of CPU; frame
threads bring it to ~3 ms when a core is free); RGB for the one frame asked for is ~1 ms.

  keyframe every, B-frames, bitrate   random seek before   random seek after             Shift+, before/after
  30, none, 15.3 Mbit/s               (same frames)        94 / 156 @1.9   212 / 390 @5.1   - / 4
  60, none, 13.5 Mbit/s               223 / 464 @3.0       152 / 258 @1.6  307 / 663 @5.0   - / 7
  250, none, 12.2 Mbit/s              719 / 1829 @5.0      434 / 1052 @3.2 613 / 1714 @5.1  - / 3
  30, 3, 5.7 Mbit/s                   -                    73 / 123 @2.6   128 / 259 @3.7   - / 7
  60, 3, 3.8 Mbit/s                   114 / 209 @3.1       90 / 141 @1.7   140 / 247 @5.3   3 / 4
                                      182 / 430 @5.0
  250, 3, 2.5 Mbit/s (ffmpeg default) 259 / 610 @3.1       162 / 373 @3.0  196 / 407 @3.7   2 / 7
                                      397 / 986 @5.4       181 / 371 @5.1
  (@: load average; Shift+,: step back x10 median. The B-frame rows @3.7 are with the walk-back rule below,
  the others just before it: it changes only a seek landing at most 48 frames behind the decoder)

Before: main's reader, every frame on the way decoded (--keep-before all). After: the non-reference frames before
the 10 kept are skipped (walking back, the 23 the cache holds): frames decoded for the same seeks fell from 3506 to
2708 (GOP 60) and from 9879 to 5954 (GOP 250), whatever the load. Videos of I and P frames have nothing to skip:
the same frames are decoded, the times differ by the load. --keep-before 4 gave 100 / 155 (GOP 60, B) and
176 / 349 (GOP 250, B) at load 5, but a Shift+, step back of 102 ms instead of 8.
--threads, GOP 60 without B-frames at load 4.7-5.8: NONE 437 / 939, SLICE 298 / 621, FRAME 295 / 747, AUTO 304 / 583.
RGB: to_ndarray(format="rgb24") 0.85 ms on an idle core (reformat first or POINT interpolation the same; "bgra",
what Qt shows without converting, 1.46 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core.video.decode import KEEP_BEFORE, THREADS, VideoReader  # noqa: E402
from viewer.core.video.synth import number_in, write_video  # noqa: E402


def timed(reader: VideoReader, frames: list[int], check: bool) -> list[float]:
    times = []
    for n in frames:
        start = time.perf_counter()
        image = reader.frame(n)
        times.append((time.perf_counter() - start) * 1000)
        if check and number_in(image) != n:
            raise SystemExit(f"frame {n} came back as frame {number_in(image)}")
    return times


def row(name: str, times: list[float]) -> dict:
    ordered = sorted(times)
    return {"case": name, "count": len(times), "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "max_ms": round(ordered[-1], 2)}


def keep_before(args: argparse.Namespace) -> int | None:
    return None if args.keep_before == "all" else int(args.keep_before)


def measure(args: argparse.Namespace, gop: int, bframes: int | None, threads: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path, check, made_s = args.video, args.video is None, 0.0
        if path is None:
            frames = int(args.seconds * args.fps)
            name = f"bench_1080p_{frames}f_{args.fps}fps_gop{gop}_b{bframes}_crf{args.crf}.mp4"
            path = (args.keep or Path(folder)) / name
            start = time.perf_counter()
            if not path.exists():  # --keep: a video made by an earlier run is timed again as it is
                write_video(path, frames, 1920, 1080, fps=args.fps, gop=gop, crf=args.crf, bframes=bframes)
            made_s = time.perf_counter() - start
        start = time.perf_counter()
        reader = VideoReader(path, threads=threads, keep_before=keep_before(args))
        open_ms = (time.perf_counter() - start) * 1000
        count = reader.frames_count
        rng = random.Random(18)
        rows = []
        with reader:
            rows.append(row("random seek", timed(reader, [rng.randint(1, count) for _ in range(args.seeks)], check)))
            middle = count // 2
            steps = min(90, count - middle)
            rows.append(row("step forward (.)", timed(reader, list(range(middle, middle + steps)), check)))
            rows.append(row("step back (,)", timed(reader, list(range(middle + steps - 1, max(0, middle - 60), -1)),
                                                   check)))
            rows.append(row("step forward x10 (Shift+.)",
                            timed(reader, list(range(10, count + 1, 10))[:60], check)))
            rows.append(row("step back x10 (Shift+,)",
                            timed(reader, list(range(count, 0, -10))[:60], check)))
            video = str(args.video) if args.video else (
                f"generated 1920x1080 H.264, {count} frames at {args.fps} fps, a keyframe every {gop} frames, "
                f"{'x264 placing B-frames' if bframes is None else f'{bframes} B-frames in a row'}, "
                f"{path.stat().st_size * 8 / (count / args.fps) / 1e6:.1f} Mbit/s (written in {made_s:.1f} s)")
            video += f"; threads {threads}, frames before the target decoded in full: {args.keep_before}"
            return {"video": video, "frames": count, "keyframes": len(reader.keyframes),
                    "load_average": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                    "open_ms": round(open_ms, 1), "seeks": reader.seeks, "decoded": reader.decoded, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the generated video")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--gop", default="30,60", help="frames from one keyframe to the next, one video each")
    parser.add_argument("--seeks", type=int, default=60, help="random seeks to time")
    parser.add_argument("--crf", type=int, help="x264 quality (default 23; higher: fewer bits, faster to decode)")
    parser.add_argument("--bframes", default="0",
                        help="B-frames in a row, one video per value (x264: let x264 place them)")
    parser.add_argument("--threads", default=THREADS, help="FFmpeg thread types to compare, one run each: "
                        "NONE, SLICE, FRAME, AUTO")
    parser.add_argument("--keep-before", default=str(KEEP_BEFORE),
                        help="frames before the target decoded in full; 'all': no non-reference frame skipped")
    parser.add_argument("--keep", type=Path, help="keep the generated videos in this folder and reuse them")
    parser.add_argument("--video", type=Path, help="time this file instead (frame numbers are then not checked)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    gops = [0] if args.video else [int(g) for g in args.gop.split(",")]
    bframes = [None if b == "x264" else int(b) for b in args.bframes.split(",")]
    results = [measure(args, gop, b, threads) for gop in gops for b in bframes for threads in args.threads.split(",")]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for info in results:
        print(f"{info['video']}; open + keyframe index {info['open_ms']} ms; load average {info['load_average']} "
              f"on {info['cpus']} CPUs; {info['decoded']} frames decoded for {info['seeks']} seeks")
        print(f"  {'case':<28}{'count':>6}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
        for item in info["rows"]:
            print(f"  {item['case']:<28}{item['count']:>6}{item['median_ms']:>11}{item['p95_ms']:>9}"
                  f"{item['max_ms']:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
