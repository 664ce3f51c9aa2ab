"""Numbers read from text (XML attributes and elements): finite floats or nothing."""

import pytest

from viewer.core.numbers import finite_text


@pytest.mark.parametrize("text, number", [("3", 3.0), (" 2.5 ", 2.5), ("-1e3", -1000.0), (None, None), ("", None),
                                          ("abc", None), ("nan", None), ("inf", None), ("-Infinity", None),
                                          ("1e400", None)])
def test_finite_text(text, number):
    assert finite_text(text) == number
