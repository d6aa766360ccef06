"""Make a Pagefind bundle byte-identical from one build to the next.

Pagefind (1.5) writes its word index and fragments deterministically, but each filter file lists the filter's
values in the order of a Rust ``HashMap``, which is seeded at random in every run; the file names are hashes of
the contents, so the filter files, the ``pagefind.*.pf_meta`` file that names them and ``pagefind-entry.json``
that names the meta file all change between two builds of the same pages. This rewrites each filter file with
its values sorted, renames it by the hash of its new content, and does the same for the meta file and the entry.

The files are gzip streams of ``pagefind_dcd`` followed by CBOR. Only the CBOR Pagefind writes is handled:
unsigned and negative integers, text and byte strings, arrays and maps of definite length, with minimal-length
heads, which is also how it is written back, so everything that is not reordered is written back unchanged.

It also takes the sort orders out of the page list Pagefind loads first (see :func:`stabilise_bundle`), and writes
the empty index the search page loads Pagefind's script and WebAssembly from (:func:`write_engine`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import struct
from pathlib import Path
from typing import Any

_SIGNATURE = b"pagefind_dcd"

#: The Pagefind releases whose output this module has been checked against. Its files are Pagefind's internals, not
#: an interface: a new release may lay them out differently, and rewriting them blindly would publish a broken
#: index. To move to a new release: pin it in pyproject.toml, `make lock`, check that `make test` passes (the search
#: and reproducibility tests read these files), then add it here.
SUPPORTED_PAGEFIND_VERSIONS = ("1.5.2",)


class UnsupportedPagefind(ValueError):
    """The installed Pagefind is not one whose files this module knows how to rewrite."""


def check_pagefind_version(version: str) -> None:
    """Raise :class:`UnsupportedPagefind` unless ``version`` is in :data:`SUPPORTED_PAGEFIND_VERSIONS`."""
    if version not in SUPPORTED_PAGEFIND_VERSIONS:
        known = ", ".join(SUPPORTED_PAGEFIND_VERSIONS)
        raise UnsupportedPagefind(
            f"Pagefind {version or '(unknown version)'} is installed, but the build only knows the files of Pagefind "
            f"{known}, and would write a wrong search index with another. Install the locked versions "
            "(`make install`, or `pip install --require-hashes -r requirements/site.txt`), or, to move to the new "
            "release, follow the steps in docs/maintenance.md.")


def pagefind_version_of(output: str) -> str:
    """The version in what ``pagefind --version`` prints (``pagefind 1.5.2``)."""
    words = output.strip().split()
    return words[-1] if len(words) == 2 and words[0] == "pagefind" else ""

#: The entry's second "language" of each bundle: the same index with its sort orders (see :func:`stabilise_bundle`).
#: search.js merges a bundle under this name only for a sorted search.
SORTED_SUFFIX = "-x-sorted"
ENGINE = "engine"  # pagefind/engine/: Pagefind's script and WebAssembly with an empty index (see write_engine)


class _Bytes(bytes):
    """A CBOR byte string (kept apart from text when writing back)."""


def _decode(data: bytes, pos: int = 0) -> tuple[Any, int]:
    head = data[pos]
    major, info = head >> 5, head & 0x1F
    pos += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise ValueError(f"CBOR head {head:#x} is not one Pagefind writes")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major == 2:
        return _Bytes(data[pos:pos + arg]), pos + arg
    if major == 3:
        return data[pos:pos + arg].decode("utf-8"), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, pos = _decode(data, pos)
            value, pos = _decode(data, pos)
            pairs.append((key, value))
        return dict(pairs), pos
    raise ValueError(f"CBOR major type {major} is not one Pagefind writes")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, arg)
    raise ValueError("number too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("Pagefind's files hold no booleans or nulls")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, _Bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise ValueError(f"cannot write {type(value).__name__} as CBOR")


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind file")
    value, end = _decode(raw, len(_SIGNATURE))
    if end != len(raw):
        raise ValueError(f"{path.name} has bytes after its content")
    return value


def _gzip(payload: bytes) -> bytes:
    return gzip.compress(_SIGNATURE + payload, compresslevel=9, mtime=0)


def _content_name(language: str, payload: bytes, digits: int) -> str:
    return f"{language}_{hashlib.sha256(payload).hexdigest()[:digits]}"


def stabilise_bundle(bundle_dir: Path) -> None:
    """Rewrite one Pagefind output folder so that the same pages always give the same bytes, and give its entry
    two page lists: under the language Pagefind wrote (``en``) one without the sort orders, for searches by
    relevance, and under ``en-x-sorted`` the full one, for sorted searches."""
    entry_path = bundle_dir / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    check_pagefind_version(str(entry.get("version", "")))  # the version that wrote these very files
    languages: dict[str, Any] = {}
    for language, info in entry["languages"].items():
        meta_path = bundle_dir / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        renamed: dict[str, str] = {}
        for path in sorted((bundle_dir / "filter").glob(f"{language}_*.pf_filter")):
            content = _read(path)
            # [filter name, [[value, [page numbers]], ...]]: the value pairs come in hash-map order
            if isinstance(content, list) and len(content) == 2 and isinstance(content[1], list):
                content = [content[0], sorted(content[1], key=lambda pair: _encode(pair[0]))]
            payload = _encode(content)
            old = path.name.removesuffix(".pf_filter")
            new = _content_name(language, payload, len(old) - len(language) - 1)
            path.unlink()
            (bundle_dir / "filter" / f"{new}.pf_filter").write_bytes(_gzip(payload))
            renamed[old] = new
        meta = _rename_strings(meta, renamed)
        # [version, pages, index chunks, filters, sorts, ...]: the filters and sorts come in hash-map order
        if not (isinstance(meta, list) and len(meta) >= 5 and isinstance(meta[4], list)):
            raise ValueError(f"{meta_path.name} is not laid out as Pagefind 1.5 writes it")
        meta[3], meta[4] = _by_name(meta[3]), _by_name(meta[4])
        meta_path.unlink()
        digits = len(info["hash"]) - len(language) - 1
        # Pagefind loads a bundle's whole page list before it looks up a word, and each sort order in it is a
        # permutation of every page (a third of the list for two sorts, which gzip cannot shrink). A search by
        # relevance never reads them, so the list under the bundle's language has none; the same list with its
        # sorts is a second entry, which the search page merges only for a sorted search.
        light = [*meta[:4], [], *meta[5:]]
        for key, value in ((language, light), (language + SORTED_SUFFIX, meta)):
            payload = _encode(value)
            name = _content_name(language, payload, digits)
            (bundle_dir / f"pagefind.{name}.pf_meta").write_bytes(_gzip(payload))
            languages[key] = {**info, "hash": name}
    entry["languages"] = languages
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


#: What the search page needs of a bundle to start Pagefind (the rest is fetched from each merged bundle).
_ENGINE_FILES = ("pagefind.js", "pagefind-worker.js")


def write_engine(pagefind_root: Path, from_bundle: Path) -> Path:
    """Write ``pagefind/engine/``: Pagefind's script, worker and WebAssembly with an index of no pages.

    Pagefind's primary index (the one its script is loaded from) is opened under the page's own language, and
    only indexes merged into it can be opened under another (the sorted entry of a bundle). The search page loads
    this empty index as the primary and merges every bundle it searches into it, each under the entry it needs.
    """
    engine = pagefind_root / ENGINE
    if engine.exists():
        shutil.rmtree(engine)
    engine.mkdir(parents=True)
    for path in sorted(from_bundle.iterdir()):
        if path.name in _ENGINE_FILES or (path.name.startswith("wasm.") and path.suffix == ".pagefind"):
            shutil.copyfile(path, engine / path.name)
    entry = json.loads((from_bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = {}
    for language, info in entry["languages"].items():
        if language.endswith(SORTED_SUFFIX):
            continue
        meta = _read(from_bundle / f"pagefind.{info['hash']}.pf_meta")
        empty = [meta[0], [], [], [], [], *meta[5:]]  # no pages, words, filters or sorts
        payload = _encode(empty)
        name = _content_name(language, payload, len(info["hash"]) - len(language) - 1)
        (engine / f"pagefind.{name}.pf_meta").write_bytes(_gzip(payload))
        languages[language] = {**info, "hash": name, "page_count": 0}
    entry["languages"] = languages
    (engine / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")
    return engine


def _rename_strings(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, str) and not isinstance(value, _Bytes):
        return renamed.get(value, value)
    if isinstance(value, list):
        return [_rename_strings(v, renamed) for v in value]
    if isinstance(value, dict):
        return {k: _rename_strings(v, renamed) for k, v in value.items()}
    return value


def _by_name(items: Any) -> Any:
    """A list of [name, ...] entries in name order (Pagefind keys them by name; their order carries nothing)."""
    if isinstance(items, list) and all(isinstance(i, list) and i and isinstance(i[0], str) for i in items):
        names = [i[0] for i in items]
        if len(set(names)) == len(names):
            return sorted(items, key=lambda i: _encode(i[0]))
    return items
