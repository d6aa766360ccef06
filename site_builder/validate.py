"""Validate stage (PLACEHOLDER — the validator work of issue 2 replaces this with the full rule set).

Interface: ``validate_register(config, paths=None) -> ValidationResult``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema_rs

from site_builder.config import RegisterConfig
from site_builder.errors import Problem, Severity
from site_builder.load import SourceFile, YamlProblem, iter_record_paths, parse_yaml, problem_from, record_type_of


@dataclass
class ValidationResult:
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


def validate_register(config: RegisterConfig, paths: list[Path] | None = None) -> ValidationResult:
    result = ValidationResult()
    schemas = {p.name: json.loads(p.read_text()) for p in config.schemas_dir.glob("*.schema.json")}
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
    validators = {n.removesuffix(".schema.json"): jsonschema_rs.validator_for(s, registry=registry, validate_formats=True)
                  for n, s in schemas.items()}
    for path in iter_record_paths(config.records_dir):
        rel = path.relative_to(config.root).as_posix()
        source = path.read_bytes()
        rtype = record_type_of(Path(rel).parts)
        try:
            data, _ = parse_yaml(source)
        except YamlProblem as exc:
            result.problems.append(problem_from(rel, exc))
            result.files.append(SourceFile(rel, rtype, source, None))
            continue
        result.files.append(SourceFile(rel, rtype, source, data))
        if rtype:
            for err in validators[rtype].iter_errors(data):
                ptr = "".join(f"/{p}" for p in err.instance_path)
                result.problems.append(Problem(rel, 1, 1, "schema/" + str(err.kind.__class__.__name__), ptr, err.message))
    result.problems.sort()
    return result
