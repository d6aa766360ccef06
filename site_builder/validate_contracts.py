"""Cross-field rules for the contract after award (issue 13): procedures and their justification, contract
changes, terminations and KPI assessments.

Each rule reads one record's facts (see ``FACT_FIELDS`` in validate.py) and returns :class:`RuleProblem` s; the
register-wide pass in ``validate.check_register`` calls them (``check_tender_contract`` and ``check_award_contract``
add them to its ``RuleContext``). They live apart, below validate.py in the import layers, so that they can be read
(and moved into a rule catalogue) as one group.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from site_builder.dates import parse_date
from site_builder.errors import RuleProblem

_NON_COMPETITIVE = ("direct", "limited")
_ENDED_TENDER = ("cancelled", "unsuccessful", "withdrawn")
#: the law each justification ground belongs to (grounds without a prefix fit any law)
_GROUND_LAW = {"pa23-": "PA2023", "pcr2015-": "PCR2015"}



def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _money(value: Any) -> str:
    m = _dict(value)
    amount = m.get("amount")
    text = f"{amount:,}" if isinstance(amount, (int, float)) and not isinstance(amount, bool) else str(amount)
    return f"{text} {m.get('currency')}"


def _justification(rel_path: str, method_pointer: str, method: Any, legal_basis: Any, justification: Any,
                   justification_pointer: str) -> Iterator[RuleProblem]:
    if method in _NON_COMPETITIVE and justification is None:
        words = "a direct award" if method == "direct" else "a limited procedure"
        yield RuleProblem(rel_path, method_pointer, "procedure/justification-missing",
                          f"{words} needs its legal justification", "add a justification with a ground (e.g. "
                          "pa23-single-supplier or below-threshold), an explanation in words and, where one was "
                          "published, the transparency_notice")
    ground = _dict(justification).get("ground")
    if isinstance(ground, str) and isinstance(legal_basis, str):
        for prefix, law in _GROUND_LAW.items():
            if ground.startswith(prefix) and legal_basis != law:
                yield RuleProblem(rel_path, f"{justification_pointer}/ground", "procedure/ground-law-mismatch",
                                  f"the ground '{ground}' belongs to {law} but the procedure's legal basis is "
                                  f"'{legal_basis}'", f"choose a ground of {legal_basis}, or correct the legal basis")


def check_tender(rel_path: str, facts: dict[str, Any]) -> list[RuleProblem]:
    problems = list(_justification(rel_path, "/procurement_method", facts.get("procurement_method"),
                                   facts.get("legal_basis"), facts.get("justification"), "/justification"))
    for i, event in enumerate(_list(facts.get("community_engagement"))):
        held, register_by = parse_date(_dict(event).get("date")), parse_date(_dict(event).get("register_by"))
        if held and register_by and register_by > held:
            problems.append(RuleProblem(rel_path, f"/community_engagement/{i}/register_by", "date/register-after-event",
                                        f"register_by ({register_by}) is after the event itself ({held})",
                                        "the last day to register comes before the event: check both dates"))
    plan = _dict(facts.get("forward_plan"))
    tender_date, start = parse_date(plan.get("expected_tender_date")), parse_date(plan.get("expected_contract_start"))
    if tender_date and start and start < tender_date:
        problems.append(RuleProblem(rel_path, "/forward_plan/expected_contract_start", "date/order",
                                    f"the contract is expected to start ({start}) before the tender is published "
                                    f"({tender_date})", "check the two expected dates"))
    termination = facts.get("termination")
    status = facts.get("status")
    if termination is not None and isinstance(status, str) and status not in _ENDED_TENDER:
        problems.append(RuleProblem(rel_path, "/termination", "termination/status",
                                    f"the procurement has a termination but its status is '{status}'",
                                    "set status to cancelled, unsuccessful or withdrawn, or remove termination",
                                    anchor="key"))
    return problems


def check_award(rel_path: str, facts: dict[str, Any]) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    add = problems.append
    procedure = facts.get("procedure")
    if facts.get("tender") is None and procedure is None:
        add(RuleProblem(rel_path, "", "procedure/missing",
                        "the award names no tender, so it must say how the supplier was chosen",
                        "add 'tender: <id>' if the tender is in the register; otherwise add a procedure with method "
                        "(e.g. direct), legal_basis and, for a direct or limited procedure, its justification",
                        anchor="key"))
    elif facts.get("tender") is not None and procedure is not None:
        add(RuleProblem(rel_path, "/procedure", "procedure/with-tender",
                        "the award names a tender and also states its own procedure",
                        "the tender states the procedure: remove 'procedure' here (put a justification on the "
                        "tender if it was direct or limited)", anchor="key"))
    elif isinstance(procedure, dict):
        if procedure.get("method") is None and procedure.get("not_stated") is None:
            add(RuleProblem(rel_path, "/procedure", "procedure/method-missing", "the procedure does not say its method",
                            "add method (open, selective, limited or direct); use not_stated only for imported "
                            "data that does not say", anchor="key"))
        elif procedure.get("method") is not None and procedure.get("not_stated") is not None:
            add(RuleProblem(rel_path, "/procedure/not_stated", "procedure/method-conflict",
                            "the procedure gives a method and also says it is not stated",
                            "remove not_stated", anchor="key"))
        problems += _justification(rel_path, "/procedure/method", procedure.get("method"),
                                   procedure.get("legal_basis"), procedure.get("justification"),
                                   "/procedure/justification")

    commitment_ids = {str(c.get("id")).lower() for c in _list(facts.get("commitments")) if isinstance(c, dict)}
    for i, kpi in enumerate(_list(facts.get("kpis"))):
        kid = _dict(kpi).get("id")
        if isinstance(kid, str) and kid.lower() in commitment_ids and _list(_dict(kpi).get("assessments")):
            add(RuleProblem(rel_path, f"/kpis/{i}/id", "kpi/same-id-as-commitment",
                            f"the KPI id '{kid}' is also the id of a social-value commitment of this award; their "
                            "ratings and delivery reports would be merged in the OCDS data",
                            "give KPIs their own ids, such as KPI1, KPI2"))
    period = _dict(facts.get("contract_period"))
    start, end = parse_date(period.get("start_date")), parse_date(period.get("end_date"))
    problems += _changes(rel_path, facts, end)
    current_end = end
    for change in _list(facts.get("changes")):
        current_end = parse_date(_dict(change).get("end_date_after")) or current_end

    termination = facts.get("termination")
    if isinstance(termination, dict):
        status = facts.get("contract_status")
        if status != "terminated":
            add(RuleProblem(rel_path, "/termination", "termination/status",
                            f"the contract has a termination but its contract_status is '{status}'",
                            "set contract_status to terminated, or remove termination", anchor="key"))
        ended = parse_date(termination.get("date"))
        if ended and start and ended < start:
            add(RuleProblem(rel_path, "/termination/date", "termination/outside-contract",
                            f"the termination date {ended} is before the contract started ({start})",
                            "a contract that never started is cancelled: set contract_status to cancelled instead"))
        elif ended and current_end and ended > current_end:
            add(RuleProblem(rel_path, "/termination/date", "termination/outside-contract",
                            f"the termination date {ended} is after the contract's end date ({current_end})",
                            "a contract that ran to its end date was not terminated early: remove termination"))
    return problems


def _changes(rel_path: str, facts: dict[str, Any], original_end: date | None) -> Iterator[RuleProblem]:
    """Each change continues from the one before: its 'before' figures are the contract as it then stood."""
    awarded = parse_date(facts.get("date"))
    value: Any = facts.get("value")
    end = original_end
    previous: date | None = None
    seen: dict[str, int] = {}
    for i, change in enumerate(_list(facts.get("changes"))):
        if not isinstance(change, dict):
            continue
        pointer = f"/changes/{i}"
        cid = change.get("id")
        if isinstance(cid, str):
            if cid.lower() in seen:
                yield RuleProblem(rel_path, f"{pointer}/id", "change/duplicate-id",
                                  f"the change id '{cid}' repeats the id of change {seen[cid.lower()] + 1} of this "
                                  "award; ids are compared ignoring upper/lower case",
                                  "give each change of an award its own id, such as CH1, CH2, CH3")
            else:
                seen[cid.lower()] = i
        when = parse_date(change.get("date"))
        if when and awarded and when < awarded:
            yield RuleProblem(rel_path, f"{pointer}/date", "change/before-award",
                              f"the change is dated {when}, before the award decision ({awarded})",
                              "a change modifies an awarded contract: check the date")
        if when and previous and when < previous:
            yield RuleProblem(rel_path, f"{pointer}/date", "change/out-of-order",
                              f"the change is dated {when}, before the change listed above it ({previous})",
                              "list changes oldest first, so each one's 'before' figures follow from the last")
        previous = when or previous
        kinds = _list(change.get("kinds"))
        if "value" in kinds:
            before, after = change.get("value_before"), change.get("value_after")
            if before is None or after is None:
                yield RuleProblem(rel_path, f"{pointer}/kinds", "change/missing-figures",
                                  "a change of value needs value_before and value_after",
                                  "add both, each with an amount and a currency")
            else:
                if isinstance(value, dict) and before != value:
                    yield RuleProblem(rel_path, f"{pointer}/value_before", "change/value-chain",
                                      f"value_before is {_money(before)} but the contract then stood at "
                                      f"{_money(value)}", "value_before is the award's value, or the value_after "
                                      "of the previous change of value")
                value = after
        elif change.get("value_before") is not None or change.get("value_after") is not None:
            yield RuleProblem(rel_path, f"{pointer}/kinds", "change/missing-kind",
                              "the change gives value figures but 'value' is not among its kinds",
                              "add value to kinds, or remove value_before and value_after")
        if "end-date" in kinds:
            before_d, after_d = change.get("end_date_before"), change.get("end_date_after")
            if before_d is None or after_d is None:
                yield RuleProblem(rel_path, f"{pointer}/kinds", "change/missing-figures",
                                  "a change of end date needs end_date_before and end_date_after",
                                  "add both, as YYYY-MM-DD")
            else:
                if end and parse_date(before_d) and parse_date(before_d) != end:
                    yield RuleProblem(rel_path, f"{pointer}/end_date_before", "change/end-date-chain",
                                      f"end_date_before is {before_d} but the contract then ended on {end}",
                                      "end_date_before is the contract period's end_date, or the end_date_after "
                                      "of the previous change of end date")
                end = parse_date(after_d) or end
        elif change.get("end_date_before") is not None or change.get("end_date_after") is not None:
            yield RuleProblem(rel_path, f"{pointer}/kinds", "change/missing-kind",
                              "the change gives end dates but 'end-date' is not among its kinds",
                              "add end-date to kinds, or remove end_date_before and end_date_after")


def check_call_off(rel_path: str, facts: dict[str, Any], framework_id: str,
                   framework: dict[str, Any]) -> list[RuleProblem]:
    """A call-off names the award of a framework agreement, goes to one of its suppliers, and is made while it runs."""
    if not isinstance(framework.get("framework_agreement"), dict):
        return [RuleProblem(rel_path, "/framework", "framework/not-a-framework",
                            f"award '{framework_id}' is not a framework agreement (it has no framework_agreement)",
                            f"name the framework's award, or add framework_agreement with its maximum_value to "
                            f"{framework_id}")]
    problems = []
    on_framework = set(_list(framework.get("suppliers")))
    for i, supplier in enumerate(_list(facts.get("suppliers"))):
        if isinstance(supplier, str) and on_framework and supplier not in on_framework:
            problems.append(RuleProblem(rel_path, f"/suppliers/{i}", "framework/supplier-not-on-framework",
                                        f"'{supplier}' is not a supplier of framework '{framework_id}' "
                                        f"({', '.join(sorted(map(str, on_framework)))})",
                                        "a call-off goes to a supplier on the framework: check the supplier or the "
                                        "framework"))
    period = _dict(framework.get("contract_period"))
    start, end = parse_date(period.get("start_date")), parse_date(period.get("end_date"))
    called = parse_date(facts.get("date"))
    if called and start and end and not (start <= called <= end):
        problems.append(RuleProblem(rel_path, "/date", "framework/call-off-outside-term",
                                    f"the call-off was made on {called}, outside the framework's term "
                                    f"({start} to {end})", "check the date, or the framework named"))
    return problems
