"""Outputs written whole or not at all, with the permissions an ordinary new file gets (not the owner-only ones of
a temporary file), and keeping those of a file they replace."""

from __future__ import annotations

import pytest

from viewer.core import atomic
from viewer.core.atomic import replacing, write_text_atomically


def test_a_new_output_gets_the_umask_permissions_and_a_replaced_one_keeps_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_UMASK", 0o027)      # the umask lsview read when it started
    target = tmp_path / "out" / "report.json"
    write_text_atomically(target, lambda stream: stream.write("{}"))
    assert target.read_text() == "{}" and target.stat().st_mode & 0o777 == 0o640
    target.chmod(0o604)
    write_text_atomically(target, lambda stream: stream.write("[]"))
    assert target.read_text() == "[]" and target.stat().st_mode & 0o777 == 0o604


def test_the_umask_is_read_as_the_process_has_it():
    assert atomic._UMASK == atomic._read_umask()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "export.json"
    target.write_text("old")

    def broken(stream):
        stream.write("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_text_atomically(target, broken)
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]
    with pytest.raises(KeyError):
        with replacing(tmp_path / "new.png") as temporary:
            temporary.write_bytes(b"png")
            raise KeyError("stop")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]
