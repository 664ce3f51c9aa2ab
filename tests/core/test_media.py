"""viewer.core.media: every reference form against files made in tmp_path, and a local-only HTTP server."""

from __future__ import annotations

import base64
import io
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PIL import Image

from tests.http_trickle import local_server
from viewer.core.atomic import new_file_mode
from viewer.core.errors import MediaError
from viewer.core.images import image_size, load_image
from viewer.core.media import MediaResolver, default_cache_dir


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def png_bytes(size=(3, 2), mode="RGB", color=(255, 0, 0)) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def dirs(tmp_path):
    task_dir = tmp_path / "tasks"
    root = tmp_path / "root"
    cache = tmp_path / "cache"
    task_dir.mkdir()
    root.mkdir()
    return task_dir, root, cache


@pytest.fixture(autouse=True)
def no_doc_root(monkeypatch):
    monkeypatch.delenv("LOCAL_FILES_DOCUMENT_ROOT", raising=False)


# ---------------------------------------------------------------- plain paths


def test_relative_path_is_relative_to_task_folder(dirs):
    task_dir, root, cache = dirs
    f = touch(task_dir / "img" / "a.jpg")
    r = MediaResolver(task_dir, cache_dir=cache)
    assert r.resolve("img/a.jpg") == f
    assert r.exists("img/a.jpg")


def test_absolute_path_as_is(dirs, tmp_path):
    task_dir, root, cache = dirs
    f = touch(tmp_path / "elsewhere" / "b.png")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve(str(f)) == f
    assert r.candidates(str(f)) == [f]


def test_task_folder_is_searched_before_root(dirs):
    task_dir, root, cache = dirs
    in_root = touch(root / "a.jpg", b"root")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("a.jpg") == in_root
    in_task = touch(task_dir / "a.jpg", b"task")
    assert r.resolve("a.jpg") == in_task
    assert r.candidates("a.jpg") == [task_dir / "a.jpg", root / "a.jpg"]


def test_not_found_lists_every_place(dirs):
    task_dir, root, cache = dirs
    r = MediaResolver(task_dir, root, cache_dir=cache)
    with pytest.raises(MediaError) as ei:
        r.resolve("missing/c.jpg")
    msg = str(ei.value)
    assert "missing/c.jpg" in msg
    assert str(task_dir / "missing" / "c.jpg") in msg
    assert str(root / "missing" / "c.jpg") in msg
    assert not r.exists("missing/c.jpg")


def test_not_found_without_root_suggests_it(dirs):
    task_dir, _, cache = dirs
    with pytest.raises(MediaError, match="--root"):
        MediaResolver(task_dir, cache_dir=cache).resolve("nope.jpg")


def test_plain_path_percent_encoded_falls_back_to_decoded(dirs):
    task_dir, _, cache = dirs
    f = touch(task_dir / "my photo é.jpg")
    r = MediaResolver(task_dir, cache_dir=cache)
    assert r.resolve("my photo é.jpg") == f
    assert r.resolve(urllib.parse.quote("my photo é.jpg")) == f


def test_literal_percent_in_name_wins(dirs):
    task_dir, _, cache = dirs
    literal = touch(task_dir / "100%25.jpg", b"literal")
    touch(task_dir / "100%.jpg", b"decoded")
    assert MediaResolver(task_dir, cache_dir=cache).resolve("100%25.jpg") == literal


def test_bad_reference_types(dirs):
    task_dir, _, cache = dirs
    r = MediaResolver(task_dir, cache_dir=cache)
    with pytest.raises(MediaError, match="empty"):
        r.resolve("   ")
    with pytest.raises(MediaError, match="not a string"):
        r.resolve(["a.jpg"])  # type: ignore[arg-type]
    with pytest.raises(MediaError, match="not found"):
        r.resolve("take:2.jpg")
    with pytest.raises(MediaError, match="unsupported URL scheme 'ftp'"):
        r.resolve("ftp://host/a.jpg")
    assert not r.exists("ftp://host/a.jpg")
    assert r.candidates("ftp://host/a.jpg") == []


# ---------------------------------------------------------------- /data/local-files/


def test_local_files_under_root_and_task_folder(dirs):
    task_dir, root, cache = dirs
    f = touch(root / "photos" / "my cat été.jpg")
    ref = "/data/local-files/?d=" + urllib.parse.quote("photos/my cat été.jpg")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve(ref) == f
    cands = r.candidates(ref)
    assert cands[:2] == [task_dir / "photos" / "my cat été.jpg", root / "photos" / "my cat été.jpg"]
    g = touch(task_dir / "photos" / "my cat été.jpg")
    assert r.resolve(ref) == g


def test_local_files_other_query_params_and_no_slash(dirs):
    task_dir, root, cache = dirs
    f = touch(root / "x" / "1.png")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/local-files/?foo=1&d=x%2F1.png&bar=2") == f
    assert r.resolve("/data/local-files?d=x/1.png") == f
    assert r.resolve("/data/local-files/?d=/x/1.png") == f


def test_local_files_plus_sign(dirs):
    task_dir, root, cache = dirs
    spaced = touch(root / "a b.jpg")
    plus = touch(root / "c+d.jpg")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/local-files/?d=a+b.jpg") == spaced
    assert r.resolve("/data/local-files/?d=c+d.jpg") == plus
    assert r.resolve("/data/local-files/?d=c%2Bd.jpg") == plus


def test_local_files_document_root_env(dirs, tmp_path, monkeypatch):
    task_dir, root, cache = dirs
    docroot = tmp_path / "docroot"
    f = touch(docroot / "set" / "1.jpg")
    monkeypatch.setenv("LOCAL_FILES_DOCUMENT_ROOT", str(docroot))
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/local-files/?d=set/1.jpg") == f
    assert r.candidates("/data/local-files/?d=set/1.jpg") == [
        task_dir / "set" / "1.jpg", root / "set" / "1.jpg", docroot / "set" / "1.jpg"]


def test_local_files_default_document_root_is_filesystem_root(dirs, tmp_path):
    task_dir, root, cache = dirs
    f = touch(tmp_path / "abs" / "z.jpg")
    assert MediaResolver(task_dir, cache_dir=cache).resolve("/data/local-files/?d=" + str(f).lstrip("/")) == f
    # with a root, Label Studio's default document root (the filesystem root) is not searched
    with pytest.raises(MediaError, match="not found"):
        MediaResolver(task_dir, root, cache_dir=cache).resolve("/data/local-files/?d=" + str(f).lstrip("/"))


def test_local_files_not_found_message(dirs):
    task_dir, root, cache = dirs
    r = MediaResolver(task_dir, root, cache_dir=cache)
    with pytest.raises(MediaError) as ei:
        r.resolve("/data/local-files/?d=none/q.jpg")
    assert str(root / "none" / "q.jpg") in str(ei.value)
    assert str(task_dir / "none" / "q.jpg") in str(ei.value)


# ---------------------------------------------------------------- /data/upload/


@pytest.mark.parametrize("layout", ["media/upload/7", "upload/7", "7", ""])
def test_upload_layouts(dirs, layout):
    task_dir, root, cache = dirs
    f = touch(root / layout / "abcd1234-pic.jpg")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/upload/7/abcd1234-pic.jpg") == f


def test_upload_candidate_order(dirs):
    task_dir, root, cache = dirs
    r = MediaResolver(task_dir, root, cache_dir=cache)
    name = "abcd1234-pic.jpg"
    expected = []
    for n in (name, "pic.jpg"):
        for b in (task_dir, root):
            expected += [b / "media" / "upload" / "7" / n, b / "upload" / "7" / n, b / "7" / n, b / n]
    assert r.candidates("/data/upload/7/" + name) == expected


def test_upload_prefix_dropped_only_when_prefixed_missing(dirs):
    task_dir, root, cache = dirs
    bare = touch(root / "media" / "upload" / "7" / "pic.jpg", b"bare")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/upload/7/abcd1234-pic.jpg") == bare
    # the prefixed name wins even from the last layout, over the bare name in the first one
    prefixed = touch(root / "abcd1234-pic.jpg", b"prefixed")
    assert r.resolve("/data/upload/7/abcd1234-pic.jpg") == prefixed


def test_upload_without_hex_prefix_is_not_stripped(dirs):
    task_dir, root, cache = dirs
    touch(root / "pic.jpg")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    with pytest.raises(MediaError):
        r.resolve("/data/upload/7/zzzz1234-pic.jpg")


def test_upload_percent_encoded_non_ascii(dirs):
    task_dir, root, cache = dirs
    f = touch(task_dir / "upload" / "3" / "0a1b2c3d-naïve pic.png")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("/data/upload/3/" + urllib.parse.quote("0a1b2c3d-naïve pic.png")) == f


def test_storage_data_uploaded_form(dirs):
    task_dir, root, cache = dirs
    f = touch(root / "media" / "upload" / "3" / "0a1b2c3d-x.png")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    ref = "/storage-data/uploaded/?filepath=" + urllib.parse.quote("upload/3/0a1b2c3d-x.png", safe="")
    assert r.resolve(ref) == f


def test_upload_not_found_lists_places(dirs):
    task_dir, root, cache = dirs
    r = MediaResolver(task_dir, root, cache_dir=cache)
    with pytest.raises(MediaError) as ei:
        r.resolve("/data/upload/7/abcd1234-pic.jpg")
    msg = str(ei.value)
    assert str(root / "media" / "upload" / "7" / "abcd1234-pic.jpg") in msg
    assert str(task_dir / "pic.jpg") in msg


# ---------------------------------------------------------------- file:// and cloud


def test_file_url_percent_decoded(dirs):
    task_dir, _, cache = dirs
    f = touch(task_dir / "sub dir" / "ü 1.jpg")
    r = MediaResolver(task_dir, cache_dir=cache)
    assert r.resolve(f.as_uri()) == f
    assert r.resolve("file://localhost" + urllib.parse.quote(str(f))) == f
    with pytest.raises(MediaError, match="not found"):
        r.resolve(f.as_uri() + "x")


@pytest.mark.parametrize("scheme", ["s3", "gs", "azure-blob"])
def test_cloud_without_local_copy_explains(dirs, scheme):
    task_dir, root, cache = dirs
    r = MediaResolver(task_dir, root, cache_dir=cache)
    with pytest.raises(MediaError) as ei:
        r.resolve(f"{scheme}://bucket/dir/k.jpg")
    msg = str(ei.value)
    assert "cloud storage" in msg and "--root" in msg
    assert str(root / "bucket" / "dir" / "k.jpg") in msg
    assert str(root / "dir" / "k.jpg") in msg


def test_cloud_local_copy_under_root(dirs):
    task_dir, root, cache = dirs
    r = MediaResolver(task_dir, root, cache_dir=cache)
    by_key = touch(root / "dir" / "k.jpg")
    assert r.resolve("s3://bucket/dir/k.jpg") == by_key
    with_bucket = touch(root / "bucket" / "dir" / "k.jpg")
    assert r.resolve("s3://bucket/dir/k.jpg") == with_bucket
    assert r.exists("gs://bucket/dir/k.jpg")


# ---------------------------------------------------------------- data: URIs


def test_data_uri_base64_png(dirs):
    task_dir, _, cache = dirs
    raw = png_bytes((5, 4))
    ref = "data:image/png;base64," + base64.b64encode(raw).decode()
    r = MediaResolver(task_dir, cache_dir=cache)
    assert r.exists(ref)
    assert r.candidates(ref) == []
    p = r.resolve(ref)
    assert p.suffix == ".png" and p.read_bytes() == raw
    assert p.is_relative_to(cache)
    assert p.stat().st_mode & 0o777 == new_file_mode()   # an ordinary file, not mkstemp's owner-only one
    mtime = p.stat().st_mtime_ns
    assert r.resolve(ref) == p and p.stat().st_mtime_ns == mtime
    assert image_size(p) == (5, 4)


def test_data_uri_percent_encoded_text(dirs):
    task_dir, _, cache = dirs
    ref = "data:text/plain;charset=utf-8," + urllib.parse.quote("héllo wörld\r\n")
    r = MediaResolver(task_dir, cache_dir=cache)
    assert r.resolve(ref).suffix == ".txt"
    assert r.read_text(ref) == "héllo wörld\r\n"
    assert MediaResolver(task_dir, cache_dir=cache).read_text("data:,a%20b") == "a b"


def test_data_uri_tolerant_base64_and_bad_base64(dirs):
    task_dir, _, cache = dirs
    r = MediaResolver(task_dir, cache_dir=cache)
    ref = "data:application/octet-stream;base64,aGVsbG8"  # padding lost
    assert r.resolve(ref).read_bytes() == b"hello"
    with pytest.raises(MediaError, match="base64"):
        r.resolve("data:image/png;base64,@@@@")
    assert not r.exists("data:image/png;base64,@@@@")
    with pytest.raises(MediaError, match="','"):
        r.resolve("data:image/png;base64")


def test_data_uri_unwritable_cache(dirs, tmp_path):
    task_dir, _, _ = dirs
    blocker = touch(tmp_path / "blocker")
    r = MediaResolver(task_dir, cache_dir=blocker / "cache")
    with pytest.raises(MediaError, match="cache folder"):
        r.resolve("data:,x")


# ---------------------------------------------------------------- read_text


def test_read_text_keeps_crlf_and_drops_bom(dirs):
    task_dir, _, cache = dirs
    touch(task_dir / "t.txt", "\ufeffa\r\nb".encode("utf-8"))
    touch(task_dir / "l1.txt", "é".encode("latin-1"))
    r = MediaResolver(task_dir, cache_dir=cache)
    assert r.read_text("t.txt") == "a\r\nb"
    assert r.read_text("l1.txt", encoding="latin-1") == "é"
    with pytest.raises(MediaError, match="not utf-8 text"):
        r.read_text("l1.txt")


# ---------------------------------------------------------------- http(s)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        srv = self.server
        srv.hits.append(self.path)
        if self.path.startswith("/img.png") or self.path.startswith("/noext"):
            body = srv.png
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/slow.png":
            srv.release.wait(5)
            self.send_response(200)
            self.send_header("Content-Length", "1")
            self.end_headers()
            self.wfile.write(b"x")
        elif self.path == "/big-declared.bin":
            self.send_response(200)
            self.send_header("Content-Length", str(10_000))
            self.end_headers()
            self.wfile.write(b"\0" * 10_000)
        elif self.path == "/big-stream.bin":
            # no Content-Length: the limit must trip while reading
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"\0" * 1000)
        else:
            self.send_error(404, "Not Found")


@pytest.fixture
def server():
    release = threading.Event()
    with local_server(_Handler, release, hits=[], png=png_bytes((7, 3)), release=release) as srv:
        yield srv


def cache_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []


def test_http_fetch_and_cache_reuse(dirs, server, monkeypatch):
    task_dir, _, cache = dirs
    url = server.base + "/img.png?v=1"
    r = MediaResolver(task_dir, cache_dir=cache)
    assert not r.exists(url)
    assert r.candidates(url) == []
    p = r.resolve(url)
    assert p.suffix == ".png" and p.read_bytes() == server.png
    assert p.is_relative_to(cache / "http")
    assert server.hits == ["/img.png?v=1"]
    assert r.exists(url)
    server.shutdown()

    def no_network(*a, **k):
        raise AssertionError("network used for a cached URL")
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    assert MediaResolver(task_dir, cache_dir=cache).resolve(url) == p
    assert server.hits == ["/img.png?v=1"]
    assert image_size(p) == (7, 3)


def test_http_without_extension_takes_one_from_content_type(dirs, server, monkeypatch):
    task_dir, _, cache = dirs
    url = server.base + "/noext"
    p = MediaResolver(task_dir, cache_dir=cache).resolve(url)
    assert p.suffix == ".png"
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: pytest.fail("network"))
    r = MediaResolver(task_dir, cache_dir=cache, offline=True)
    assert r.exists(url)
    assert r.resolve(url) == p


def test_http_404(dirs, server):
    task_dir, _, cache = dirs
    with pytest.raises(MediaError, match="HTTP 404"):
        MediaResolver(task_dir, cache_dir=cache).resolve(server.base + "/missing.jpg")
    assert cache_files(cache) == []


def test_http_timeout(dirs, server):
    task_dir, _, cache = dirs
    r = MediaResolver(task_dir, cache_dir=cache, timeout=0.3)
    t0 = time.monotonic()
    with pytest.raises(MediaError, match="timed out"):
        r.resolve(server.base + "/slow.png")
    assert time.monotonic() - t0 < 3
    assert cache_files(cache) == []


@pytest.mark.parametrize("path", ["/big-declared.bin", "/big-stream.bin"])
def test_http_size_limit_leaves_no_file(dirs, server, path):
    task_dir, _, cache = dirs
    r = MediaResolver(task_dir, cache_dir=cache, max_bytes=4096)
    with pytest.raises(MediaError, match="limit"):
        r.resolve(server.base + path)
    assert cache_files(cache) == []
    assert not r.exists(server.base + path)


def test_http_connection_refused(dirs):
    task_dir, _, cache = dirs
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(MediaError, match="failed"):
        MediaResolver(task_dir, cache_dir=cache, timeout=2).resolve(f"http://127.0.0.1:{port}/a.png")


@pytest.fixture
def no_sockets(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("offline resolver touched the network")
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_offline_without_cache(dirs, no_sockets):
    task_dir, _, cache = dirs
    r = MediaResolver(task_dir, cache_dir=cache, offline=True)
    with pytest.raises(MediaError, match="offline"):
        r.resolve("https://example.invalid/a.jpg")
    assert not r.exists("https://example.invalid/a.jpg")


def test_offline_uses_cache(dirs, server, monkeypatch):
    task_dir, _, cache = dirs
    url = server.base + "/img.png"
    p = MediaResolver(task_dir, cache_dir=cache).resolve(url)

    def refuse(*a, **k):
        raise AssertionError("offline resolver touched the network")
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    r = MediaResolver(task_dir, cache_dir=cache, offline=True)
    assert r.exists(url)
    assert r.resolve(url) == p


def test_label_studio_host_url_found_on_disk_first(dirs, no_sockets):
    task_dir, root, cache = dirs
    f = touch(root / "media" / "upload" / "2" / "deadbeef-a.jpg")
    g = touch(root / "ds" / "b.jpg")
    r = MediaResolver(task_dir, root, cache_dir=cache)
    assert r.resolve("http://ls.example:8080/data/upload/2/deadbeef-a.jpg") == f
    assert r.resolve("http://ls.example:8080/data/local-files/?d=ds/b.jpg") == g
    assert r.candidates("http://ls.example:8080/data/local-files/?d=ds/b.jpg")[1] == root / "ds" / "b.jpg"
    offline = MediaResolver(task_dir, root, cache_dir=cache, offline=True)
    with pytest.raises(MediaError) as ei:
        offline.resolve("http://ls.example:8080/data/local-files/?d=ds/zzz.jpg")
    assert "offline" in str(ei.value) and str(root / "ds" / "zzz.jpg") in str(ei.value)


def test_concurrent_downloads_of_one_url(dirs, server):
    task_dir, _, cache = dirs
    r = MediaResolver(task_dir, cache_dir=cache)
    results, errors = [], []

    def work():
        try:
            results.append(r.resolve(server.base + "/img.png"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    assert [p.name for p in cache_files(cache)] == [results[0].name]


# ---------------------------------------------------------------- cache folder


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "c1"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "c1"
    assert MediaResolver().cache_dir == tmp_path / "c1"
    monkeypatch.delenv("LSVIEW_CACHE_DIR")
    assert default_cache_dir() == tmp_path / "xdg" / "lsview" / "media"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "lsview" / "media"


# ---------------------------------------------------------------- images


def jpeg_with_orientation(path: Path, orientation: int | None, size=(40, 20)) -> Path:
    im = Image.new("RGB", size, (10, 200, 30))
    im.paste((250, 0, 0), (0, 0, 10, 5))  # marks the top-left corner
    kwargs = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=95, **kwargs)
    return path


@pytest.mark.parametrize("orientation,expected", [
    (None, (40, 20)), (1, (40, 20)), (3, (40, 20)), (5, (20, 40)), (6, (20, 40)), (8, (20, 40)),
])
def test_image_size_applies_exif_orientation(tmp_path, orientation, expected):
    p = jpeg_with_orientation(tmp_path / f"o{orientation}.jpg", orientation)
    assert image_size(p) == expected
    assert image_size(str(p)) == expected
    assert load_image(p).size == expected


def test_load_image_orientation_6_puts_top_left_at_top_right(tmp_path):
    p = jpeg_with_orientation(tmp_path / "o6.jpg", 6)
    im = load_image(p)
    assert im.mode == "RGB" and im.size == (20, 40)
    r, g, _ = im.getpixel((im.width - 2, 2))
    assert r > 200 and g < 60  # rotated 90 degrees clockwise, like the browser shows it
    im8 = load_image(jpeg_with_orientation(tmp_path / "o8.jpg", 8))
    r, g, _ = im8.getpixel((2, im8.height - 2))
    assert r > 200 and g < 60


def test_image_size_does_not_decode_pixels(tmp_path, monkeypatch):
    p = jpeg_with_orientation(tmp_path / "lazy.jpg", 6)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("pixels decoded"))
    from PIL import ImageFile
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("pixels decoded"))
    assert image_size(p) == (20, 40)


def test_image_size_cache_follows_file_changes(tmp_path):
    p = tmp_path / "c.png"
    p.write_bytes(png_bytes((3, 2)))
    assert image_size(p) == (3, 2)
    p.write_bytes(png_bytes((30, 20)))
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))
    assert image_size(p) == (30, 20)


def test_image_size_errors(tmp_path):
    bad = touch(tmp_path / "notes.jpg", b"this is not an image")
    with pytest.raises(MediaError) as ei:
        image_size(bad)
    assert str(bad) in str(ei.value)
    trunc = tmp_path / "trunc.jpg"
    trunc.write_bytes(jpeg_with_orientation(tmp_path / "full.jpg", 6).read_bytes()[:12])
    with pytest.raises(MediaError, match="trunc.jpg"):
        image_size(trunc)
    with pytest.raises(MediaError, match="cannot read"):
        image_size(tmp_path / "absent.png")


def test_load_image_modes_and_errors(tmp_path):
    rgba = touch(tmp_path / "a.png", png_bytes((4, 4), "RGBA", (1, 2, 3, 4)))
    assert load_image(rgba).mode == "RGBA"
    gray = touch(tmp_path / "g.png", png_bytes((4, 4), "L", 77))
    assert load_image(gray).mode == "RGB"
    buf = io.BytesIO()
    Image.new("I;16", (4, 4), 0x8000).save(buf, "PNG")
    im16 = load_image(touch(tmp_path / "g16.png", buf.getvalue()))
    assert im16.mode == "RGB" and im16.getpixel((0, 0)) == (128, 128, 128)
    full = jpeg_with_orientation(tmp_path / "full.jpg", None, size=(200, 200)).read_bytes()
    trunc = touch(tmp_path / "half.jpg", full[: len(full) // 2])
    assert image_size(trunc) == (200, 200)  # header intact
    with pytest.raises(MediaError, match="half.jpg"):
        load_image(trunc)
