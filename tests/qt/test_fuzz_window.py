"""Hostile task files in the window and in `lsview render` (issue 11): every input that ever failed a command, and
a bounded set of fresh mutations, shown task by task with every region selected; nothing may escape into Qt."""

from __future__ import annotations

import json
import random

import pytest

from tests import fuzzing, window_fuzz

CASES = fuzzing.FUZZ / "cases"
INDEX = json.loads((CASES / "index.json").read_text(encoding="utf-8"))
SEEDS = fuzzing.seeds()


@pytest.mark.parametrize("name", sorted(INDEX))
def test_every_kept_case_shows_in_the_window_and_renders(qapp, tmp_path, name):
    config = fuzzing.ROOT / INDEX[name]["config"]
    (tmp_path / "images").symlink_to(fuzzing.DEMO / "images", target_is_directory=True)
    path = tmp_path / name
    path.write_bytes((CASES / name).read_bytes())
    outcome = window_fuzz.walk_window(path, config, tmp_path)
    assert outcome.window == [], INDEX[name]["found"]
    assert window_fuzz.render_case(path, config, tmp_path / "png") == []


@pytest.mark.parametrize("number", range(20))
def test_fresh_mutations_show_in_the_window_and_render(qapp, number):
    rng = random.Random(1100 + number)
    seed = rng.choice(SEEDS)
    tasks = fuzzing.make_case(rng, seed, big=2_000)
    outcome = window_fuzz.check_case(tasks, seed.config, seed.media, rng)
    assert outcome.window == [] and outcome.render == [], json.dumps(tasks, allow_nan=True)[:2000]
