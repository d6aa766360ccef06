"""Generate a realistic synthetic register of N records, for benchmarks and scale tests.

    python tests/benchmarks/generate.py OUT --records 100000 [--seed 1]

writes ``OUT/records/<folder>/<id>.yaml`` (about N files: ~5% organisations, 25% tenders, 22% awards with their
social-value commitments, ~46% outcomes and a small measure catalogue), a copy of ``schemas/``, the repository's
``mkdocs.yml`` and its hand-written ``docs/*.md`` pages, so ``procure validate --root OUT`` and
``procure build --root OUT`` run on it.

Everything is deterministic for a given seed (one ``random.Random``) and valid under every rule of the register
(unique ids, resolving references, ordered dates, outcome periods inside the contract, outcome unit equal to the
commitment's, cumulative figures never decreasing, evidence behind validated figures, a valuation behind every
monetised figure). YAML is written by a small text emitter (``emit_yaml``) rather than ``yaml.dump``, which is
~20x slower; this module needs nothing beyond the standard library so a benchmark can run it anywhere.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
#: the reference date statuses are designed against (mkdocs.yml pins ``as_of`` to it for the demonstration)
AS_OF = date(2026, 11, 1)
LOCAL_AREA = {"name": "Greenbridge", "local_authority_code": "E07000901"}

# --------------------------------------------------------------------------------------------------------------
# A small YAML emitter: block style, keys in the order given, quoting only where YAML would misread the text.
# --------------------------------------------------------------------------------------------------------------

_NUMBER_LIKE = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z|0o[0-7]+\Z|0x[0-9a-fA-F]+\Z"
    r"|[-+]?\.(inf|Inf|INF)\Z|\.(nan|NaN|NAN)\Z|[0-9][0-9_:]*\Z"
)
# YAML 1.1 booleans and nulls are quoted too, so older tools read the same text as the register does
_RESERVED = {"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
             "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N"}
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]*\Z")
WRAP_AT = 100


_UNSAFE_INSIDE = re.compile(r"[\n\r\t\x85\u2028\u2029]|: | #|:\Z")
_BREAKS = re.compile("[\n\r\t\x85\u2028\u2029\ufeff]")
# characters YAML does not allow raw (controls, C1, non-characters) or reads as line breaks: escaped in quotes
_NOT_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_plain_cache: dict[str, bool] = {}


def _plain_ok(text: str) -> bool:
    """True when the text can be written without quotes and reads back as the same string."""
    known = _plain_cache.get(text)
    if known is None:
        known = not (
            text in _RESERVED
            or text != text.strip()
            or text[0] in _INDICATORS
            or _NUMBER_LIKE.match(text)
            or _UNSAFE_INSIDE.search(text)
            or _NOT_RAW.search(text)
        )
        if len(_plain_cache) < 100_000:  # short, repeated values (codes, units, names) are most of a record
            _plain_cache[text] = known
    return known


def format_scalar(value: Any) -> str:
    """One scalar as YAML text that reads back as exactly the same value under the register's loader."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    return text if _plain_ok(text) else quote(text)


def quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML), escaping what YAML would not read back."""
    return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _folded(text: str, width: int) -> list[str] | None:
    """Long prose as a folded block (``>-``), as people write it by hand, when folding gives the text back exactly."""
    if (len(text) <= width or "  " in text or text != text.strip() or text.startswith("#") or _BREAKS.search(text)
            or _NOT_RAW.search(text)):
        return None
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return lines if " ".join(lines) == text else None


def _emit_mapping(data: dict[str, Any], pad: str, out: list[str]) -> None:
    for key, value in data.items():
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            _emit_mapping(value, pad + "  ", out)
        elif isinstance(value, list):
            if not value:
                out.append(f"{pad}{key}: []")
            elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value) or (
                len(value) <= 6 and all(isinstance(v, str) and _FLOW_SAFE.match(v) and len(v) < 40 for v in value)
            ):
                out.append(f"{pad}{key}: [{', '.join(format_scalar(v) for v in value)}]")
            else:
                out.append(f"{pad}{key}:")
                _emit_sequence(value, pad + "  ", out)
        elif isinstance(value, str) and (folded := _folded(value, WRAP_AT - len(pad) - 2)):
            out.append(f"{pad}{key}: >-")
            out.extend(f"{pad}  {line}" for line in folded)
        else:
            out.append(f"{pad}{key}: {format_scalar(value)}")


def _emit_sequence(items: list[Any], pad: str, out: list[str]) -> None:
    for item in items:
        if isinstance(item, dict):
            start = len(out)
            _emit_mapping(item, pad + "  ", out)
            out[start] = f"{pad}- " + out[start][len(pad) + 2:]
        elif isinstance(item, list):
            raise ValueError("nested lists are not used in records")
        else:
            out.append(f"{pad}- {format_scalar(item)}")


def emit_yaml(data: dict[str, Any]) -> str:
    """A record as block-style YAML text, keys in the order given."""
    out: list[str] = []
    _emit_mapping(data, "", out)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------------------
# Vocabulary shared with the demonstration register (make_demo.py)
# --------------------------------------------------------------------------------------------------------------

#: (code, title, unit, theme, sdgs, proxy £/unit or None) — the register's local catalogue
LOCAL_MEASURES: list[tuple[str, str, str, str, list[int], float | None]] = [
    ("GSV-01", "Local people employed on the contract", "fte", "jobs", [8], 28_940.0),
    ("GSV-02", "Long-term unemployed people hired", "fte", "jobs", [1, 8, 10], 20_520.0),
    ("GSV-03", "Young people not in education, employment or training hired", "fte", "jobs", [4, 8], 15_430.0),
    ("GSV-04", "Care leavers hired", "fte", "equality", [1, 10], 15_430.0),
    ("GSV-05", "Disabled people employed on the contract", "fte", "equality", [8, 10], 17_840.0),
    ("GSV-06", "Apprenticeship weeks on the contract", "weeks", "skills", [4, 8], 236.0),
    ("GSV-07", "Training weeks towards level 2 to 4 qualifications", "weeks", "skills", [4], 339.0),
    ("GSV-08", "Work placement weeks for local residents", "weeks", "skills", [4, 8], 187.0),
    ("GSV-09", "Careers talks and mentoring in local schools", "hours-x-attendees", "skills", [4], 4.37),
    ("GSV-10", "Spend with suppliers based in Greenbridge", "gbp", "growth", [8, 11], None),
    ("GSV-11", "Spend with voluntary, community and social enterprises", "gbp", "growth", [8, 17], None),
    ("GSV-12", "Spend with small and medium-sized enterprises in the supply chain", "gbp", "growth", [8, 9], None),
    ("GSV-13", "Expert advice given to local VCSEs and small businesses", "hours", "growth", [17], 101.0),
    ("GSV-14", "Staff volunteering on local community projects", "hours", "social", [11, 17], 16.93),
    ("GSV-15", "Donations and in-kind support to local community groups", "gbp", "social", [1, 11], None),
    ("GSV-16", "Residents taking part in health and wellbeing programmes", "people", "social", [3], None),
    ("GSV-17", "Carbon emissions saved on the contract", "tco2e", "environment", [13], 248.0),
    ("GSV-18", "Waste diverted from landfill through reuse and recycling", "tonnes", "environment", [12], 92.0),
    ("GSV-19", "Diesel vehicle miles replaced by zero-emission vehicles", "miles", "environment", [11, 13], 0.21),
    ("GSV-20", "Community events and activities delivered", "count", "social", [11, 16], None),
    ("GSV-21", "Pride in place and community trust (described benefit)", "count", "social", [11, 16], None),
]
#: (code, title, unit, theme, sdgs) — PPN 002 reporting metrics used by the NHS trust (not monetised)
PPN002_MEASURES: list[tuple[str, str, str, str, list[int]]] = [
    ("1a", "Full-time equivalent jobs created or retained under the contract", "fte", "jobs", [8]),
    ("2a", "Training opportunity weeks delivered under the contract", "weeks", "skills", [4, 8]),
    ("4a", "Greenhouse gas emissions reduced under the contract", "tco2e", "environment", [7, 13]),
    ("6a", "Disabled people employed under the contract", "fte", "equality", [8, 10]),
]
#: (code, unit, theme, sdgs) — National TOMs measures (an external scheme: not in the catalogue)
TOMS_MEASURES: list[tuple[str, str, str, list[int]]] = [
    ("NT1", "fte", "jobs", [8]),
    ("NT10", "weeks", "skills", [4, 8]),
    ("NT18", "gbp", "growth", [8, 11]),
    ("NT28", "hours", "social", [11, 17]),
    ("NT31", "tco2e", "environment", [13]),
]
#: (title, main CPV, category)
SUBJECTS: list[tuple[str, str, str]] = [
    ("Grounds maintenance", "77313000", "services"),
    ("School meals catering", "55523100", "services"),
    ("Home care for adults", "85312400", "services"),
    ("IT managed service", "72514000", "services"),
    ("Highways resurfacing", "45233223", "works"),
    ("Community transport", "60112000", "services"),
    ("Office cleaning", "90919200", "services"),
    ("Waste collection vehicles", "34144511", "goods"),
    ("Street lighting LED replacement", "45316110", "works"),
    ("Temporary agency staff", "79620000", "services"),
    ("Library books and e-books", "22113000", "goods"),
    ("Leisure centre refurbishment", "45212200", "works"),
    ("Supported housing for young people", "85311000", "services"),
    ("Audit and assurance services", "79212000", "services"),
    ("Electric vehicle charging points", "31158100", "goods"),
]
_NAME_A = ["Ashford", "Beacon", "Brook", "Castle", "Clearwater", "Copper", "Elm", "Fairfield", "Harbour", "Hawthorn",
           "Kingfisher", "Meadow", "Northgate", "Oak", "Pennine", "Riverside", "Summit", "Thames", "Vale", "Willow"]
_NAME_B = ["Services", "Solutions", "Facilities", "Care", "Construction", "Digital", "Logistics", "Environmental",
           "Catering", "Transport", "Community", "Group"]
_NAME_C = ["Ltd", "Limited", "plc", "CIC", "Trust", "LLP"]


# --------------------------------------------------------------------------------------------------------------
# Dates and reporting periods
# --------------------------------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (day clipped to the month's length: only used with day 1 here)."""
    y, m = divmod(day.month - 1 + months, 12)
    return date(day.year + y, m + 1, min(day.day, 28))


FREQUENCY_MONTHS = {"quarterly": 3, "six-monthly": 6, "annual": 12}


def iter_periods(start: date, end: date, frequency: str) -> Iterator[tuple[date, date]]:
    """Reporting periods from the contract start, each ``frequency`` long, the last one cut at the contract end."""
    step = FREQUENCY_MONTHS[frequency]
    period_start = start
    while period_start <= end:
        period_end = min(add_months(period_start, step) - timedelta(days=1), end)
        yield period_start, period_end
        period_start = period_end + timedelta(days=1)


def period_label(start: date, end: date, frequency: str) -> str:
    """A short label for an outcome id: 2025Q3, 2025H1, FY2025-26 (April years) or 2025."""
    if frequency == "quarterly":
        return f"{end.year}Q{(end.month - 1) // 3 + 1}"
    if frequency == "six-monthly":
        return f"{end.year}H{1 if end.month <= 6 else 2}"
    if start.month == 4:
        return f"FY{start.year}-{str(start.year + 1)[2:]}"
    return f"{start.year}" if start.month == 1 else f"{start.year}-{start.month:02d}"


# --------------------------------------------------------------------------------------------------------------
# The synthetic register
# --------------------------------------------------------------------------------------------------------------

def _money(amount: float) -> dict[str, Any]:
    return {"amount": round(amount), "currency": "GBP"}


def _counts(n_records: int) -> dict[str, int]:
    measures = min(len(LOCAL_MEASURES), max(3, n_records // 40))
    rest = max(n_records - measures, 10)
    organisations = max(4, round(rest * 0.05))
    tenders = max(2, round(rest * 0.25))
    awards = max(2, min(round(rest * 0.22), tenders + rest // 10))
    outcomes = max(0, rest - organisations - tenders - awards)
    return {"measure": measures, "organisation": organisations, "tender": tenders, "award": awards, "outcome": outcomes}


class _Synthetic:
    def __init__(self, n_records: int, seed: int):
        self.rng = random.Random(seed)
        self.counts = _counts(n_records)
        self.files: list[tuple[str, str, dict[str, Any]]] = []  # (folder, id, data)

    def add(self, folder: str, data: dict[str, Any]) -> None:
        self.files.append((folder, data["id"], data))

    def build(self) -> None:
        rng = self.rng
        measures = LOCAL_MEASURES[: self.counts["measure"]]
        for code, title, unit, theme, sdgs, proxy in measures:
            m: dict[str, Any] = {"id": code, "scheme": "local", "scheme_version": "2024", "code": code, "title": title,
                                 "unit": unit, "theme": theme, "sdgs": sdgs}
            if proxy is not None:
                m["proxy"] = {"value_gbp_per_unit": proxy, "source": "Greenbridge local proxy values",
                              "version": "2024", "licence": "OGL-UK-3.0"}
            self.add("measures", m)

        n_orgs = self.counts["organisation"]
        n_buyers = max(2, min(20, n_orgs // 20))
        buyers, suppliers = [], []
        for i in range(n_orgs):
            is_buyer = i < n_buyers
            if is_buyer:
                name = f"{rng.choice(_NAME_A)} Borough Council {i + 1}"
                org: dict[str, Any] = {"id": f"buyer-{i + 1:04d}", "name": name,
                                       "identifier": {"scheme": "GB-LAE", "id": f"B{i + 1:04d}"},
                                       "organisation_type": "local-authority", "roles": ["buyer"],
                                       "local_authority_area": LOCAL_AREA}
                buyers.append(org["id"])
            else:
                suffix = rng.choice(_NAME_C)
                name = f"{rng.choice(_NAME_A)} {rng.choice(_NAME_B)} {suffix}"
                charity = suffix in ("CIC", "Trust")
                org = {"id": f"supplier-{i + 1:06d}", "name": name,
                       "identifier": {"scheme": "GB-CHC" if suffix == "Trust" else "GB-COH",
                                      "id": f"{1_000_000 + i}" if suffix == "Trust" else f"{10_000_000 + i:08d}"},
                       "organisation_type": {"CIC": "community-interest-company", "Trust": "charity"}.get(suffix, "company"),
                       "roles": ["supplier"], "is_sme": charity or rng.random() < 0.6, "is_vcse": charity}
                local = rng.random() < 0.35
                org["address"] = {"town": "Greenbridge" if local else rng.choice(["Leeds", "Bristol", "Manchester"]),
                                  "postcode": f"GB{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                                  "country": "GB"}
                org["local_authority_area"] = LOCAL_AREA if local else {"name": "Leeds", "local_authority_code": "E08000035"}
                suppliers.append(org["id"])
            self.add("organisations", org)

        tenders = []
        for i in range(self.counts["tender"]):
            subject, cpv, category = rng.choice(SUBJECTS)
            published = date(2021, 1, 4) + timedelta(days=rng.randint(0, 365 * 5 + 200))
            start = published + timedelta(days=rng.randint(0, 3))
            end = start + timedelta(days=rng.randint(14, 45))
            tid = f"T-{published.year}-{i + 1:06d}"
            t: dict[str, Any] = {"id": tid, "ocid": f"ocds-gbr001-{tid}", "title": f"{subject} lot {i % 7 + 1}",
                                 "buyer": rng.choice(buyers), "status": "complete",
                                 "procurement_method": rng.choice(["open", "open", "selective", "limited"]),
                                 "main_category": category, "cpv": [cpv],
                                 "legal_basis": "PA2023" if published >= date(2025, 2, 24) else "PCR2015",
                                 "value": _money(rng.choice([1, 2, 5, 10, 25, 60]) * rng.uniform(20_000, 90_000)),
                                 "published": published, "tender_period": {"start_date": start, "end_date": end},
                                 "suitable_for_sme": rng.random() < 0.7,
                                 "social_value_weighting_pct": rng.choice([10, 10, 15, 20]),
                                 "social_value_themes": rng.sample(["jobs", "skills", "growth", "social", "environment"], 2)}
            if t["procurement_method"] == "limited":  # no random draw here: the sequence stays as it was
                t["justification"] = {"ground": "below-threshold",
                                      "explanation": "Suppliers invited under the buyer's contract standing orders."}
            if rng.random() < 0.4:
                t["community_engagement"] = [{"type": "market-engagement-event",
                                              "date": published - timedelta(days=rng.randint(20, 90)),
                                              "description": "Market engagement event for potential bidders.",
                                              "participants": rng.randint(5, 60)}]
            tenders.append(t)
        n_awarded = min(len(tenders), round(self.counts["award"] * 0.9))
        for t in tenders[n_awarded:]:
            t["status"] = rng.choice(["active", "planning", "cancelled", "unsuccessful"])
        for t in tenders:
            t["published"] = t["published"].isoformat()
            t["tender_period"] = {k: v.isoformat() for k, v in t["tender_period"].items()}
            for e in t.get("community_engagement", ()):
                e["date"] = e["date"].isoformat()
            self.add("tenders", t)

        outcome_quota = self.counts["outcome"]
        n_awards = self.counts["award"]
        for i in range(n_awards):
            tender = tenders[i] if i < n_awarded else None
            if tender is not None:
                after = date.fromisoformat(tender["tender_period"]["end_date"])
            else:
                after = date(2021, 3, 1) + timedelta(days=rng.randint(0, 365 * 5))
            award_date = after + timedelta(days=rng.randint(14, 60))
            # contracts start on the first day of a quarter, as most public contracts do
            q_start = date(award_date.year, ((award_date.month - 1) // 3) * 3 + 1, 1)
            contract_start = add_months(q_start, 3)
            contract_end = add_months(contract_start, 12 * rng.randint(1, 5)) - timedelta(days=1)
            aid = f"AW-{award_date.year}-{i + 1:06d}"
            value = tender["value"]["amount"] * rng.uniform(0.8, 1.1) if tender else rng.uniform(20_000, 400_000)
            supplier = rng.choice(suppliers)
            a: dict[str, Any] = {"id": aid}
            if tender:
                a["tender"] = tender["id"]
                a["ocid"] = tender["ocid"]
            else:
                a["procedure"] = {"method": "direct", "legal_basis": "other", "justification": {
                    "ground": "below-threshold", "explanation": "Single quotation under contract standing orders."}}
            a.update({"buyer": tender["buyer"] if tender else rng.choice(buyers),
                      "title": tender["title"] if tender else f"{rng.choice(SUBJECTS)[0]} (direct award)",
                      "status": "active", "date": award_date.isoformat(),
                      "published": (award_date + timedelta(days=rng.randint(1, 20))).isoformat(),
                      "value": _money(value), "suppliers": [supplier],
                      "number_of_tenderers": rng.randint(1, 8) if tender else 1,
                      "contract_status": "terminated" if contract_end < AS_OF else "active",
                      "contract_period": {"start_date": contract_start.isoformat(), "end_date": contract_end.isoformat()},
                      "date_signed": (award_date + timedelta(days=rng.randint(1, 10))).isoformat()})
            if tender:
                sv = tender["social_value_weighting_pct"]
                a["evaluation_weights"] = [{"name": "Price", "kind": "price", "weight_pct": 100 - 30 - sv},
                                           {"name": "Quality", "kind": "quality", "weight_pct": 30},
                                           {"name": "Social value", "kind": "social-value", "weight_pct": sv}]
            commitments = []
            outcomes_here = round(outcome_quota / max(1, n_awards - i))
            n_commitments = rng.randint(1, 4)
            for c_index in range(n_commitments):
                cid = f"C{c_index + 1}"
                frequency = rng.choice(["quarterly", "six-monthly", "annual", "annual"])
                if rng.random() < 0.8 or len(measures) == 0:
                    code, title, unit, theme, sdgs, proxy = rng.choice(measures) if measures else LOCAL_MEASURES[0]
                    scheme, version = "local", "2024"
                else:
                    code, unit, theme, sdgs = rng.choice(TOMS_MEASURES)
                    title, proxy, scheme, version = code, None, "national-toms", "2024"
                target = {"gbp": rng.randint(5, 200) * 1000, "fte": rng.randint(1, 12), "weeks": rng.randint(20, 300),
                          "hours": rng.randint(50, 600), "tco2e": rng.randint(5, 120)}.get(unit, rng.randint(5, 80))
                c: dict[str, Any] = {"id": cid, "measure": {"scheme": scheme, "scheme_version": version, "code": code},
                                     "theme": theme, "sdgs": sdgs,
                                     "description": f"{title}: {target} {unit} over the contract.",
                                     "target": {"quantity": target, "unit": unit, "basis": "whole-contract"},
                                     "reporting_frequency": frequency, "in_contract": True, "status": "contracted"}
                if proxy is not None and rng.random() < 0.5:
                    c["valuation"] = {"proxy_value_gbp_per_unit": proxy, "proxy_source": "Greenbridge local proxy values",
                                      "proxy_version": "2024"}
                commitments.append(c)
                periods = [p for p in iter_periods(contract_start, contract_end, frequency) if p[1] < AS_OF - timedelta(days=20)]
                wanted = -(-outcomes_here // (n_commitments - c_index))  # this award's remaining share, rounded up
                share = max(0, min(len(periods), wanted, outcome_quota))
                outcomes_here -= share
                cumulative = 0.0
                for start, end in periods[:share]:
                    quantity = round(target / max(1, len(periods)) * rng.uniform(0.4, 1.4), 1 if unit != "gbp" else 0)
                    cumulative = round(cumulative + quantity, 2)
                    assurance = rng.choice(["self-reported", "buyer-validated", "independently-verified"])
                    o: dict[str, Any] = {"id": f"OC-{aid[3:]}-{cid}-{period_label(start, end, frequency)}",
                                         "award": aid, "commitment": cid,
                                         "period": {"start_date": start.isoformat(), "end_date": end.isoformat()},
                                         "reported_on": min(end + timedelta(days=rng.randint(5, 19)), AS_OF).isoformat(),
                                         "reported_by": supplier,
                                         "delivered": {"quantity": quantity, "unit": unit, "cumulative_to_date": cumulative},
                                         "rating": rng.choice(["good", "good", "approaching-target", "requires-improvement", "inadequate"]),
                                         "assurance": assurance}
                    if assurance != "self-reported":
                        o["evidence"] = [{"type": "report", "title": f"Delivery report {end.isoformat()}",
                                          "url": f"https://www.greenbridge.gov.uk/evidence/{aid}/{cid}/{end.isoformat()}.pdf"}]
                    if "valuation" in c:
                        o["monetised_value_gbp"] = round(quantity * c["valuation"]["proxy_value_gbp_per_unit"], 2)
                    o["narrative"] = f"Delivery for the period to {end.isoformat()} against the {unit} target."
                    self.add("outcomes", o)
                    outcome_quota -= 1
            if commitments:
                a["commitments"] = commitments
            self.add("awards", a)


def copy_scaffolding(out_dir: Path) -> None:
    """schemas/, mkdocs.yml (with its plugin block) and the hand-written docs pages, so the folder is a register."""
    shutil.copytree(REPO_ROOT / "schemas", out_dir / "schemas", dirs_exist_ok=True)
    shutil.copy2(REPO_ROOT / "mkdocs.yml", out_dir / "mkdocs.yml")
    (out_dir / "docs").mkdir(exist_ok=True)
    for page in (REPO_ROOT / "docs").glob("*.md"):
        shutil.copy2(page, out_dir / "docs" / page.name)


def write_records(out_dir: Path, files: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Replace ``out_dir/records`` with the given records, one YAML file per record."""
    records = out_dir / "records"
    if records.exists():
        shutil.rmtree(records)
    for folder in ("organisations", "tenders", "awards", "outcomes", "measures"):
        (records / folder).mkdir(parents=True)
    for folder, record_id, data in files:
        (records / folder / f"{record_id}.yaml").write_text(emit_yaml(data), encoding="utf-8")


def generate_register(out_dir: Path, n_records: int, seed: int = 1) -> None:
    """Write a complete synthetic register of about ``n_records`` record files into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    synthetic = _Synthetic(n_records, seed)
    synthetic.build()
    write_records(out_dir, synthetic.files)
    copy_scaffolding(out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write the register into (its records/ is replaced)")
    parser.add_argument("--records", type=int, default=10_000, help="about how many record files to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate_register(args.out, args.records, args.seed)
    written = sum(1 for _ in (args.out / "records").rglob("*.yaml"))
    print(f"{written} records written to {args.out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
