"""Time VideoReader.frame on a generated 1920x1080 H.264 video: random seeks, steps forward, steps back.

Usage: python scripts/bench_video_seek.py [--seconds S] [--gop N,N] [--bframes B,B] [--threads T,T] [--keep-before K]
       [--fps F] [--seeks N] [--crf Q] [--keep DIR] [--video FILE] [--json]
A seek decodes from the keyframe at or before the frame, so its time grows with the keyframe interval: one video
per --gop and --bframes (0: I and P frames, as phones and cameras write; 3: B-frames, as ffmpeg's x264 does).
The videos are written to a temporary folder (or --keep DIR, reused) and never downloaded unless --video names
one; each frame is checked against the number it shows, so a fast wrong answer cannot pass.

Measured 2026-12-05 on the shared 2-core machine, load average 4.7-5.3 (it never fell below 2 that evening):
20 s at 30 fps, 60 random seeks, ms median / p95. A seek costs the keyframe (~50 ms of CPU at 13 Mbit/s) plus
each reference frame on the way (~6 ms of CPU; frame threads bring it to ~3 ms when a core is free).

  keyframe every, B-frames, bitrate   random seek before   after       step back x10 after
  30, none, 15.3 Mbit/s               same work            212 / 390   6 / 467
  60, none, 13.5 Mbit/s               223 / 464 (load 3)   307 / 663   7 / 642
  250, none, 12.2 Mbit/s              719 / 1829           613 / 1714  8 / 1508
  30, 3, 5.7 Mbit/s                   -                    124 / 263   149 / 308
  60, 3, 3.8 Mbit/s                   182 / 430            140 / 247   13 / 257
  250, 3, 2.5 Mbit/s (ffmpeg default) 397 / 986            181 / 371   36 / 368

Before: main's reader (every frame on the way decoded). After: non-reference frames before the 10 kept skipped.
With I and P frames only there is nothing to skip: the same frames are decoded, the times differ by the load.
--keep-before 4 gave 100 / 155 (GOP 60) and 176 / 349 (GOP 250) but a Shift+, step back 102 ms instead of 8.
--threads on GOP 60 without B-frames: NONE 437 / 939, SLICE 298 / 621, FRAME 295 / 747, AUTO 304 / 583.
RGB of the one frame asked for: to_ndarray(format="rgb24") 0.85 ms on an idle core (reformat first, or POINT
interpolation, the same; "bgra" for Qt 1.46 ms): it is not where a seek's time goes.
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
