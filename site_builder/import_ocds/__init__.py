"""Import OCDS data into the register: read → merge → map → write (one module per stage).

``import_ocds(config, paths, dry_run=False) -> ImportReport``. The library never prints: the command prints the
report. Everything is read, merged, mapped and checked before the first file is written, so a run that fails
part-way (a bug, a full disk) never leaves half an import behind in records/.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.config import RegisterConfig
from site_builder.import_ocds.map import AWARD_FIELDS, TENDER_FIELDS, Draft, Mapper, Omission
from site_builder.import_ocds.merge import build_merger, merge_process
from site_builder.import_ocds.organisations import OrgIndex
from site_builder.import_ocds.read import LATEST_YEAR, ReadProblem, read_files
from site_builder.import_ocds.register_schema import RegisterSchemas
from site_builder.import_ocds.text import make_id
from site_builder.import_ocds.write import (
    ORGANISATION_HEADER,
    ExistingFile,
    check_round_trip,
    dump_yaml,
    process_header,
    read_existing,
    write_atomically,
)
from site_builder.load import FOLDER_OF_TYPE

__all__ = ["FileAction", "ImportReport", "import_ocds"]

_LIST_LIMIT = 15  # files listed per action without --verbose
_HEADER_OCID = re.compile(r"^# ocid (\S+);", re.MULTILINE)
_MANAGED = {"tender": set(TENDER_FIELDS), "award": set(AWARD_FIELDS)}


@dataclass(frozen=True)
class FileAction:
    record_type: str
    record_id: str
    rel_path: str
    action: str  # "created", "updated" or "unchanged"
    note: str = ""


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    dry_run: bool = False
    files: dict[str, str] = field(default_factory=dict)  # input file → detected format
    merge_rules: str = ""
    processes: int = 0
    actions: list[FileAction] = field(default_factory=list)
    not_mapped: list[Omission] = field(default_factory=list)  # tenders/awards/contracts/processes not created
    omissions: list[Omission] = field(default_factory=list)  # values left out (or converted) in created records
    problems: list[ReadProblem] = field(default_factory=list)  # unreadable files or items
    notes: list[str] = field(default_factory=list)

    def of(self, action: str) -> list[FileAction]:
        return [a for a in self.actions if a.action == action]

    @property
    def created(self) -> list[FileAction]:
        return self.of("created")

    @property
    def updated(self) -> list[FileAction]:
        return self.of("updated")

    @property
    def unchanged(self) -> list[FileAction]:
        return self.of("unchanged")

    def lines(self, verbose: bool = False) -> list[str]:
        """The report in plain text, most important first. Without ``verbose``, left-out values are counted."""
        would = "would be " if self.dry_run else ""
        out = [f"Read {name}: {fmt}" for name, fmt in self.files.items()]
        out.append(f"{self.processes} contracting process(es); {self.merge_rules}")
        out += [f"  note: {n}" for n in self.notes]
        for problem in self.problems:
            out.append(f"  could not read {problem.source}: {problem.message}")
        for action in ("created", "updated", "unchanged"):
            found = self.of(action)
            counts = Counter(a.record_type for a in found)
            summary = ", ".join(f"{n} {t}{'s' if n != 1 else ''}" for t, n in sorted(counts.items())) or "nothing"
            out.append(f"{would if action != 'unchanged' else ''}{action.capitalize()}: {summary}")
            shown = found if verbose else [a for a in found if a.action != "unchanged" or a.note][:_LIST_LIMIT]
            out += [f"  {a.rel_path}" + (f" ({a.note})" if a.note else "") for a in shown]
            if len(found) > len(shown) and action != "unchanged":
                out.append(f"  … and {len(found) - len(shown)} more (--verbose lists them all)")
        if self.not_mapped:
            out.append(f"Could not map {len(self.not_mapped)}:")
            out += [f"  {o.record}: {o.reason}" for o in self.not_mapped]
        if self.omissions:
            out.append(f"Values left out or converted ({len(self.omissions)}):")
            if verbose:
                out += [f"  {o.record} /{o.field}: {o.reason}" for o in self.omissions]
            else:
                grouped = Counter((o.field, _generic(o.reason)) for o in self.omissions)
                out += [f"  {n} × {fld}: {reason}" for (fld, reason), n in sorted(grouped.items(), key=lambda i: (-i[1], i[0]))]
                out.append("  (run with --verbose for every record)")
        return out


#: what a release of unexpected shape trips in merging or mapping (a list where OCDS has a code, a date-time that
#: overflows when moved to UTC, recursion on deep nesting)
_MALFORMED = (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError, IndexError)


def _what(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}"


def _generic(reason: str) -> str:
    """"document 'Advert' has no web address" → "document … has no web address" (to count alike reasons)."""
    reason = re.sub(r"https?://\S+", "…", reason)
    reason = re.sub(r"(?<!\w)'[^']*'(?!\w)|(?<!\w)\"[^\"]*\"(?!\w)", "…", reason)
    return re.sub(r"(?<![\w-])\d[\d.,]*(?![\w-])", "…", reason)


@dataclass
class _Planned:
    record_type: str
    record_id: str
    path: Path
    content: bytes
    data: dict[str, Any]
    action: str
    note: str = ""


def import_ocds(config: RegisterConfig, paths: list[Path], dry_run: bool = False) -> ImportReport:
    """Import OCDS files into the register at ``config.root`` and report what was done."""
    schemas = RegisterSchemas(config.schemas_dir)
    report = ImportReport(dry_run=dry_run)
    read = read_files(paths)
    report.files, report.problems, report.notes = read.formats, read.problems, list(read.notes)
    merger, report.merge_rules = build_merger(config.root)

    existing = _scan_existing(config)
    orgs = OrgIndex(schemas)
    for org_id, org_file in existing["organisation"].items():
        if org_file.data is not None:
            orgs.add_existing(org_id, org_file.data, handwritten=not org_file.imported)
    tender_by_ocid: dict[str, str] = {}
    for existing_id, existing_file in existing["tender"].items():
        if existing_file.data and isinstance(existing_file.data.get("ocid"), str):
            tender_by_ocid.setdefault(existing_file.data["ocid"], existing_id)

    mapper = Mapper(schemas, orgs)
    merged = []
    for ocid, process in sorted(read.processes.items()):
        if process.ocid_as_published - {ocid}:
            report.omissions.append(Omission(f"process {ocid}", "ocid", "the prefix was written in capitals "
                                             f"({sorted(process.ocid_as_published - {ocid})[0]}): lower-cased"))
        try:
            merged_process, why = merge_process(process, merger)
        except _MALFORMED as exc:  # one process's odd data never costs the others their import
            merged_process, why = None, f"its releases could not be merged ({_what(exc)})"
        if merged_process is None:
            report.not_mapped.append(Omission(f"process {ocid}", "releases", why or "could not be merged"))
            continue
        report.notes += [f"{ocid}: {n}" for n in merged_process.notes]
        if merged_process.used_compiled_release:
            report.omissions.append(Omission(f"process {ocid}", "compiledRelease", "the record's compiledRelease was used"))
        merged.append(merged_process)
    report.processes = len(read.processes)
    # oldest first, so that where processes disagree about an organisation the newest data wins
    merged.sort(key=lambda m: (m.latest_date or "", m.ocid))

    planned: list[_Planned] = []
    claimed: dict[tuple[str, str], str] = {}  # (type, casefolded id) → ocid/award key that owns it
    for merged_one in merged:
        try:
            result = mapper.map_process(merged_one)
        except _MALFORMED as exc:
            report.not_mapped.append(Omission(f"process {merged_one.ocid}", "releases",
                                              f"its data could not be used ({_what(exc)}); the other processes are "
                                              "imported"))
            continue
        report.omissions += result.omissions
        report.not_mapped += result.not_mapped
        tender_id: str | None = None
        if result.tender is not None:
            tender_draft = result.tender
            tender_draft.record_id = tender_by_ocid.get(merged_one.ocid, tender_draft.record_id)
            tender_draft.data["id"] = tender_draft.record_id
            tender_id = _finalise(tender_draft, merged_one.ocid, schemas, existing, claimed, orgs, planned, report, config)
        if tender_id is None and merged_one.ocid in tender_by_ocid:
            tender_id = tender_by_ocid[merged_one.ocid]  # imported earlier or written by hand: link to it
        for award in result.awards:
            if tender_id:
                award.data.pop("ocid", None)
                award.data = {"id": award.data["id"], "tender": tender_id, **award.data}
            else:
                award.data.pop("tender", None)
                award.data = {"id": award.data["id"], "ocid": merged_one.ocid, **award.data}
            _finalise(award, f"{merged_one.ocid}#{award.record_id}", schemas, existing, claimed, orgs, planned, report, config)

    unused = 0
    for entry in sorted(orgs.entries.values(), key=lambda e: e.id):
        if not entry.used_roles:
            unused += 0 if entry.existing else 1
            continue
        if entry.handwritten:
            missing = entry.used_roles - entry.roles
            if missing:
                report.notes.append(f"organisation {entry.id} is written by hand and lacks the role(s) "
                                    f"{', '.join(sorted(missing))}: add them to its file")
            continue
        data = {"id": entry.id, **entry.data, "roles": sorted(entry.roles | entry.used_roles)}
        data = schemas.ordered(data, schemas.record_schema("organisation"))
        where = f"organisation {entry.id}"
        for left in entry.left_out:
            report.omissions.append(Omission(where, left.field, left.reason))
        data, rejected = _gate("organisation", data, where, schemas, report)
        if rejected:  # pragma: no cover - name and roles are always valid by construction
            report.not_mapped.append(Omission(where, "", rejected))
            continue
        org_existing = existing["organisation"].get(entry.id)
        header = _existing_header(org_existing) if org_existing and org_existing.imported else ORGANISATION_HEADER
        _plan(planned, "organisation", entry.id, data, header, org_existing, config, "")
    if unused:
        report.notes.append(f"{unused} part{'y' if unused == 1 else 'ies'} left out: not the buyer or a supplier of "
                            "an imported tender or award")

    for item in planned:
        check_round_trip(item.content, item.data, item.path.name)
    if not dry_run:
        config.records_dir.mkdir(parents=True, exist_ok=True)  # a register, even if nothing could be mapped
    for item in planned:
        rel = item.path.relative_to(config.root).as_posix()
        report.actions.append(FileAction(item.record_type, item.record_id, rel, item.action, item.note))
        if not dry_run and item.action != "unchanged":
            write_atomically(item.path, item.content)
    order = {"organisation": 0, "tender": 1, "award": 2}
    report.actions.sort(key=lambda a: (order.get(a.record_type, 9), a.record_id))
    return report


def _scan_existing(config: RegisterConfig) -> dict[str, dict[str, ExistingFile]]:
    found: dict[str, dict[str, ExistingFile]] = {"organisation": {}, "tender": {}, "award": {}}
    for record_type in found:
        folder = config.records_dir / FOLDER_OF_TYPE[record_type]
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            file = read_existing(path)
            if file is not None:
                found[record_type][path.stem] = file
    return found


def _existing_header(file: ExistingFile) -> str:
    text = file.source.decode("utf-8", errors="replace")
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def _gate(record_type: str, data: dict[str, Any], where: str, schemas: RegisterSchemas,
          report: ImportReport) -> tuple[dict[str, Any], str | None]:
    """Last check against the register's schema: optional fields that fail are dropped (and reported); a failing
    required field means the record is not created. The mapper already checks each value, so this rarely acts."""
    required = set(schemas.record_schema(record_type).get("required", ()))
    for _ in range(20):
        issues = schemas.issues(record_type, data)
        if not issues:
            return data, None
        issue = issues[0]
        key = issue.pointer.split("/")[1] if issue.pointer.count("/") >= 1 and issue.pointer else ""
        if not key or key in required:
            return data, f"{issue.pointer or '/'}: {issue.message}"
        data = {k: v for k, v in data.items() if k != key}
        report.omissions.append(Omission(where, key, issue.message))
    return data, "too many schema problems"  # pragma: no cover


def _finalise(draft: Draft, owner: str, schemas: RegisterSchemas, existing: dict[str, dict[str, ExistingFile]],
              claimed: dict[tuple[str, str], str], orgs: OrgIndex, planned: list[_Planned], report: ImportReport,
              config: RegisterConfig) -> str | None:
    """Check one tender/award draft against the register and plan its file. Returns its id if it is in the register."""
    record_type = draft.record_type
    where = f"{record_type} {draft.record_id}"
    # two different processes whose ids would read the same: the later one gets a hash of its source added
    record_id = draft.record_id
    files = existing[record_type]
    file: ExistingFile | None = None
    while True:
        owner_now = claimed.get((record_type, record_id.casefold()))
        file = files.get(record_id) or next((f for i, f in files.items() if i.casefold() == record_id.casefold()), None)
        file_owner = None
        if file is not None and file.imported:
            match = _HEADER_OCID.search(file.source[:2000].decode("utf-8", errors="replace"))
            file_owner = match.group(1) if match else None
        clash = (owner_now is not None and owner_now != owner) or (
            file is not None and file.imported and file_owner is not None and file_owner != draft.ocid)
        if not clash:
            break
        digest = hashlib.sha1(owner.encode()).hexdigest()[:8]
        record_id = make_id(f"{draft.record_id[:55]}-{digest}")
        if record_id == draft.record_id:  # pragma: no cover
            break
    claimed[(record_type, record_id.casefold())] = owner
    draft.data["id"] = record_id
    draft.record_id = record_id
    where = f"{record_type} {record_id}"

    if file is not None and not file.imported:
        report.not_mapped.append(Omission(where, "", "a record with this id was written by hand: it is left as it is"))
        return record_id if record_type == "tender" else None
    if file is not None and file.data is None:
        report.not_mapped.append(Omission(where, "", f"{file.path.name} exists but cannot be read: it is left as it is"))
        return None
    # a file stamped by an earlier import with a release "of 9999" is not newer than a genuine release
    believable = file is not None and bool(file.latest_date) and str(file.latest_date)[:4] <= str(LATEST_YEAR)
    if file is not None and believable and draft.latest_date and str(file.latest_date) > draft.latest_date:
        rel = file.path.relative_to(config.root).as_posix()
        report.actions.append(FileAction(record_type, record_id, rel, "unchanged",
                                         f"the register holds a newer release, of {file.latest_date}"))
        return record_id

    data = dict(draft.data)
    if file is not None and file.data is not None:
        for key, value in file.data.items():  # fields added by hand survive a re-import
            if key not in _MANAGED[record_type]:
                data[key] = value
        # a gap the source still leaves that an officer has filled by hand keeps the officer's value
        gaps = [g for g in data.get("import_gaps") or () if g not in file.data]
        for gap in data.get("import_gaps") or ():
            if gap in file.data:
                data[gap] = file.data[gap]
        if gaps:
            data["import_gaps"] = gaps
        else:
            data.pop("import_gaps", None)
    data = schemas.ordered(data, schemas.record_schema(record_type))
    data, rejected = _gate(record_type, data, where, schemas, report)
    if rejected:
        report.not_mapped.append(Omission(where, "", f"does not fit the register's schema: {rejected}"))
        return None
    for org_id, role in draft.org_roles:
        orgs.use(org_id, role)
    header = process_header(draft.publisher, draft.ocid, draft.latest_id, draft.latest_date)
    _plan(planned, record_type, record_id, data, header, file, config, "")
    return record_id


def _plan(planned: list[_Planned], record_type: str, record_id: str, data: dict[str, Any], header: str,
          file: ExistingFile | None, config: RegisterConfig, note: str) -> None:
    path = config.records_dir / FOLDER_OF_TYPE[record_type] / f"{record_id}.yaml"
    content = dump_yaml(data, header)
    if file is None:
        action = "created"
    elif file.source == content:
        action = "unchanged"
    else:
        action = "updated"
    planned.append(_Planned(record_type, record_id, path, content, data, action, note))
