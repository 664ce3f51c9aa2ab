"""A synthetic video whose frames show their own number, so a reader can check it got the frame it asked for.

Core layer, no Qt; PyAV imported on use. The demo, the seek benchmark and the tests make their media with it
(nothing is downloaded): a textured background that pans one pixel a frame, and the frame number in bit stripes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

BITS = 12          # frame numbers up to 4095
STRIPE_ROWS = 0.1  # the top tenth of the picture holds the stripes


def picture(n: int, width: int, height: int, texture: np.ndarray) -> np.ndarray:
    """Frame n (1-based) as RGB: the texture moved n pixels right and down, the number's bits as stripes on top
    (white: 1, black: 0; most significant bit on the left)."""
    shifted = np.roll(texture, (n, n), axis=(0, 1))[:height, :width]
    image = shifted.copy()
    band = max(2, int(height * STRIPE_ROWS))
    for bit in range(BITS):
        left, right = bit * width // BITS, (bit + 1) * width // BITS
        image[:band, left:right] = 255 if (n >> (BITS - 1 - bit)) & 1 else 0
    return image


def number_in(image: np.ndarray) -> int:
    """The frame number a picture() shows, read back from the stripes' centres (lossy coding leaves them clear)."""
    height, width = image.shape[:2]
    row = max(2, int(height * STRIPE_ROWS)) // 2
    number = 0
    for bit in range(BITS):
        centre = (2 * bit + 1) * width // (2 * BITS)
        number = number * 2 + (1 if image[row, centre].mean() > 127 else 0)
    return number


def write_video(path: str | Path, frames: int, width: int = 320, height: int = 240, fps: int = 24,
                codec: str = "libx264", gop: int = 48, bit_rate: int | None = None) -> Path:
    """Write frames 1..frames with a keyframe every `gop` frames; codec "libx264" (H.264) or "mpeg4"."""
    import av

    path = Path(path)
    rng = np.random.default_rng(18)
    # A coarse texture scaled up: detail a coder must spend bits on, like a real scene, not white noise.
    coarse = rng.integers(40, 216, size=(height // 8 + 2, width // 8 + 2, 3), dtype=np.uint8)
    texture = np.kron(coarse, np.ones((8, 8, 1), dtype=np.uint8))
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.gop_size = gop
        if codec == "libx264":
            stream.options = {"preset": "veryfast", "keyint": str(gop), "min-keyint": str(gop),
                              "scenecut": "0"}
        if bit_rate:
            stream.bit_rate = bit_rate
        for n in range(1, frames + 1):
            frame = av.VideoFrame.from_ndarray(picture(n, width, height, texture), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
