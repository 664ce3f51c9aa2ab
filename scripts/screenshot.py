"""Render the lsview window on the bundled demo offscreen and save it as docs/screenshot.png (used in README.md).

Developer tool. Needs no display: it runs Qt's offscreen platform. --task picks the demo task to show.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--task", type=int, default=0, help="demo task index to show (default 0)")
    parser.add_argument("--size", default="1440x860", help="window size WxH (default 1440x860)")
    parser.add_argument("--select", metavar="REGION_ID", default="car-2",
                        help="select this region of the last layer (default car-2); '' for none")
    parser.add_argument("--hide-layer", type=int, action="append", default=None,
                        help="index of a layer to hide (repeatable; default: 0, the older model's predictions)")
    parser.add_argument("--review-keys", default="NAAX",
                        help="review keys pressed last, to show review at work (default NAAX: next undecided, "
                             "accept twice, reject); '' for none")
    args = parser.parse_args(argv)
    if args.hide_layer is None:
        args.hide_layer = [0]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from viewer.qt.app import application
    from viewer.qt.main_window import MainWindow

    app = application()
    with tempfile.TemporaryDirectory() as scratch:
        # the demo's review session goes to the user's data folder: a throwaway one, so the picture starts fresh
        os.environ["LSVIEW_DATA_DIR"] = scratch
        # a throwaway settings file keeps the developer's recent-files list out of the picture
        window = MainWindow(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
        width, height = (int(n) for n in args.size.lower().split("x"))
        window.resize(width, height)
        window.show()
        shown: list[int] = []
        window.task_shown.connect(shown.append)
        window.open_demo()
        while not shown:
            QTest.qWait(20)
        if args.task != shown[-1]:
            window.show_task(args.task)
            while args.task not in shown:
                QTest.qWait(20)
        for index in args.hide_layer:
            window.layer_list.set_visible(window.scene.content.layers[index].key, False)
        if args.select:
            keys = [k for k in window.scene.items_by_key if k[1] == args.select]
            if keys:
                window.region_list.select(keys[-1])
                window.scene.select(keys[-1])
        for key in args.review_keys.upper():
            QTest.keyClick(window.view, getattr(Qt.Key, f"Key_{key}"))
        QTest.qWait(100)
        app.processEvents()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(args.out), "PNG"):
            print(f"could not write {args.out}", file=sys.stderr)
            return 1
        window.close()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
