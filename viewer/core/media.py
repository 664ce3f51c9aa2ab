"""Data references (paths, Label Studio URLs, file:, data:, http) -> local files.

Core layer, stdlib only. Every failure is a MediaError that names the reference. With a root, relative references
stay inside the allowed folders; downloads have a deadline and can be cancelled from another thread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
import os
import posixpath
import re
import urllib.parse
from pathlib import Path

from viewer.core.atomic import replacing
from viewer.core.download import default_deadline, fetch
from viewer.core.errors import MediaError

__all__ = ["MediaResolver", "default_cache_dir", "server_media_url"]

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")  # 2+ chars, so "C:\x.jpg" stays a path
_UPLOAD_PREFIX_RE = re.compile(r"^[0-9a-fA-F]{8}-(.+)$")
_EXT_RE = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
_CLOUD_SCHEMES = ("s3", "gs", "azure-blob")

# Explicit entries so the common media types get the extension Qt's readers expect, whatever
# the platform's mimetypes database says (it maps image/jpeg to ".jpe" on some systems).
_MIME_EXT = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/gif": ".gif",
    "image/webp": ".webp", "image/bmp": ".bmp", "image/tiff": ".tif", "image/svg+xml": ".svg",
    "image/avif": ".avif", "image/x-icon": ".ico", "text/plain": ".txt", "text/html": ".html",
    "text/csv": ".csv", "application/json": ".json", "application/xml": ".xml", "text/xml": ".xml",
    "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/mpeg": ".mp3", "audio/ogg": ".ogg",
    "audio/flac": ".flac", "video/mp4": ".mp4", "video/webm": ".webm", "application/pdf": ".pdf",
}


def default_cache_dir() -> Path:
    """$LSVIEW_CACHE_DIR, else $XDG_CACHE_HOME/lsview/media, else ~/.cache/lsview/media."""
    explicit = os.environ.get("LSVIEW_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "lsview" / "media"
    return Path.home() / ".cache" / "lsview" / "media"


def server_media_url(server_url: str, ref: str) -> str | None:
    """The URL a server-relative reference (/data/upload/..., /data/local-files/?d=..., /tasks/...) has on the
    server a folder was pulled from; None for anything else. `lsview pull` caches media under this URL."""
    ref = ref.strip()
    if not ref.startswith("/") or ref.startswith("//"):
        return None
    return server_url.rstrip("/") + ref


def _abs(p: Path | str) -> Path:
    # abspath, not resolve(): keep symlinked data folders looking the way the user named them
    return Path(os.path.abspath(os.path.expanduser(os.fspath(p))))


def _ext_for_mime(mime: str) -> str:
    mime = mime.split(";", 1)[0].strip().lower()
    if mime in _MIME_EXT:
        return _MIME_EXT[mime]
    guessed = mimetypes.guess_extension(mime) if mime else None
    return guessed if guessed and _EXT_RE.match(guessed) else ""


def _short(ref: str, limit: int = 120) -> str:
    # data: URIs can be megabytes long; messages only need to recognise them
    return ref if len(ref) <= limit else ref[: limit - 3] + "..."


def _relative_variants(raw: str) -> list[str]:
    """The reference as written, then percent-decoded if that differs (a literal '%' in a name wins)."""
    out = [raw]
    decoded = urllib.parse.unquote(raw)
    if decoded != raw:
        out.append(decoded)
    return out


def _lexical(path: Path | str) -> str:
    """The path with '..' and '.' folded away, without the filesystem; backslashes count as separators too,
    since a reference written on Windows climbs with them."""
    text = os.fspath(path)
    if os.sep == "/":
        text = text.replace("\\", "/")
    return os.path.normcase(os.path.normpath(text))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Folders:
    """The folders a root confines relative references to, as named, folded and real (symlinks followed)."""

    def __init__(self, folders: list[Path], key: object):
        self.key = key
        self.paths = list(dict.fromkeys(folders))
        self._lexical = [_lexical(f) for f in self.paths]
        self._named = [os.fspath(f).rstrip(os.sep) + os.sep for f in self.paths]
        self._real: list[str] | None = None

    def hold(self, place: Path) -> bool:
        """Whether place, '..' folded, lies in one of the folders: nothing is read to know it."""
        text = os.fspath(place)
        if ".." not in text and "\\" not in text and any(text.startswith(n) for n in self._named):
            return True  # the common case, a plain name joined to a folder: no folding needed
        text = _lexical(text)
        return any(_inside(text, f) for f in self._lexical)

    def real_outside(self, place: Path) -> str | None:
        """None when the file at place is really in a folder, else its real path (a symlink leads out)."""
        text = os.fspath(place)
        for named in self._named:
            if text.startswith(named):
                parts = text[len(named):].split(os.sep)
                # Below a folder as named (itself maybe a symlink) with no '..' and no symlink, the place is the
                # file: two or three lstat calls instead of realpath's walk from /.
                if ".." not in parts and not any(os.path.islink(named + os.sep.join(parts[:n]))
                                                 for n in range(1, len(parts) + 1)):
                    return None
        if self._real is None:
            self._real = [os.path.normcase(os.path.realpath(f)) for f in self.paths]
        real = os.path.realpath(place)
        return None if any(_inside(os.path.normcase(real), f) for f in self._real) else real


class MediaResolver:
    """Turns task data references into local file paths.

    Local search order for a relative reference: the task file's folder (base_dir) first, then root. With a root
    (root or $LOCAL_FILES_DOCUMENT_ROOT), a relative reference is read only inside those folders, symlinks
    followed only while they stay inside; absolute paths and file: URLs are read as named.
    http(s) downloads and data: URIs are kept in cache_dir: http/<aa>/<sha256(url)><ext> and
    data/<aa>/<sha256(bytes)><ext>, where <aa> are the hash's first two hex digits.
    With server_url (a folder made by `lsview pull`), a server-relative reference not found on disk is read from
    the copy the pull cached under its URL on that server (server_media_url); nothing is fetched for it.
    """

    def __init__(self, base_dir: Path | str | None = None, root: Path | str | None = None, *,
                 offline: bool = False, cache_dir: Path | str | None = None, timeout: float = 15.0,
                 max_bytes: int = 256 * 2**20, deadline: float | None = None, server_url: str | None = None):
        self.server_url = server_url
        self.base_dir = _abs(base_dir) if base_dir is not None else None
        self.root = _abs(root) if root is not None else None
        self.offline = offline
        self.cache_dir = _abs(cache_dir) if cache_dir is not None else _abs(default_cache_dir())
        self.timeout = timeout                      # seconds one network read may wait
        self.max_bytes = max_bytes
        self.deadline = deadline if deadline is not None else default_deadline()   # seconds for a whole download
        self._folders: _Folders | None = None

    # ------------------------------------------------------------------ public API

    def resolve(self, ref: str) -> Path:
        kind, payload = self._classify(ref)
        if kind == "data":
            return self._materialise_data(ref)
        if kind == "unsupported":
            raise MediaError(f"media reference {_short(ref)!r}: unsupported URL scheme {payload!r} "
                             "(lsview reads paths, /data/upload/, /data/local-files/, file:, data: and http(s))")
        found, looked, refused = self._search(kind, payload)
        if found is not None:
            return found
        if kind == "http":
            # a local-files/upload path that would leave the root is not read from disk; the URL's server decides
            try:
                return self._fetch(ref)
            except MediaError as exc:
                if not looked:
                    raise
                places = ", ".join(str(c) for c in looked)
                raise type(exc)(f"{exc} (no local copy either; looked at: {places})") from exc
        pulled = self._pulled_copy(ref)
        if pulled is not None:
            return pulled
        if refused:
            raise MediaError(self._outside_message(ref, refused, looked))
        raise MediaError(self._not_found_message(ref, kind, looked))

    def candidates(self, ref: str) -> list[Path]:
        """Local places looked at for ref, in order; [] for data: and plain http(s) URLs. With a root, places
        outside the allowed folders are left out (never looked at)."""
        try:
            kind, payload = self._classify(ref)
        except MediaError:
            return []
        if kind in ("data", "unsupported"):
            return []
        return self._places(kind, payload)[0]

    def exists(self, ref: str) -> bool:
        """True when resolve() would succeed without touching the network."""
        try:
            kind, payload = self._classify(ref)
            if kind == "data":
                _parse_data_uri(ref)
                return True
            if kind == "unsupported":
                return False
            if self._search(kind, payload)[0] is not None:
                return True
            if kind == "http":
                return self._cached_http(ref) is not None
            return self._pulled_copy(ref) is not None
        except MediaError:
            return False

    def read_text(self, ref: str, encoding: str = "utf-8") -> str:
        path = self.resolve(ref)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise MediaError(f"media reference {_short(ref)!r}: cannot read {path}: "
                             f"{exc.strerror or exc}") from exc
        # Bytes are decoded as they are, no newline translation, because text offsets count
        # '\r' as a character. A UTF-8 BOM is dropped the way the browser's fetch().text() does.
        codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        try:
            return raw.decode(codec)
        except (UnicodeDecodeError, LookupError) as exc:
            raise MediaError(f"media reference {_short(ref)!r}: {path} is not {encoding} text: {exc}") from exc

    # ------------------------------------------------------------------ classification

    def _classify(self, ref: str) -> tuple[str, object]:
        """(kind, payload): kind is path, file, local-files, upload, cloud, http, data or unsupported."""
        if not isinstance(ref, str):
            raise MediaError(f"media reference {ref!r} is a {type(ref).__name__}, not a string")
        ref = ref.strip()
        if not ref:
            raise MediaError("empty media reference")
        m = _SCHEME_RE.match(ref)
        # a scheme-looking prefix without "//" (say "take:2.jpg") may just be a file name
        scheme = m.group(1).lower() if m else ""
        if scheme == "data":
            return "data", None
        if scheme in ("http", "https"):
            parts = urllib.parse.urlsplit(ref)
            ls = self._ls_path(parts.path, parts.query)
            # A Label Studio host URL for a local-files/upload path is tried on disk first: the
            # server wants a login anyway, and the file is often right here.
            return "http", ls
        if scheme == "file":
            return "file", ref
        if scheme in _CLOUD_SCHEMES:
            parts = urllib.parse.urlsplit(ref)
            return "cloud", (parts.netloc, parts.path.lstrip("/"))
        if scheme and "://" in ref:
            return "unsupported", scheme
        ls = self._ls_path(*ref.partition("?")[::2])
        if ls is not None:
            return ls
        return "path", ref

    @staticmethod
    def _ls_path(path: str, query: str) -> tuple[str, object] | None:
        """Recognise Label Studio's server paths; None when path/query is an ordinary path."""
        stripped = path.rstrip("/")
        if stripped == "/data/local-files":
            # parse_qs decodes '+' as a space like Django's QueryDict does; unquote keeps it, so
            # both are tried for names with a literal '+'.
            values = urllib.parse.parse_qs(query, keep_blank_values=True).get("d")
            raw = re.search(r"(?:^|&)d=([^&]*)", query)
            if not values or not values[0]:
                return None
            variants = [values[0]]
            if raw and urllib.parse.unquote(raw.group(1)) not in variants:
                variants.append(urllib.parse.unquote(raw.group(1)))
            return "local-files", variants
        if stripped == "/storage-data/uploaded":
            # newer Label Studio serves uploads as /storage-data/uploaded/?filepath=upload/<project>/<file>
            fp = urllib.parse.parse_qs(query).get("filepath", [""])[0]
            if fp.startswith("upload/"):
                path = "/data/" + urllib.parse.quote(fp)
        if path.startswith("/data/upload/"):
            project, sep, name = urllib.parse.unquote(path[len("/data/upload/"):]).partition("/")
            if sep and project and name:
                return "upload", (project, name)
        return None

    # ------------------------------------------------------------------ local search

    def _bases(self) -> list[Path]:
        bases = [b for b in (self.base_dir, self.root) if b is not None]
        if not bases:
            bases = [_abs(os.getcwd())]
        return list(dict.fromkeys(bases))

    def _confinement(self) -> _Folders | None:
        """With --root or $LOCAL_FILES_DOCUMENT_ROOT: the folders a relative reference must stay in (the task
        file's folder, the root, the document root); None without either, when references are followed anywhere."""
        docroot = os.environ.get("LOCAL_FILES_DOCUMENT_ROOT") or None
        if self.root is None and docroot is None:
            return None
        key = (docroot, os.getcwd() if self.base_dir is None and self.root is None else None)
        if self._folders is None or self._folders.key != key:
            self._folders = _Folders(self._bases() + ([_abs(docroot)] if docroot else []), key)
        return self._folders

    def _local_candidates(self, kind: str, payload: object) -> list[tuple[Path, bool]]:
        """(place, named): named places are absolute paths the reference itself spells out, read wherever they
        are; the others are a reference joined to a folder, which a root confines."""
        out: list[tuple[Path, bool]] = []
        if kind == "http":
            if payload is None:
                return []
            kind, payload = payload  # type: ignore[misc]
        if kind == "path":
            ref = str(payload).strip()
            named = Path(os.path.expanduser(ref)).is_absolute()
            for variant in _relative_variants(ref):
                # only the reference as written may name an absolute path: '%2Fetc' or '%7E' decoded is relative
                p = Path(os.path.expanduser(variant) if named else variant)
                if named and p.is_absolute():
                    out.append((p, True))
                else:
                    out.extend((b / p, False) for b in self._bases())
        elif kind == "file":
            p = _file_url_to_path(str(payload).strip())
            out.extend([(p, True)] if p.is_absolute() else [(b / p, False) for b in self._bases()])
        elif kind == "local-files":
            docroot = os.environ.get("LOCAL_FILES_DOCUMENT_ROOT")
            roots = self._bases()
            if docroot or self.root is None:
                # Label Studio's own default document root is the filesystem root; with --root it is not searched
                roots.append(_abs(docroot or os.sep))
            for variant in payload:  # type: ignore[union-attr]
                rel = variant.lstrip("/\\")
                out.extend((r / rel, False) for r in roots)
        elif kind == "upload":
            project, name = payload  # type: ignore[misc]
            names = [name]
            m = _UPLOAD_PREFIX_RE.match(posixpath.basename(name))
            if m:
                names.append(posixpath.join(posixpath.dirname(name), m.group(1)))
            # the prefixed name is what Label Studio stored, so it beats a bare name in any place
            for n in names:
                for b in self._bases():
                    out += [(b / "media" / "upload" / project / n, False), (b / "upload" / project / n, False),
                            (b / project / n, False), (b / posixpath.basename(n), False)]
        elif kind == "cloud":
            bucket, key = payload  # type: ignore[misc]
            if key:
                for variant in _relative_variants(key):
                    for b in self._bases():
                        out += [(b / bucket / variant, False), (b / variant, False)]
        return list(dict.fromkeys(out))

    def _places(self, kind: str, payload: object) -> tuple[list[Path], set[Path], list[Path]]:
        """(places to look at, those of them that a root confines, places refused as outside the folders)."""
        folders = self._confinement()
        looked: list[Path] = []
        confined: set[Path] = set()
        refused: list[Path] = []
        for place, named in self._local_candidates(kind, payload):
            if named or folders is None:
                looked.append(place)
            elif folders.hold(place):
                looked.append(place)
                confined.add(place)
            else:
                refused.append(place)
        return list(dict.fromkeys(looked)), confined, list(dict.fromkeys(refused))

    def _search(self, kind: str, payload: object) -> tuple[Path | None, list[Path], list[str]]:
        """(the first file found, the places looked at, why places were not read). Symlinks are followed only
        while they stay inside the allowed folders."""
        looked, confined, refused = self._places(kind, payload)
        why = [str(p) for p in refused]
        for place in looked:
            try:
                if not place.is_file():
                    continue
            except OSError:  # e.g. a name too long for the filesystem
                continue
            if place in confined:
                real = self._folders.real_outside(place)  # type: ignore[union-attr]
                if real is not None:
                    why.append(f"{place} -> {real}, a symlink out of the root")
                    continue
            return place, looked, why
        return None, looked, why

    def _outside_message(self, ref: str, refused: list[str], looked: list[Path]) -> str:
        folders = self._folders.paths if self._folders is not None else []
        roots = [f for f in folders if f != self.base_dir] or folders
        where = f"the root {roots[0]}" if len(roots) == 1 else "the roots " + ", ".join(str(r) for r in roots)
        beside = (f" and the task file's folder {self.base_dir}"
                  if self.base_dir is not None and self.base_dir not in roots else "")
        shown = "; ".join(_short(p, 200) for p in refused[:3]) + (
            f"; and {len(refused) - 3} more" if len(refused) > 3 else "")
        missing = f"; not found at: {', '.join(_short(str(p), 200) for p in looked)}" if looked else ""
        return (f"media reference {_short(ref)!r} resolves outside {where} ({shown}); lsview reads only files "
                f"under {'it' if len(roots) == 1 else 'them'}{beside}{missing}")

    def _not_found_message(self, ref: str, kind: str, cands: list[Path]) -> str:
        looked = ", ".join(str(c) for c in cands) or "nowhere"
        if kind == "cloud":
            return (f"media reference {ref!r}: lsview cannot reach cloud storage; copy the files to a local "
                    f"folder and pass it as --root DIR (looked for a local copy at: {looked})")
        hint = "" if self.root is not None else "; pass --root DIR to search a data folder as well"
        url = server_media_url(self.server_url, ref) if self.server_url else None
        if url is not None:
            hint = (f"; nor was it pulled from {self.server_url} (would be {self._http_target(url)[0]}): run "
                    "`lsview pull ... --update` while the server is reachable")
        return f"media reference {ref!r} not found; looked at: {looked}{hint}"

    # ------------------------------------------------------------------ data: URIs

    def _materialise_data(self, ref: str) -> Path:
        mime, data = _parse_data_uri(ref)
        digest = hashlib.sha256(data).hexdigest()
        target = self.cache_dir / "data" / digest[:2] / (digest + (_ext_for_mime(mime) or ".bin"))
        if target.is_file():
            return target
        what = f"data: URI {_short(ref, 60)!r}"
        try:
            _atomic_write(target, [data], what=what)
        except OSError as exc:
            raise MediaError(f"{what}: cannot write {target}: {exc.strerror or exc}") from exc
        return target

    # ------------------------------------------------------------------ http(s)

    def _http_target(self, url: str) -> tuple[Path, str]:
        digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()  # a lone surrogate too
        ext = posixpath.splitext(urllib.parse.unquote(urllib.parse.urlsplit(url).path))[1]
        ext = ext if _EXT_RE.match(ext) else ""
        return self.cache_dir / "http" / digest[:2] / (digest + ext), ext

    def cached(self, url: str) -> Path | None:
        """The cached copy of an http(s) URL, None when there is none."""
        return self._cached_http(url)

    def cache_target(self, url: str, content_type: str = "") -> Path:
        """Where a download of url goes in the cache (the Content-Type gives the extension a URL lacks)."""
        target, ext = self._http_target(url.strip())
        return target if ext else target.with_name(target.name + _ext_for_mime(content_type))

    def _pulled_copy(self, ref: str) -> Path | None:
        url = server_media_url(self.server_url, ref) if self.server_url else None
        return self._cached_http(url) if url is not None else None

    def _cached_http(self, url: str) -> Path | None:
        url = url.strip()
        target, ext = self._http_target(url)
        if target.is_file():
            return target
        if not ext:
            # no extension in the URL: the download took one from Content-Type
            stem = target.name
            try:
                with os.scandir(target.parent) as it:
                    for entry in it:
                        if entry.name.startswith(stem + ".") and entry.is_file():
                            return Path(entry.path)
            except OSError:
                pass
        return None

    def _fetch(self, url: str) -> Path:
        url = url.strip()
        cached = self._cached_http(url)
        if cached is not None:
            return cached
        if self.offline:
            raise MediaError(f"media reference {_short(url)!r}: offline mode and no cached copy (would be "
                             f"{self._http_target(url)[0]})")
        # no extension in the URL: cache_target takes one from Content-Type, which _cached_http knows to look for
        return fetch(url, lambda content_type: self.cache_target(url, content_type), name=_short(url),
                     timeout=self.timeout, deadline=self.deadline, max_bytes=self.max_bytes)


def _atomic_write(target: Path, chunks, *, what: str) -> None:
    """Write chunks to the cache through atomic.replacing: readers never see a partial file. An error while
    reading the chunks (a download cut short) stays the caller's to name."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MediaError(f"{what}: cannot write to cache folder {target.parent}: {exc.strerror or exc}") from exc
    with replacing(target) as temporary, open(temporary, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)


def _parse_data_uri(ref: str) -> tuple[str, bytes]:
    """(mime type, bytes) of a data: URI; MediaError when it is malformed."""
    head, sep, body = ref.strip()[5:].partition(",")
    if not sep:
        raise MediaError(f"data: URI {_short(ref, 60)!r} has no ',' before its data")
    params = [p.strip() for p in head.split(";")]
    mime = params[0].lower() if params and "/" in params[0] else "text/plain"
    if any(p.lower() == "base64" for p in params[1:]):
        # tolerate line breaks, percent-escaped '+'/'/'/'=', URL-safe alphabet and lost padding
        text = re.sub(r"\s+", "", urllib.parse.unquote(body)).replace("-", "+").replace("_", "/")
        text = text.rstrip("=")
        text += "=" * (-len(text) % 4)
        try:
            return mime, base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MediaError(f"data: URI {_short(ref, 60)!r}: bad base64 data: {exc}") from exc
    return mime, urllib.parse.unquote_to_bytes(body)


def _file_url_to_path(url: str) -> Path:
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path)
    if parts.netloc and parts.netloc.lower() != "localhost":
        # file://server/share/x -> a UNC path on Windows; elsewhere the host part is meaningless
        return Path(f"//{parts.netloc}{path}") if os.name == "nt" else Path(path)
    if os.name == "nt" and re.match(r"^/[A-Za-z]:", path):
        path = path[1:]
    return Path(path)
