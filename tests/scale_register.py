"""A register shaped to stress per-page work (issue 16): one supplier holding many awards, one award with many
commitments, one commitment with many delivery reports. Used by tests/test_page_budget.py and, at full size
(5,000 awards, 2,000 commitments, 10,000 reports), by ``python tests/scale_register.py OUT`` for the figures in
docs/performance.md."""

from __future__ import annotations

import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def write_scale_register(root: Path, awards: int, commitments: int, reports: int) -> Path:
    """Write the register into ``root`` (records/, schemas/, mkdocs.yml, docs/index.md)."""
    records = root / "records"
    for folder in ("organisations", "tenders", "awards", "outcomes", "measures"):
        (records / folder).mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Register\n", encoding="utf-8")
    (records / "organisations" / "buyer.yaml").write_text(
        "id: buyer\nname: Greenbridge Council\nidentifier:\n  scheme: GB-LAE\n  id: GRB\n"
        "organisation_type: local-authority\nroles: [buyer]\n", encoding="utf-8")
    (records / "organisations" / "supplier.yaml").write_text(
        "id: supplier\nname: Big Supplier Ltd\nidentifier:\n  scheme: GB-COH\n  id: \"01234567\"\n"
        "organisation_type: company\nroles: [supplier]\n", encoding="utf-8")
    (records / "measures" / "JOBS1.yaml").write_text(
        "id: JOBS1\nscheme: local\nscheme_version: \"2025\"\ncode: JOBS1\ntitle: Local people employed\n"
        "unit: fte\ntheme: jobs\nsdgs: [8]\n", encoding="utf-8")
    for n in range(awards):
        many = commitments if n == 0 else 1
        lines = [f"id: AW-{n:05d}", "buyer: buyer", f"title: Contract number {n}", "status: active",
                 "date: 2024-03-14", "value:", f"  amount: {1000 + n}", "  currency: GBP", "suppliers:", "  - supplier",
                 "contract_period:", "  start_date: 2024-04-01", "  end_date: 2034-03-31",
                 # no tender record, so the award states how its supplier was chosen (issue 13)
                 "procedure:", "  method: open", "  legal_basis: PA2023", "commitments:"]
        for c in range(many):
            lines += [f"  - id: C{c}", "    measure:", "      scheme: local", "      scheme_version: \"2025\"",
                      "      code: JOBS1", "    theme: jobs", "    sdgs: [8]", f"    description: Local jobs, pledge {c}",
                      "    target:", "      quantity: 6", "      unit: fte", "      basis: whole-contract", "      period:",
                      "        start_date: 2024-04-01", "        end_date: 2034-03-31",
                      "    reporting_frequency: annual"]
        (records / "awards" / f"AW-{n:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = date(2024, 4, 1)
    for r in range(reports):
        day = start + timedelta(days=r % 3000 // 1)  # one-day periods, in order, inside the contract
        lines = [f"id: OC-{r:05d}", "award: AW-00000", "commitment: C0", "period:", f"  start_date: {day}",
                 f"  end_date: {day}", f"reported_on: {min(day + timedelta(days=1), date(2034, 3, 31))}",
                 "delivered:", "  quantity: 1", "  unit: fte", "assurance: self-reported"]
        (records / "outcomes" / f"OC-{r:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


if __name__ == "__main__":  # python tests/scale_register.py OUT [awards commitments reports]
    sizes = [int(x) for x in sys.argv[2:5]] or [5000, 2000, 10000]
    write_scale_register(Path(sys.argv[1]), *sizes)
