"""The README's verdict table names every diagnostic code with the severity validate gives it."""

import re
from pathlib import Path

from viewer.core.diagnostics.model import VERDICTS

README = Path(__file__).parents[2] / "README.md"


def test_every_code_is_in_the_readme_table_with_its_severity():
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \|", README.read_text(encoding="utf-8"),
                           re.MULTILINE))
    assert rows == {code: severity for code, (severity, _) in VERDICTS.items()}
