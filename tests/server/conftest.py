"""The real Label Studio server the server tests talk to (no mock stands in for it).

Started by scripts/label_studio_server.sh, which prints the LSVIEW_TEST_LS_* variables read here. Without them
the tests skip and say how to start one; where servers are required (.ci/run sets LSVIEW_REQUIRE_SERVERS, and CI
machines set CI) a missing server fails them instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

HOW = 'start one with: eval "$(scripts/label_studio_server.sh start)"   (stop: scripts/label_studio_server.sh stop)'


@dataclass(frozen=True)
class LabelStudio:
    url: str
    token: str  # the legacy API token ("Authorization: Token ...")
    pat: str    # a Personal Access Token (a JWT refresh token)
    media: Path  # LOCAL_FILES_DOCUMENT_ROOT: a local-files storage must name a subfolder of it


@pytest.fixture(scope="session")
def label_studio() -> LabelStudio:
    url = os.environ.get("LSVIEW_TEST_LS_URL")
    if not url:
        if os.environ.get("LSVIEW_REQUIRE_SERVERS") or os.environ.get("CI"):
            pytest.fail(f"CI runs the server tests against a real Label Studio, and none is set: {HOW}")
        pytest.skip(f"no Label Studio server for the server tests: {HOW}")
    return LabelStudio(url=url.rstrip("/"), token=os.environ["LSVIEW_TEST_LS_TOKEN"],
                       pat=os.environ.get("LSVIEW_TEST_LS_PAT", ""), media=Path(os.environ["LSVIEW_TEST_LS_MEDIA"]))
