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


def dead_pid() -> int:
    """The pid of a process that has ended (and was reaped)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_the_temporary_names_its_writer_and_stale_ones_go_on_the_next_write(tmp_path, monkeypatch):
    import os
    import time

    with replacing(tmp_path / "out.json") as temporary:
        assert temporary.name.startswith(f".out.json.{os.getpid()}.") and temporary.name.endswith(".part")
        temporary.write_text("new")
    stale = tmp_path / f".out.json.{dead_pid()}.abc_1234.part"            # a killed writer's
    live = tmp_path / f".out.json.{os.getppid()}.abc_1234.part"           # a running writer's
    old = tmp_path / f".out.json.{os.getppid()}.zzz_9999.part"            # pid reused: untouched for too long
    legacy = tmp_path / ".out.json.abcd1234.part"                         # before pids were in the name
    others = [tmp_path / f".other.json.{dead_pid()}.abc_1234.part", tmp_path / ".out.json.notours.part",
              tmp_path / f".out.json.{dead_pid()}.abc.part", tmp_path / "out.json.part"]
    for path in [stale, live, old, legacy, *others]:
        path.write_text("half")
    long_ago = time.time() - atomic.STALE_AGE - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(legacy, (long_ago, long_ago))
    monkeypatch.setattr(atomic, "_temporaries_by_folder", {})  # a new process: the folder not yet looked at
    write_text_atomically(tmp_path / "out.json", lambda stream: stream.write("again"))
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["out.json", live.name, *(p.name for p in others)])
    write_text_atomically(tmp_path / "out.json", lambda stream: stream.write("again"))  # the folder listed once
    assert sorted(p.name for p in tmp_path.iterdir()) == left


def test_sigterm_inside_terminating_signals_removes_the_temporary(tmp_path):
    import os
    import signal
    import time

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as stopped:
        with atomic.terminating_signals():
            with replacing(tmp_path / "out.json") as temporary:
                temporary.write_text("half")
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(10)  # the handler's SystemExit ends the wait at once
    assert stopped.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) == before


def test_only_regular_files_are_replaced(tmp_path):
    import os

    from viewer.core.errors import OutputError

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="is not a regular file"):
        write_text_atomically(fifo, lambda stream: stream.write("x"))
    with pytest.raises(OutputError, match="is a folder"):
        write_text_atomically(tmp_path, lambda stream: stream.write("x"))
    device = tmp_path / "null"
    device.symlink_to("/dev/null")
    with pytest.raises(OutputError, match="is not a regular file"):
        write_text_atomically(device, lambda stream: stream.write("x"))
    assert fifo.exists() and device.is_symlink() and os.readlink(device) == "/dev/null"
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="does not exist"):
        write_text_atomically(dangling, lambda stream: stream.write("x"))


def test_a_link_to_a_file_is_written_through_and_stays_a_link(tmp_path):
    import os

    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_text_atomically(link, lambda stream: stream.write("new"))
    assert link.is_symlink() and os.readlink(link) == str(real) and real.read_text(encoding="utf-8") == "new"


def test_a_failed_write_is_an_output_error_and_leaves_nothing(tmp_path, monkeypatch):
    import errno
    import os

    from viewer.core.errors import OutputError

    target = tmp_path / "out.png"
    target.write_bytes(b"previous")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OutputError, match="out.png: cannot write it: No space left on device"):
        atomic.write_bytes_atomically(target, b"\x89PNG...")
    assert target.read_bytes() == b"previous" and sorted(p.name for p in tmp_path.iterdir()) == ["out.png"]


def test_a_forked_child_signalled_with_the_parents_handler_exits_at_once():
    """A pool worker is forked with the command line's SIGTERM handler; signalled before it sets its own, it
    must end there and then (a SystemExit swallowed in a finalizer left one alive, and the pool joined it for
    ever)."""
    import os
    import signal
    import sys
    import time

    if not sys.platform.startswith("linux"):
        pytest.skip("fork")
    with atomic.terminating_signals():
        child = os.fork()
        if child == 0:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(10)
            os._exit(0)
        _, status = os.waitpid(child, 0)
        assert signal.getsignal(signal.SIGTERM) is atomic._exit_on_signal  # the parent's is untouched
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signal.SIGTERM
