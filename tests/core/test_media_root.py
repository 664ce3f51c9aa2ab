"""With --root or LOCAL_FILES_DOCUMENT_ROOT, no relative reference reads outside the allowed folders (the root, the
document root, the task file's folder): every escape form, against files made in tmp_path."""

from __future__ import annotations

import os
import socket
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from viewer.core.errors import MediaError
from viewer.core.media import MediaResolver


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture(autouse=True)
def no_doc_root(monkeypatch):
    monkeypatch.delenv("LOCAL_FILES_DOCUMENT_ROOT", raising=False)


@pytest.fixture
def layout(tmp_path):
    """tmp/tasks (the task file's folder), tmp/root (--root), and tmp/secret.jpg, outside both."""
    task_dir, root = tmp_path / "tasks", tmp_path / "root"
    task_dir.mkdir()
    root.mkdir()
    secret = touch(tmp_path / "secret.jpg", b"secret")
    return task_dir, root, secret, tmp_path / "cache"


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the network was used")
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


ESCAPES = [
    "../secret.jpg",
    "sub/../../secret.jpg",
    "%2e%2e/secret.jpg",
    "%2E%2E%2Fsecret.jpg",
    "..%2fsecret.jpg",
    "..\\secret.jpg",
    "sub\\..\\..\\secret.jpg",
    "file:../secret.jpg",
    "file:%2e%2e/secret.jpg",
    "/data/local-files/?d=../secret.jpg",
    "/data/local-files/?d=%2e%2e%2fsecret.jpg",
    "/data/local-files/?d=%2E%2E/secret.jpg",
    "/data/local-files/?d=..%5Csecret.jpg",
    "/data/local-files/?d=/../secret.jpg",
    "/data/upload/7/..%2F..%2F..%2F..%2Fsecret.jpg",
    "/data/upload/..%2F..%2F..%2F/secret.jpg",
    "/storage-data/uploaded/?filepath=upload%2F7%2F..%2F..%2F..%2F..%2Fsecret.jpg",
    "s3://bucket/../../secret.jpg",
    "s3://bucket/%2e%2e/%2e%2e/secret.jpg",
    "gs://../secret.jpg",
    "azure-blob://container/..\\..\\secret.jpg",
]


@pytest.mark.parametrize("ref", ESCAPES)
def test_escape_with_root_is_refused(layout, ref):
    task_dir, root, secret, cache = layout
    r = MediaResolver(task_dir, root, cache_dir=cache)
    with pytest.raises(MediaError) as ei:
        r.resolve(ref)
    msg = str(ei.value)
    assert f"resolves outside the root {root}" in msg and "lsview reads only files under it" in msg
    assert f"the task file's folder {task_dir}" in msg
    assert not r.exists(ref)
    assert all(c.resolve() != secret for c in r.candidates(ref))


@pytest.mark.parametrize("ref", ESCAPES)
def test_escape_with_document_root_only_is_refused(layout, monkeypatch, ref):
    task_dir, root, secret, cache = layout
    monkeypatch.setenv("LOCAL_FILES_DOCUMENT_ROOT", str(root))
    r = MediaResolver(task_dir, cache_dir=cache)
    with pytest.raises(MediaError, match="resolves outside the root"):
        r.resolve(ref)
    assert not r.exists(ref)


@pytest.mark.parametrize("ref", ["../secret.jpg", "%2e%2e/secret.jpg", "s3://bucket/../../secret.jpg",
                                 "/data/local-files/?d=../secret.jpg"])
def test_without_a_root_relative_references_resolve_as_before(layout, ref):
    task_dir, _, secret, cache = layout
    (task_dir / "bucket").mkdir()
    assert MediaResolver(task_dir, cache_dir=cache).resolve(ref).resolve() == secret


def test_absolute_paths_smuggled_into_local_files_stay_under_the_roots(layout, monkeypatch):
    task_dir, root, secret, cache = layout
    inside = touch(root / str(secret).lstrip("/"), b"copy under the root")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/local-files/?d=" + str(secret)) == inside      # never the filesystem root
    assert r.resolve("/data/local-files/?d=" + urllib.parse.quote(str(secret), safe="")) == inside
    inside.unlink()
    with pytest.raises(MediaError, match="not found"):
        r.resolve("/data/local-files/?d=" + str(secret))
    monkeypatch.setenv("LOCAL_FILES_DOCUMENT_ROOT", str(root))
    with pytest.raises(MediaError, match="not found"):
        MediaResolver(task_dir, cache_dir=cache).resolve("/data/local-files/?d=" + str(secret))


def test_percent_encoded_absolute_plain_path_is_relative(layout):
    task_dir, root, secret, cache = layout
    smuggled = urllib.parse.quote(str(secret), safe="")          # %2Ftmp%2F...: relative as written
    with pytest.raises(MediaError, match="resolves outside the root"):
        MediaResolver(task_dir, root, cache_dir=cache).resolve(smuggled)
    with pytest.raises(MediaError, match="not found") as ei:   # '~' decoded is a folder name, not the home folder
        MediaResolver(task_dir, root, cache_dir=cache).resolve("%7E/secret.jpg")
    assert str(root / "~" / "secret.jpg") in str(ei.value)


def test_absolute_paths_and_file_urls_are_read_as_named(layout):
    task_dir, root, secret, cache = layout
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve(str(secret)) == secret
    assert r.resolve(secret.as_uri()) == secret


def test_dot_dot_that_stays_inside_is_fine(layout):
    task_dir, root, _, cache = layout
    a = touch(root / "a.jpg")
    (root / "sub").mkdir()
    (root / "x").mkdir()
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("sub/../a.jpg") == root / "sub/../a.jpg"
    assert r.resolve("/data/local-files/?d=x/%2e%2e/a.jpg").resolve() == a
    # from the task file's folder into the root: inside an allowed folder
    assert r.resolve("../root/a.jpg").resolve() == a


def test_symlink_out_of_the_root_is_refused(layout):
    task_dir, root, secret, cache = layout
    (root / "link.jpg").symlink_to(secret)
    (root / "outdir").symlink_to(secret.parent, target_is_directory=True)
    r = MediaResolver(task_dir, root, cache_dir=cache)
    for ref in ("link.jpg", "/data/local-files/?d=link.jpg", "outdir/secret.jpg", "s3://b/outdir/secret.jpg"):
        with pytest.raises(MediaError) as ei:
            r.resolve(ref)
        assert "a symlink out of the root" in str(ei.value) and str(secret) in str(ei.value)
        assert not r.exists(ref)
    assert MediaResolver(task_dir, cache_dir=cache).resolve("../root/link.jpg") == task_dir / "../root/link.jpg"


def test_symlink_inside_the_root_and_a_symlinked_root_are_followed(layout, tmp_path):
    task_dir, root, _, cache = layout
    a = touch(root / "real" / "a.jpg")
    (root / "alias").symlink_to(root / "real", target_is_directory=True)
    linked_root = tmp_path / "linked-root"
    linked_root.symlink_to(root, target_is_directory=True)
    r = MediaResolver(task_dir, linked_root, cache_dir=cache)
    assert r.resolve("alias/a.jpg") == linked_root / "alias" / "a.jpg"
    assert r.resolve("/data/local-files/?d=real/a.jpg").resolve() == a


def test_a_found_file_beats_a_refused_place(layout):
    # the upload layouts give several places; one that leaves the root is skipped, one inside is still read
    task_dir, root, _, cache = layout
    inside = touch(root / "media" / "secret.jpg")
    (root / "media" / "upload" / "7").mkdir(parents=True)
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/upload/7/..%2F..%2Fsecret.jpg") == root / "media" / "upload" / "7" / "../../secret.jpg"
    assert r.resolve("/data/upload/7/..%2F..%2Fsecret.jpg").resolve() == inside


def test_http_local_files_url_reads_disk_only_inside_the_root(layout, no_network):
    task_dir, root, secret, cache = layout
    b = touch(root / "ds" / "b.jpg")
    r = MediaResolver(task_dir, root, cache_dir=cache, offline=True)
    assert r.resolve("http://ls.example:8080/data/local-files/?d=ds/b.jpg") == b
    url = "http://ls.example:8080/data/local-files/?d=..%2F..%2Fsecret.jpg"
    with pytest.raises(MediaError) as ei:
        r.resolve(url)       # not read from disk: left to the server, which offline mode does not ask
    assert "offline" in str(ei.value)
    assert not r.exists(url)
    assert MediaResolver(task_dir, cache_dir=cache, offline=True).resolve(
        "http://ls.example/data/local-files/?d=" + urllib.parse.quote(str(secret))) == secret


@pytest.mark.skipif(os.sep != "/", reason="POSIX paths")
def test_message_names_root_and_cut_reference(layout):
    task_dir, root, _, cache = layout
    ref = "../" * 2000 + "etc/passwd"
    with pytest.raises(MediaError) as ei:
        MediaResolver(task_dir, root, cache_dir=cache).resolve(ref)
    assert str(root) in str(ei.value) and len(str(ei.value)) < 2000


def test_dot_dot_out_of_a_symlinked_task_folder_is_judged_by_where_it_really_leads(tmp_path):
    # tasks -> elsewhere/tasks: "../root/a.jpg" reads as root/a.jpg, but the system goes to elsewhere/root/a.jpg
    root = tmp_path / "root"
    touch(root / "a.jpg", b"inside")
    outside = touch(tmp_path / "elsewhere" / "root" / "a.jpg", b"outside")
    (tmp_path / "elsewhere" / "tasks").mkdir()
    (tmp_path / "tasks").symlink_to(tmp_path / "elsewhere" / "tasks", target_is_directory=True)
    r = MediaResolver(tmp_path / "tasks", root, cache_dir=tmp_path / "cache")
    found = r.resolve("../root/a.jpg")
    assert found == root / "../root/a.jpg" and found.read_bytes() == b"inside"   # the root's own candidate
    (root / "a.jpg").unlink()
    with pytest.raises(MediaError) as ei:
        r.resolve("../root/a.jpg")
    assert "a symlink out of the root" in str(ei.value) and str(outside) in str(ei.value)
