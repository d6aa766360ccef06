"""What changes between two versions of the register, in the words the site uses.

``diff_snapshots`` compares two snapshots (path → bytes, see :mod:`site_builder.history.git`) and returns
records added, removed, renamed and changed, each change field by field with its values formatted as the site shows
them (money, dates, organisation names, codelist labels), plus what the change does to the computed figures (a
commitment's delivery status, an indicator raised or cleared). The same :func:`field_changes` serves record pages'
history (:mod:`site_builder.history.log`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from site_builder.config import RegisterConfig
from site_builder.formatting import format_date, format_money, format_number, load_codelist_labels
from site_builder.indicators import INDICATORS
from site_builder.load import RECORD_FOLDERS, SourceFile, YamlProblem, parse_yaml
from site_builder.model import build_model

TYPE_NOUNS = {"organisation": "Organisation", "tender": "Tender", "award": "Award", "outcome": "Outcome",
              "measure": "Measure"}
TYPE_ORDER = ("tender", "award", "outcome", "organisation", "measure")
#: fields that name organisations: shown by name
ORGANISATION_FIELDS = frozenset({"buyer", "suppliers", "reported_by"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_LONG_TEXT = 80  # longer text is summarised as "changed" in the one-line form (the JSON keeps both versions)
_RENAME_SIMILARITY = 0.6  # share of a removed record's fields found unchanged in an added one to call it a rename


# --------------------------------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class FieldChange:
    """One field's change. ``path`` is a JSON Pointer-like path ('/value', '/commitments/C2/target/quantity');
    ``label`` and ``old_text``/``new_text`` are what people read; ``old``/``new`` the raw values (None when absent)."""

    path: str
    label: str
    kind: str  # "changed", "added" (the field was set) or "removed" (the field was cleared)
    old: Any
    new: Any
    old_text: str
    new_text: str
    note: str = ""  # e.g. "+33%"

    def sentence(self) -> str:
        if self.kind == "added":
            return f"{self.label} added: {self.new_text}" if self.new_text else f"{self.label} added"
        if self.kind == "removed":
            return f"{self.label} removed (was {self.old_text})" if self.old_text else f"{self.label} removed"
        if not self.old_text and not self.new_text:
            return f"{self.label} changed"
        text = f"{self.label} {self.old_text} → {self.new_text}"
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class RecordChange:
    """One record added, removed, renamed or changed."""

    kind: str  # "added", "removed", "renamed", "changed"
    record_type: str
    record_id: str
    summary: str  # the record in one line, as the site would describe it ("Waste collection, £1,200,000 to ...")
    title: str  # its title (or name, or id)
    path: str
    old_id: str | None = None  # for a rename
    old_path: str | None = None
    fields: tuple[FieldChange, ...] = ()

    @property
    def noun(self) -> str:
        return TYPE_NOUNS.get(self.record_type, self.record_type.capitalize())


@dataclass(frozen=True)
class FigureChange:
    """A computed figure that moves because of the change: a commitment's status, an indicator flag."""

    kind: str  # "commitment-status", "indicator-raised", "indicator-cleared"
    record_type: str
    record_id: str
    text: str


@dataclass
class RegisterDiff:
    base: str
    head: str
    records: list[RecordChange] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. why figures were not compared, files that do not parse

    def count(self, kind: str) -> int:
        return sum(1 for r in self.records if r.kind == kind)

    @property
    def empty(self) -> bool:
        return not self.records and not self.figures


# --------------------------------------------------------------------------------------------------------------------
# labels and values


@cache
def _codelist_paths(schemas_dir: Path, record_type: str) -> dict[str, str]:
    """Generic field path ('/status', '/commitments/*/status') → codelist name, read from the record's schema."""
    found: dict[str, str] = {}
    loaded: dict[str, Any] = {}

    def schema(name: str) -> Any:
        if name not in loaded:
            try:
                loaded[name] = json.loads((schemas_dir / name).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded[name] = {}
        return loaded[name]

    def walk(node: Any, current_file: str, path: str, depth: int) -> None:
        if not isinstance(node, dict) or depth > 12:
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            file_part, _, pointer = ref.partition("#")
            if file_part == "codelists.schema.json":
                found.setdefault(path, pointer.rsplit("/", 1)[-1])
                return
            target: Any = schema(file_part or current_file)
            for token in (t for t in pointer.split("/") if t):
                target = target.get(token, {}) if isinstance(target, dict) else {}
            walk(target, file_part or current_file, path, depth + 1)
        for name, sub in (node.get("properties") or {}).items():
            walk(sub, current_file, f"{path}/{name}", depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], current_file, f"{path}/*", depth + 1)

    walk(schema(f"{record_type}.schema.json"), f"{record_type}.schema.json", "", 0)
    return found


def _words(name: str) -> str:
    return name.replace("_", " ")


def _is_money(value: Any) -> bool:
    return isinstance(value, Mapping) and "amount" in value and set(value) <= {"amount", "currency"}


def _is_period(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) <= {"start_date", "end_date"} and bool(value)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class Describer:
    """Formats record values the way the site shows them, given both versions' organisation names."""

    def __init__(self, schemas_dir: Path, names: Mapping[str, str]):
        self.schemas_dir = schemas_dir
        self.names = names
        self.labels = load_codelist_labels(schemas_dir)

    def org(self, org_id: Any) -> str:
        return self.names.get(str(org_id), str(org_id))

    def value(self, record_type: str, generic: str, field_name: str, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if _is_money(value):
            return format_money(value)
        if _is_period(value):
            start, end = format_date(value.get("start_date")), format_date(value.get("end_date"))
            return f"{start} to {end}" if start and end else start or end
        if field_name in ORGANISATION_FIELDS and isinstance(value, str):
            return self.org(value)
        if isinstance(value, str):
            codelist = _codelist_paths(self.schemas_dir, record_type).get(generic)
            if codelist:
                return self.labels.get(codelist, {}).get(value, value)
            if _ISO_DATE.match(value):
                return format_date(value)
            return f"“{value}”" if " " in value.strip() else value  # words are quoted; ids and codes are not
        if isinstance(value, (int, float)):
            codelist = _codelist_paths(self.schemas_dir, record_type).get(generic)
            if codelist:
                return self.labels.get(codelist, {}).get(str(value), format_number(value))
            return format_number(value)
        if isinstance(value, list) and all(not isinstance(v, (Mapping, list)) for v in value):
            return ", ".join(self.value(record_type, f"{generic}/*", field_name, v) for v in value)
        return _item_name(value)

    @staticmethod
    def title(data: Mapping[str, Any]) -> str:
        return str(data.get("title") or data.get("name") or data.get("id") or "")

    def summary(self, record_type: str, data: Mapping[str, Any]) -> str:
        """The record in one line: what its page's heading and key facts say."""
        title = self.title(data)
        if record_type == "award":
            parts = [title]
            if _is_money(data.get("value")):
                parts.append(format_money(data["value"]))
            text = ", ".join(p for p in parts if p)
            suppliers = [self.org(s) for s in data.get("suppliers") or [] if isinstance(s, str)]
            return f"{text} to {' and '.join(suppliers)}" if suppliers else text
        if record_type == "tender":
            parts = [title, self.org(data.get("buyer")) if data.get("buyer") else ""]
            if _is_money(data.get("value")):
                parts.append(f"estimated {format_money(data['value'])}")
            return ", ".join(p for p in parts if p)
        if record_type == "outcome":
            delivered: Mapping[str, Any] = data["delivered"] if isinstance(data.get("delivered"), Mapping) else {}
            quantity = f"{format_number(delivered.get('quantity'))} {delivered.get('unit', '')}".strip()
            period = data.get("period")
            when = f" for {self.value('outcome', '/period', 'period', period)}" if _is_period(period) else ""
            return (f"{quantity} delivered against commitment {data.get('commitment')} of award "
                    f"{data.get('award')}{when}")
        if record_type == "measure":
            return f"{data.get('code')}: {title}" if data.get("code") and data.get("code") != data.get("id") else title
        return title


def _item_name(item: Any) -> str:
    if isinstance(item, Mapping):
        for key in ("title", "name", "description", "id", "type", "url"):
            if isinstance(item.get(key), str) and item.get(key):
                text = str(item[key])
                return text if len(text) <= _LONG_TEXT else text[: _LONG_TEXT - 1].rstrip() + "…"
    return ""


def _percent(old: Any, new: Any) -> str:
    before, after = _decimal(old), _decimal(new)
    if before is None or after is None or before == 0:
        return ""
    change = (after - before) / before * 100
    sign = "+" if change > 0 else "-" if change < 0 else ""
    size = abs(change)
    if size >= 1 or size == 0:
        return f"{sign}{int(size.to_integral_value(rounding='ROUND_HALF_UP'))}%"
    tenth = size.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")  # small changes are not shown as 0%
    return f"{sign}{tenth}%" if tenth > 0 else f"{sign}<0.1%"


# --------------------------------------------------------------------------------------------------------------------
# field-level differences


def field_changes(record_type: str, old: Mapping[str, Any], new: Mapping[str, Any],
                  describer: Describer) -> list[FieldChange]:
    """Every difference between two versions of one record, in the order of the new record's fields."""
    changes: list[FieldChange] = []
    _diff_mapping(record_type, old, new, "", "", "", describer, changes)
    return changes


def _diff_mapping(record_type: str, old: Mapping[str, Any], new: Mapping[str, Any], path: str, generic: str,
                  prefix: str, describer: Describer, out: list[FieldChange]) -> None:
    keys = list(new) + [k for k in old if k not in new]
    for key in keys:
        if key == "id" and not path:
            continue  # a changed id is a rename, reported on the record itself
        _diff_value(record_type, old.get(key), new.get(key), f"{path}/{key}", f"{generic}/{key}",
                    f"{prefix}{_words(str(key))}", str(key), describer, out)


def _diff_value(record_type: str, old: Any, new: Any, path: str, generic: str, label: str, field_name: str,
                describer: Describer, out: list[FieldChange]) -> None:
    if old == new:
        return

    def text(value: Any) -> str:
        return describer.value(record_type, generic, field_name, value)

    if old is None or new is None:
        kind = "added" if old is None else "removed"
        out.append(FieldChange(path, label, kind, old, new, text(old), text(new)))
        return
    if _is_money(old) and _is_money(new):
        note = _percent(old.get("amount"), new.get("amount")) if old.get("currency") == new.get("currency") else ""
        out.append(FieldChange(path, label, "changed", old, new, text(old), text(new), note))
        return
    if _is_period(old) and _is_period(new):
        out.append(FieldChange(path, label, "changed", old, new, text(old), text(new)))
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        _diff_mapping(record_type, old, new, path, generic, f"{label} ", describer, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_list(record_type, old, new, path, generic, label, field_name, describer, out)
        return
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > _LONG_TEXT:
        out.append(FieldChange(path, label, "changed", old, new, "", ""))
        return
    note = _percent(old, new) if field_name in ("amount", "quantity") else ""
    out.append(FieldChange(path, label, "changed", old, new, text(old), text(new), note))


def _diff_list(record_type: str, old: list[Any], new: list[Any], path: str, generic: str, label: str,
               field_name: str, describer: Describer, out: list[FieldChange]) -> None:
    keyed = all(isinstance(i, Mapping) and isinstance(i.get("id"), str) for i in old + new)
    if keyed:  # commitments, KPIs: matched by their id
        old_by_id = {i["id"]: i for i in old}
        new_by_id = {i["id"]: i for i in new}
        noun = _words(field_name).removesuffix("s")
        for item_id in list(new_by_id) + [k for k in old_by_id if k not in new_by_id]:
            before, after = old_by_id.get(item_id), new_by_id.get(item_id)
            item_label = f"{noun} {item_id}"
            item_path = f"{path}/{item_id}"
            if before is None or after is None:
                kind = "added" if before is None else "removed"
                shown = _item_name(after if after is not None else before)
                shown = "" if shown == item_id else shown
                out.append(FieldChange(item_path, item_label, kind, before, after,
                                       shown if before is not None else "", shown if after is not None else ""))
            else:
                _diff_mapping(record_type, before, after, item_path, f"{generic}/*", f"{item_label} ", describer, out)
        return
    if all(not isinstance(i, (Mapping, list)) for i in old + new):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        if not added and not removed:  # same items, another order
            out.append(FieldChange(path, label, "changed", old, new, "", ""))
            return
        for value in added:
            out.append(FieldChange(path, label, "added", None, value, "",
                                   describer.value(record_type, f"{generic}/*", field_name, value)))
        for value in removed:
            out.append(FieldChange(path, label, "removed", value, None,
                                   describer.value(record_type, f"{generic}/*", field_name, value), ""))
        return
    # documents, notices, evaluation weights: items without ids, matched when equal, else by position
    if len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            if before == after:
                continue
            item_label = f"{label} {index + 1}"
            if isinstance(before, Mapping) and isinstance(after, Mapping):
                _diff_mapping(record_type, before, after, f"{path}/{index}", f"{generic}/*", f"{item_label} ",
                              describer, out)
            else:
                _diff_value(record_type, before, after, f"{path}/{index}", f"{generic}/*", item_label, field_name,
                            describer, out)
        return
    remaining = list(old)
    for index, item in enumerate(new):
        if item in remaining:
            remaining.remove(item)
        else:
            out.append(FieldChange(f"{path}/{index}", f"{label} item", "added", None, item, "", _item_name(item)))
    for item in remaining:
        out.append(FieldChange(f"{path}/-", f"{label} item", "removed", item, None, _item_name(item), ""))


# --------------------------------------------------------------------------------------------------------------------
# whole registers


def record_type_of_path(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) >= 3 and parts[-1].endswith(".yaml"):
        return RECORD_FOLDERS.get(parts[-2])
    return None


def parse_snapshot(snapshot: Mapping[str, bytes]) -> tuple[dict[str, tuple[str, dict[str, Any]]], list[str]]:
    """path → (record type, data) for the record files that parse; and the paths that do not."""
    parsed: dict[str, tuple[str, dict[str, Any]]] = {}
    broken: list[str] = []
    for path, source in snapshot.items():
        record_type = record_type_of_path(path)
        if record_type is None:
            continue
        try:
            data, _ = parse_yaml(source)
        except YamlProblem:
            broken.append(path)
            continue
        if isinstance(data, dict):
            parsed[path] = (record_type, data)
        else:
            broken.append(path)
    return parsed, broken


def _leaves(value: Any, path: str = "") -> set[tuple[str, str]]:
    if isinstance(value, Mapping):
        return {leaf for k, v in value.items() if not (k == "id" and not path) for leaf in _leaves(v, f"{path}/{k}")}
    if isinstance(value, list):
        return {leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}/{i}")}
    return {(path, json.dumps(value, sort_keys=True, default=str))}


def _similarity(old: Mapping[str, Any], new: Mapping[str, Any]) -> float:
    before, after = _leaves(old), _leaves(new)
    return len(before & after) / max(len(before | after), 1)


def _names(*parsed: Mapping[str, tuple[str, dict[str, Any]]]) -> dict[str, str]:
    names: dict[str, str] = {}
    for snapshot in parsed:  # the later version's name wins
        for record_type, data in snapshot.values():
            if record_type == "organisation" and isinstance(data.get("id"), str) and isinstance(data.get("name"), str):
                names[data["id"]] = data["name"]
    return names


def _record_id(data: Mapping[str, Any], path: str) -> str:
    value = data.get("id")
    return value if isinstance(value, str) else path.rsplit("/", 1)[-1].removesuffix(".yaml")


def diff_snapshots(base: Mapping[str, bytes], head: Mapping[str, bytes], config: RegisterConfig, *,
                   base_name: str = "base", head_name: str = "head", figures: bool = True,
                   as_of: date | None = None) -> RegisterDiff:
    """Records added, removed, renamed and changed from ``base`` to ``head``, and (``figures``) what that does to
    commitment statuses and indicator flags, computed for both versions on the same reference date."""
    result = RegisterDiff(base_name, head_name)
    changed_paths = {p for p in base.keys() | head.keys() if base.get(p) != head.get(p)}
    base_changed, _ = parse_snapshot({p: base[p] for p in changed_paths if p in base})
    head_changed, head_broken = parse_snapshot({p: head[p] for p in changed_paths if p in head})
    for path in sorted(head_broken):
        result.notes.append(f"{path} cannot be read as YAML at {head_name}; run `procure validate`")
    describer = Describer(config.schemas_dir, _names(*_organisations(base, head, base_changed, head_changed)))

    # a file that does not parse on one side is neither added nor removed: only the note above speaks of it
    removed = {p: base_changed[p] for p in base_changed if p not in head_changed and p not in head_broken}
    added = {p: head_changed[p] for p in head_changed if p not in base_changed and p not in base}
    renames: list[tuple[str, str]] = []
    for new_path, (new_type, new_data) in sorted(added.items()):
        best, best_score = None, _RENAME_SIMILARITY
        for old_path, (old_type, old_data) in sorted(removed.items()):
            if old_type == new_type and old_path not in {o for o, _ in renames}:
                score = _similarity(old_data, new_data)
                if score >= best_score:
                    best, best_score = old_path, score
        if best is not None:
            renames.append((best, new_path))
    renamed_old = {o for o, _ in renames}
    renamed_new = {n for _, n in renames}

    changes: list[RecordChange] = []
    for path, (record_type, data) in added.items():
        if path not in renamed_new:
            changes.append(RecordChange("added", record_type, _record_id(data, path),
                                        describer.summary(record_type, data), describer.title(data), path))
    for path, (record_type, data) in removed.items():
        if path not in renamed_old:
            changes.append(RecordChange("removed", record_type, _record_id(data, path),
                                        describer.summary(record_type, data), describer.title(data), path))
    for old_path, new_path in renames:
        record_type, old_data = removed[old_path]
        _, new_data = added[new_path]
        changes.append(RecordChange("renamed", record_type, _record_id(new_data, new_path),
                                    describer.summary(record_type, new_data), describer.title(new_data), new_path,
                                    old_id=_record_id(old_data, old_path), old_path=old_path,
                                    fields=tuple(field_changes(record_type, old_data, new_data, describer))))
    for path in sorted(set(base_changed) & set(head_changed)):
        record_type, old_data = base_changed[path]
        _, new_data = head_changed[path]
        fields = field_changes(record_type, old_data, new_data, describer)
        old_id, new_id = _record_id(old_data, path), _record_id(new_data, path)
        if fields or old_id != new_id:
            changes.append(RecordChange("changed", record_type, new_id, describer.summary(record_type, new_data),
                                        describer.title(new_data), path, old_id=old_id if old_id != new_id else None,
                                        fields=tuple(fields)))
    changes.sort(key=lambda c: (TYPE_ORDER.index(c.record_type) if c.record_type in TYPE_ORDER else 9,
                                ("added", "renamed", "changed", "removed").index(c.kind), c.record_id))
    result.records = changes
    if figures and changed_paths:
        result.figures, note = figure_changes(base, head, config, as_of or config.reference_date())
        if note:
            result.notes.append(note)
    return result


def _organisations(base: Mapping[str, bytes], head: Mapping[str, bytes],
                   *changed: Mapping[str, tuple[str, dict[str, Any]]]) -> Iterable[Mapping[str, tuple[str, Any]]]:
    """Organisation records of both versions (names for ids), parsing only the organisation files."""
    for snapshot in (base, head):
        yield parse_snapshot({p: s for p, s in snapshot.items() if record_type_of_path(p) == "organisation"})[0]
    yield from changed


def figure_changes(base: Mapping[str, bytes], head: Mapping[str, bytes], config: RegisterConfig,
                   as_of: date) -> tuple[list[FigureChange], str | None]:
    """Commitment statuses and indicator flags that differ between the two versions' computed figures."""
    models = []
    for snapshot in (base, head):
        parsed, broken = parse_snapshot(snapshot)
        if broken:
            return [], "computed figures were not compared: some record files do not parse"
        files = [SourceFile(path, record_type, snapshot[path], data) for path, (record_type, data) in parsed.items()]
        try:
            models.append(build_model(files, config, as_of))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            # a register that does not validate may not model; the validator says why
            return [], f"computed figures were not compared: the register does not build ({type(exc).__name__})"
    before, after = models
    changes: list[FigureChange] = []
    old_sv = before.social_value.by_commitment if before.social_value else {}
    new_sv = after.social_value.by_commitment if after.social_value else {}
    for key in sorted(old_sv.keys() & new_sv.keys()):
        if old_sv[key].status != new_sv[key].status:
            award_id, commitment_id = key
            changes.append(FigureChange("commitment-status", "award", award_id,
                                        f"commitment {commitment_id} of award {award_id}: "
                                        f"{old_sv[key].status_label} → {new_sv[key].status_label}"))
    for key in sorted(new_sv.keys() - old_sv.keys()):
        award_id, commitment_id = key
        changes.append(FigureChange("commitment-status", "award", award_id,
                                    f"commitment {commitment_id} of award {award_id} (new): "
                                    f"{new_sv[key].status_label}"))
    def flags(model: Any) -> dict[tuple[str, str, str], str]:
        results = model.indicators.by_record if model.indicators else {}
        return {(f.code, f.record_type, f.record_id): f.detail for flag_list in results.values() for f in flag_list}

    old_flags, new_flags = flags(before), flags(after)
    for kind, keys, details in (("indicator-raised", new_flags.keys() - old_flags.keys(), new_flags),
                                ("indicator-cleared", old_flags.keys() - new_flags.keys(), old_flags)):
        for code, record_type, record_id in sorted(keys):
            title = INDICATORS[code].title if code in INDICATORS else code
            verb = "raised" if kind == "indicator-raised" else "cleared"
            changes.append(FigureChange(kind, record_type, record_id,
                                        f"indicator {verb} on {record_type} {record_id}: {title} "
                                        f"({details[(code, record_type, record_id)]})"))
    return changes, None
