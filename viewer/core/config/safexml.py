"""Hardened XML reading for labeling configs: no DTD, no entities, no network, no huge trees.

Core layer (lxml). A DOCTYPE is refused before lxml sees the text, and the parsed tree is checked again.
"""

from __future__ import annotations

import re

from lxml import etree

from viewer.core.errors import ConfigError

DOCTYPE_MESSAGE = "DOCTYPE/entities are not allowed in a labeling config"

# Whitespace, processing instructions (the XML declaration) and comments may come before the root.
_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_POSITION_SUFFIX = re.compile(r",\s*line \d+, column \d+\s*$")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def _parser(encoding: str | None) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False, huge_tree=False,
        encoding=encoding,
    )


def _scan_text(data: bytes) -> str:
    """Text good enough to find markup in the prolog, whatever the encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    if data.startswith(b"<\x00"):
        return data.decode("utf-16-le", errors="replace")
    if data.startswith(b"\x00<"):
        return data.decode("utf-16-be", errors="replace")
    # every byte maps to one character, so "<!DOCTYPE" and line breaks are found in any ASCII superset
    return data.decode("latin-1")


def _prolog_end(text: str) -> int:
    """Index of the first character after the leading whitespace, declaration and comments."""
    i, n = (1 if text.startswith("\ufeff") else 0), len(text)
    while i < n:
        match = _PROLOG_SKIP.match(text, i)
        if not match or match.end() == i:
            break
        i = match.end()
    return i


def _declaration_line(text: str) -> int | None:
    """Line of a `<!...>` declaration (DOCTYPE, ENTITY ...) before the root element, if any."""
    i = _prolog_end(text)
    if text.startswith("<!", i) and not text.startswith("<!--", i):
        return text.count("\n", 0, i) + 1
    return None


def _syntax_error(exc: etree.XMLSyntaxError, text: str, path: str | None) -> ConfigError:
    line, column = exc.position if exc.position else (exc.lineno, None)
    message = _POSITION_SUFFIX.sub("", exc.msg or str(exc)).strip()
    if text[_prolog_end(text):][:1] in ("{", "["):
        message += " (this looks like JSON, perhaps a task file, not an XML labeling config)"
    return ConfigError(f"not well-formed XML: {message}", path=path, line=line or None, column=column or None)


def parse_xml(source: str | bytes, path: str | None = None) -> etree._Element:
    """The root element of a config, or ConfigError (empty, not XML, DOCTYPE or entities)."""
    if isinstance(source, str):
        data = source.lstrip("\ufeff").encode("utf-8", errors="surrogatepass")
        # the text is already decoded, so an encoding declaration inside it must not be obeyed
        encoding: str | None = "utf-8"
    else:
        data, encoding = bytes(source), None
    text = _scan_text(data)
    if not text.strip(" \t\r\n\ufeff\x00"):
        raise ConfigError("the labeling config is empty", path=path)
    line = _declaration_line(text)
    if line is not None:
        raise ConfigError(DOCTYPE_MESSAGE, path=path, line=line)
    try:
        root = etree.fromstring(data, _parser(encoding))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, text, path) from None
    if root is None:
        raise ConfigError("the labeling config has no root element", path=path)
    check_tree(root, text, path)
    return root


def check_tree(root: etree._Element, text: str = "", path: str | None = None) -> None:
    """Refuse a parsed tree that carries a DTD or entity references (a second line of defence)."""
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        found = text.find("<!")
        raise ConfigError(DOCTYPE_MESSAGE, path=path, line=text.count("\n", 0, found) + 1 if found >= 0 else None)
    for entity in root.iter(etree.Entity):
        raise ConfigError(DOCTYPE_MESSAGE, path=path, line=entity.sourceline)
