"""Run libcoveocds (the OCDS Data Review Tool's library) offline over a package, and summarise what it found.

libcoveocds fetches every declared extension (and the files it names) and the standard over HTTP. Here every
request is answered from ``../shared/ocds-extensions/`` (by ``manifest.json``: URL of ``extension.json`` → folder)
and ``../shared/ocds-standard/``; a URL that is in neither is recorded and refused, and the test fails on it, so
nothing here can reach the network and nothing unlisted can pass unnoticed.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import requests
from requests.adapters import HTTPAdapter
from requests.models import PreparedRequest, Response
from urllib3 import HTTPResponse

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXTENSIONS_DIR = Path(os.environ.get("OCDS_EXTENSIONS_DIR") or SHARED / "ocds-extensions")
STANDARD_ZIP = Path(os.environ.get("OCDS_STANDARD_ZIP") or SHARED / "ocds-standard" / "standard-1__1__5.zip")
SCHEMA_DIR = Path(os.environ.get("OCDS_SCHEMA_DIR") or SHARED / "ocds-schema")
#: the standard's own schema files, which the record package schema refers to by URL
_STANDARD_SCHEMA_URLS = ("https://standard.open-contracting.org/schema/1__1__5/",
                         "https://standard.open-contracting.org/1.1/en/")


def require_offline_material() -> None:
    """Skip (fail when REQUIRE_OCDS_SCHEMA is set) when the extensions, standard or schemas are not here."""
    missing = [str(p) for p in (EXTENSIONS_DIR / "manifest.json", STANDARD_ZIP, SCHEMA_DIR) if not p.exists()]
    if missing:
        if os.environ.get("REQUIRE_OCDS_SCHEMA"):
            pytest.fail(f"REQUIRE_OCDS_SCHEMA is set but these are missing: {', '.join(missing)}")
        pytest.skip(f"offline OCDS material not found: {', '.join(missing)}")
    try:
        import libcoveocds  # noqa: F401
    except ImportError:
        if os.environ.get("REQUIRE_OCDS_SCHEMA"):
            pytest.fail("REQUIRE_OCDS_SCHEMA is set but libcoveocds is not installed (pip install -e '.[test]')")
        pytest.skip("libcoveocds is not installed (pip install -e '.[test]')")


def _url_map() -> tuple[dict[str, Path], dict[str, Path]]:
    """For every extension in the manifest: its base URL (ending in /) → local folder, and the URL of the GitHub
    archive that ocdsextensionregistry downloads for it (``github.com/OWNER/REPO/archive/REF.zip``) → local folder."""
    manifest = json.loads((EXTENSIONS_DIR / "manifest.json").read_text(encoding="utf-8"))
    bases, archives = {}, {}
    for url, entry in manifest.items():
        folder = EXTENSIONS_DIR / entry["folder"]
        bases[url.rsplit("/", 1)[0] + "/"] = folder
        owner, repo, ref = url.removeprefix("https://raw.githubusercontent.com/").split("/")[:3]
        archives[f"https://github.com/{owner}/{repo}/archive/{ref}.zip"] = folder
    return bases, archives


def _zip_of(folder: Path) -> bytes:
    """The folder as GitHub's archive of it: every file under one top-level directory."""
    buffer = io.BytesIO()
    top = f"{folder.parent.name}-{folder.name}/"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(top, b"")  # GitHub's archives list their top directory first; readers rely on it
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _answer(adapter: HTTPAdapter, request: PreparedRequest, status: int, body: bytes) -> Response:
    raw = HTTPResponse(body=io.BytesIO(body), status=status, reason="OK" if status == 200 else "Not Found",
                       preload_content=False, request_url=request.url, headers={"Content-Length": str(len(body))})
    return adapter.build_response(request, raw)


@contextmanager
def offline_requests(refused: list[str]) -> Iterator[None]:
    """Answer every HTTP request from the local copies; record (and refuse) any other URL."""
    bases, archives = _url_map()

    def send(self: HTTPAdapter, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        url = str(request.url)
        path: Path | None = None
        for base, folder in bases.items():
            if url.startswith(base):
                path = folder / url[len(base):]
                break
        for prefix in _STANDARD_SCHEMA_URLS:
            if path is None and url.startswith(prefix):
                path = SCHEMA_DIR / url[len(prefix):]
        if url in archives:
            return _answer(self, request, 200, _zip_of(archives[url]))
        if path is None:
            refused.append(url)
            raise requests.ConnectionError(f"offline: {url} is not in the local OCDS material")
        if path.is_file():
            return _answer(self, request, 200, path.read_bytes())
        return _answer(self, request, 404, b"")  # a file the extension does not have: what GitHub would answer

    with mock.patch.object(HTTPAdapter, "send", send):
        yield


@dataclass
class Review:
    validation_errors: list[dict[str, Any]]
    invalid_extensions: dict[str, Any]
    refused_urls: list[str]
    duplicate_ocids: list[str]
    additional_fields: list[str] = field(default_factory=list)
    additional_codes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        errors = Counter(f"{e.get('type')}: {e.get('message', e.get('description', ''))[:160]}"
                         for e in self.validation_errors)
        return json.dumps({"errors": errors, "invalid_extensions": self.invalid_extensions,
                           "refused": self.refused_urls, "duplicate_ocids": self.duplicate_ocids,
                           "additional_fields": self.additional_fields, "additional_codes": self.additional_codes},
                          indent=1, default=str)[:6000]


def review(package: dict[str, Any]) -> Review:
    """libcoveocds' findings for one release or record package."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig({"standard_zip": STANDARD_ZIP.resolve().as_uri(), "context": "api"})
    refused: list[str] = []
    with offline_requests(refused):
        result = ocds_json_output("", json_data=package, lib_cove_ocds_config=config)
    errors = result.get("validation_errors") or []
    extensions = result.get("extensions") or {}
    invalid: dict[str, Any] = dict(extensions.get("invalid_extension") or {})
    for ext in extensions.get("extensions") or []:
        if ext.get("failed_codelists"):
            invalid[ext["url"]] = {"failed_codelists": ext["failed_codelists"]}
    if result.get("json_deref_error"):
        invalid["(schema)"] = result["json_deref_error"]
    key = "records" if "records" in package else "releases"
    counts = Counter(item.get("ocid") for item in package.get(key) or [])
    duplicates = sorted(str(o) for o, n in counts.items() if n > 1) if key == "records" else []
    additional_fields = sorted(f"{f['path']}/{f['field']}" for f in result.get("additional_fields") or [])
    codes = result.get("additional_closed_codelist_values") or {}
    open_codes = result.get("additional_open_codelist_values") or {}
    additional_codes = sorted(f"{k}: {v.get('values')}" for k, v in {**codes, **open_codes}.items())
    return Review(errors, invalid, refused, duplicates, additional_fields, additional_codes, result)
