"""A whole-object answer set as one region edit (viewer.core.review.working.classification_edit)."""

from __future__ import annotations

import pytest

from viewer.core.review.working import classification_edit

BOX = {"id": "r1", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
       "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rectanglelabels": ["Car"]}}


def answer(choice: str, **extra) -> dict:
    return {"id": "c1", "from_name": "scene", "to_name": "image", "type": "choices", "value": {"choices": [choice]},
            **extra}


def edit(results: list, payload):
    return classification_edit(results, from_name="scene", to_name="image", result_type="choices", key="choices",
                               payload=payload)


def test_the_same_answer_is_no_edit_even_when_only_its_origin_differs():
    assert edit([BOX, answer("Day")], ["Day"]) is None
    assert edit([BOX, answer("Day", origin="prediction")], ["Day"]) is None
    assert edit([BOX], None) is None                                     # nothing to clear


def test_a_changed_answer_keeps_its_id_and_a_new_one_gets_a_fresh_id():
    region_id, new = edit([BOX, answer("Day", origin="prediction")], ["Night"])
    assert region_id == "c1"
    assert new == [{"id": "c1", "from_name": "scene", "to_name": "image", "type": "choices",
                    "value": {"choices": ["Night"]}}]
    region_id, new = edit([BOX], ["Day"])
    assert region_id not in ("r1", "c1") and len(region_id) == 10
    assert [(r["id"], r["value"]) for r in new] == [(region_id, {"choices": ["Day"]})]
    region_id, new = edit([BOX, answer("Day")], None)                   # cleared: the region goes empty
    assert (region_id, new) == ("c1", [])


def test_an_answer_without_an_id_cannot_be_edited():
    unnamed = {k: v for k, v in answer("Day").items() if k != "id"}
    with pytest.raises(ValueError, match="scene"):
        edit([BOX, unnamed], ["Night"])
