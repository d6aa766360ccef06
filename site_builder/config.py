"""The register's settings, read from the `procure` plugin block of mkdocs.yml (one place for publishers to edit)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import ConfigError
from site_builder.speak_up import SpeakUp, parse_speak_up

DEFAULT_THRESHOLDS: dict[str, float] = {
    "short_tender_period_days": 15,  # Cardinal R003 default
    "value_above_estimate_pct": 20,
    "min_estimate_compared": 1000,  # estimates below this (in their own currency) are placeholders, not compared
    "late_publication_days": 30,  # PA23 UK7 window
    "repeat_direct_award_days": 365,
    "repeat_direct_award_count": 2,  # this many direct awards, one buyer to one supplier, within the days above
    "kpi_required_above_gbp": 5_000_000,  # PA23 s.52
    "change_value_increase_pct": 10,  # PCR 2015 reg. 72(5): under 10% of the initial value counts as minor
    "change_extension_pct": 25,  # end date moved by more than a quarter of the original term
}


@dataclass(frozen=True)
class Publisher:
    name: str = "Greenbridge Borough Council"
    scheme: str = "GB-LAE"
    uid: str = "GRB"
    uri: str = "https://www.greenbridge.gov.uk"


@dataclass(frozen=True)
class RegisterConfig:
    """Everything the pipeline needs to know about one register. Paths are absolute."""

    root: Path
    records_dir: Path
    schemas_dir: Path
    site_name: str = "Procurement register"
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    register_name: str = "Procurement register"
    publisher: Publisher = field(default_factory=Publisher)
    ocid_prefix: str = "ocds-xxxxxx"
    licence_name: str = "Open Government Licence v3.0"
    licence_url: str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    attribution: str = "Contains public sector information licensed under the Open Government Licence v3.0."
    local_area_codes: tuple[str, ...] = ()
    external_schemes: tuple[str, ...] = ()
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    as_of: date | None = None  # pinned reference date for statuses; None = from SOURCE_DATE_EPOCH / git / today
    speak_up: SpeakUp = field(default_factory=SpeakUp)  # issue 14: report an error, ask the buyer, raise a concern

    def reference_date(self) -> date:
        """The date statuses such as 'overdue' are computed against, reproducible for a given commit."""
        if self.as_of:
            return self.as_of
        return source_date(self.root).date()


def source_date(root: Path) -> datetime:
    """SOURCE_DATE_EPOCH if set, else the last commit's date, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                             timeout=10, check=False).stdout.strip()
        if out.isdigit():
            return datetime.fromtimestamp(int(out), tz=UTC)
    except (OSError, subprocess.SubprocessError):
        pass
    return datetime.now(tz=UTC)


def _plugin_block(mkdocs: dict[str, Any]) -> dict[str, Any]:
    for entry in mkdocs.get("plugins") or []:
        if isinstance(entry, dict) and "procure" in entry:
            return dict(entry["procure"] or {})
    return {}


def load_config(root: Path | str = ".", config_file: str = "mkdocs.yml", overrides: dict[str, Any] | None = None) -> RegisterConfig:
    """Read mkdocs.yml under ``root``; a register without one gets defaults (records/ and schemas/ under root)."""
    root = Path(root).resolve()
    path = root / config_file
    mkdocs: dict[str, Any] = {}
    if path.exists():
        try:
            mkdocs = yaml.load(path.read_text(encoding="utf-8"), Loader=_MkdocsLoader) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file}: cannot be read: {exc}") from None
    return config_from_mapping(root, mkdocs, _plugin_block(mkdocs) | (overrides or {}))


def config_from_mapping(root: Path, mkdocs: dict[str, Any], plugin: dict[str, Any]) -> RegisterConfig:
    """Build the config from mkdocs.yml's top level and the plugin block (also used by the MkDocs plugin)."""
    try:
        publisher = Publisher(**plugin["publisher"]) if plugin.get("publisher") else Publisher()
        thresholds = dict(DEFAULT_THRESHOLDS) | dict(plugin.get("thresholds") or {})
        unknown = set(thresholds) - set(DEFAULT_THRESHOLDS)
        if unknown:
            raise ConfigError(f"mkdocs.yml: unknown indicator threshold(s): {', '.join(sorted(unknown))}")
        as_of = plugin.get("as_of")
        licence = plugin.get("licence") or {}
        records_dir = (root / plugin.get("records_dir", "records")).resolve()
        if not records_dir.is_relative_to(root.resolve()):
            # what is validated and published must be the register's own records, not a folder elsewhere
            raise ConfigError(f"mkdocs.yml: records_dir leads outside the register ({records_dir}); keep the "
                              "records in a folder of the register")
        return RegisterConfig(
            root=root,
            records_dir=records_dir,
            schemas_dir=(root / plugin.get("schemas_dir", "schemas")).resolve(),
            site_name=str(mkdocs.get("site_name") or "Procurement register"),
            site_url=mkdocs.get("site_url"),
            repo_url=mkdocs.get("repo_url"),
            edit_uri=mkdocs.get("edit_uri"),
            register_name=str(plugin.get("register_name") or mkdocs.get("site_name") or "Procurement register"),
            publisher=publisher,
            ocid_prefix=str(plugin.get("ocid_prefix", "ocds-xxxxxx")),
            licence_name=str(licence.get("name", RegisterConfig.licence_name)),
            licence_url=str(licence.get("url", RegisterConfig.licence_url)),
            attribution=str(licence.get("attribution", RegisterConfig.attribution)),
            local_area_codes=tuple(plugin.get("local_area_codes") or ()),
            external_schemes=tuple(plugin.get("external_schemes") or ()),
            thresholds=thresholds,
            as_of=date.fromisoformat(str(as_of)) if as_of else None,
            speak_up=parse_speak_up(plugin.get("speak_up"), mkdocs.get("repo_url")),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"mkdocs.yml: the procure plugin settings are invalid: {exc}") from None


class _MkdocsLoader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' !ENV and Material's !!python/name tags; we read them as plain text."""


def _as_text(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_MkdocsLoader.add_multi_constructor("!", _as_text)
_MkdocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _as_text)
