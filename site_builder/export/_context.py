"""What every exporter shares: the registry, the schemas, the tables, the output folder and the list of files
written (with sizes and SHA-256, so ``SHA256SUMS`` and the /data/ page never re-read what was just written)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from site_builder.errors import BuildError
from site_builder.export.schema_info import SchemaSet
from site_builder.export.tables import Table, build_tables
from site_builder.model import Registry


@dataclass(frozen=True)
class ExportedFile:
    """One file written under the output folder. ``path`` is relative to it, with forward slashes."""

    path: str
    size: int
    sha256: str
    format: str  # e.g. "CSV", "JSON", "SQLite"
    group: str  # which download it belongs to, e.g. "csv", "records", "ocds" (the /data/ page groups by it)
    description: str = ""


@dataclass
class ExportContext:
    reg: Registry
    out_dir: Path
    files: list[ExportedFile] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _dirs: set[Path] = field(default_factory=set)

    @cached_property
    def schemas(self) -> SchemaSet:
        return SchemaSet(self.reg.config.schemas_dir)

    @cached_property
    def tables(self) -> list[Table]:
        return build_tables(self.reg, self.schemas)

    @cached_property
    def published(self) -> datetime:
        """The export's timestamp: the register's reference date (pinned, SOURCE_DATE_EPOCH or last commit), so
        the same register always gives byte-identical files."""
        return datetime.combine(self.reg.as_of, time(0), tzinfo=UTC)

    @property
    def published_iso(self) -> str:
        return self.published.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _claim(self, rel: str) -> Path:
        if rel in self._seen:
            raise BuildError(f"export: two exporters tried to write {rel}")
        self._seen.add(rel)
        path = self.out_dir / rel
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        return path

    def write_bytes(self, rel: str, data: bytes, fmt: str, group: str, description: str = "") -> ExportedFile:
        path = self._claim(rel)
        path.write_bytes(data)
        entry = ExportedFile(rel, len(data), hashlib.sha256(data).hexdigest(), fmt, group, description)
        self.files.append(entry)
        return entry

    def write_json(self, rel: str, data: Any, fmt: str, group: str, description: str = "",
                   indent: int | None = 2) -> ExportedFile:
        return self.write_bytes(rel, dump_json(data, indent), fmt, group, description)

    @contextmanager
    def open_text(self, rel: str, fmt: str, group: str, description: str = "") -> Iterator[IO[str]]:
        """Stream a large text file to disk (UTF-8, newlines written as given); recorded when closed."""
        path = self._claim(rel)
        with path.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        self.register_path(rel, fmt, group, description)

    @contextmanager
    def open_path(self, rel: str, fmt: str, group: str, description: str = "") -> Iterator[Path]:
        """For writers that need a file name (sqlite3, zipfile); recorded when the block ends."""
        path = self._claim(rel)
        if path.exists():
            path.unlink()
        yield path
        self.register_path(rel, fmt, group, description)

    def register_path(self, rel: str, fmt: str, group: str, description: str = "") -> ExportedFile:
        path = self.out_dir / rel
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        entry = ExportedFile(rel, path.stat().st_size, digest.hexdigest(), fmt, group, description)
        self.files.append(entry)
        return entry

    def absolute_url(self, site_path: str) -> str:
        """A site-relative path as an absolute URL (needs site_url in mkdocs.yml)."""
        base = self.reg.config.site_url
        if not base:
            raise BuildError("mkdocs.yml: site_url is needed for feeds and the sitemap (e.g. https://example.org/register/)")
        return base.rstrip("/") + "/" + site_path.lstrip("/")


def _plain_mapping(value: Any) -> Any:
    if isinstance(value, MappingProxyType):  # the model's read-only records
        return dict(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_json(data: Any, indent: int | None = 2) -> bytes:
    """JSON as published: UTF-8 (not \\u escapes), keys in the order written, a final newline.

    ``indent=None`` gives compact JSON through the C encoder (about ten times faster: used per record)."""
    if indent is None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain_mapping)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=indent, default=_plain_mapping)
    return (text + "\n").encode("utf-8")
