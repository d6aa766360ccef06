"""Issue 16: the GitHub workflows do not run a pull request's code with privileges (read as data: the YAML itself)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from site_builder.cli import cli

ROOT = Path(__file__).parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); the tests only look at jobs and permissions
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(job: dict) -> list[dict]:
    return list(job["steps"])


def test_every_checkout_keeps_no_credentials() -> None:
    checkouts = [step for name in ("validate.yml", "publish.yml") for job in workflow(name)["jobs"].values()
                 for step in steps(job) if str(step.get("uses", "")).startswith("actions/checkout@")]
    assert len(checkouts) >= 4
    assert all(step.get("with", {}).get("persist-credentials") is False for step in checkouts)


def test_nothing_installs_the_checkout_with_pip_directly() -> None:
    for name in ("validate.yml", "publish.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "pip install" not in text, name  # through the Makefile, so the lead's lock file applies


def test_validate_runs_the_base_branchs_tools_and_schemas_on_the_pull_requests_records() -> None:
    job = workflow("validate.yml")["jobs"]["validate"]
    runs = [step.get("run", "") for step in steps(job)]
    checkouts = [step for step in steps(job) if "checkout" in str(step.get("uses", ""))]
    trusted = [c for c in checkouts if c["with"].get("path") == "trusted"]
    assert trusted and "base.sha" in trusted[0]["with"]["ref"]
    assert any(run.strip() == "make -C trusted install" for run in runs)
    [check] = [run for run in runs if "procure validate" in run]
    assert check.split()[0] == "trusted/.venv/bin/procure"
    assert "--root pr" in check and "--schemas trusted/schemas" in check and "--no-cache" in check
    assert not any(run.startswith(("pr/", "cd pr", "make -C pr")) or " pr/.venv" in run for run in runs)


def test_only_the_deploy_job_can_publish() -> None:
    publish = workflow("publish.yml")
    assert publish["permissions"] == {"contents": "read"}
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert not any("run" in step for step in steps(deploy))  # the deploy job runs nothing from the repository
    assert [step["run"] for step in steps(build) if "run" in step] == ["make install", "make site"]


def test_a_pull_request_touching_more_than_records_needs_a_maintainer(tmp_path: Path, monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location("needs_maintainer", ROOT / ".github" / "scripts" / "needs_maintainer.py")
    assert spec and spec.loader
    policy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(policy)
    assert policy.needs_review(["records/awards/AW-1.yaml", "records/outcomes/OC-1.yaml"]) == []
    assert policy.needs_review(["records/awards/AW-1.yaml", "mkdocs.yml", "site_builder/validate.py", "schemas/x.json",
                                ".github/workflows/validate.yml", "records/awards/evil.py", "docs/index.md"]) == [
        ".github/workflows/validate.yml", "docs/index.md", "mkdocs.yml", "records/awards/evil.py", "schemas/x.json",
        "site_builder/validate.py"]
    changed = tmp_path / "changed.txt"
    changed.write_text("records/awards/AW-1.yaml\nmkdocs.yml\n")
    monkeypatch.delenv("APPROVED", raising=False)
    assert policy.main(["x", str(changed)]) == 1
    monkeypatch.setenv("APPROVED", "true")
    assert policy.main(["x", str(changed)]) == 0
    changed.write_text("records/awards/AW-1.yaml\n")
    monkeypatch.delenv("APPROVED")
    assert policy.main(["x", str(changed)]) == 0


def test_the_codeowners_file_covers_everything_but_records() -> None:
    lines = [line.split() for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[0][0] == "*" and len(lines[0]) == 2
    assert ["/records/"] in lines  # no owner: the base branch's validator checks records


def test_a_pull_request_cannot_loosen_the_schemas_it_is_checked_by(tmp_path: Path) -> None:
    pr = tmp_path / "pr"
    shutil.copytree(ROOT / "tests" / "cases" / "valid" / "minimal-register", pr)
    shutil.copytree(ROOT / "schemas", pr / "schemas")
    tender = pr / "records" / "tenders" / "T-2025-001.yaml"
    tender.write_text(tender.read_text().replace("status: complete", "status: anything-goes"))
    schema_path = pr / "schemas" / "tender.schema.json"
    schema = json.loads(schema_path.read_text())
    schema["properties"]["status"] = {"type": "string"}  # the pull request loosens its own copy of the schema
    schema_path.write_text(json.dumps(schema))
    own = CliRunner().invoke(cli, ["validate", "--root", str(pr), "--no-cache"])
    assert own.exit_code == 0  # what a workflow running the PR's own schemas would have said
    trusted = CliRunner().invoke(cli, ["validate", "--root", str(pr), "--no-cache", "--schemas", str(ROOT / "schemas")])
    assert trusted.exit_code == 1 and "error[schema/enum] /status" in trusted.output


def test_a_pull_request_cannot_point_validation_at_records_outside_the_register(tmp_path: Path) -> None:
    pr = tmp_path / "pr"
    shutil.copytree(ROOT / "tests" / "cases" / "valid" / "minimal-register", pr)
    shutil.copytree(ROOT / "tests" / "cases" / "valid" / "minimal-register" / "records", tmp_path / "clean")
    tender = pr / "records" / "tenders" / "T-2025-001.yaml"
    tender.write_text(tender.read_text().replace("status: complete", "status: anything-goes"))
    (pr / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - procure:\n      records_dir: ../clean\n")
    result = CliRunner().invoke(cli, ["validate", "--root", str(pr), "--no-cache", "--schemas", str(ROOT / "schemas")])
    assert result.exit_code == 1 and "records_dir leads outside the register" in result.output
