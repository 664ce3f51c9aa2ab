"""Redraw the golden images of tests/render/golden from the scenes in tests/render/scenes.py.

Developer tool, runs offscreen. Run it after a deliberate change to how regions are drawn, look at the new PNGs,
and commit them with the change; tests/render/test_golden.py compares against them with a small tolerance.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scene", nargs="*", help="scene names (default: all)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import numpy as np
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    from tests.render import scenes

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (painting needs it alive)
    unknown = sorted(set(args.scene) - set(scenes.SCENES))
    if unknown:
        parser.error(f"no scene {', '.join(unknown)}; scenes: {', '.join(scenes.SCENES)}")
    scenes.GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in args.scene or scenes.SCENES:
        target = scenes.GOLDEN / f"{name}.png"
        Image.fromarray(scenes.pixels(scenes.render(name)).astype(np.uint8), "RGB").save(target, optimize=True)
        print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
