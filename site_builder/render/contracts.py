"""Template helpers for the contract after award (issue 13): display status, procedure and justification, contract
changes, terminations and KPI ratings on award, tender, organisation and list pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from site_builder import contracts, forward_plan
from site_builder.render.page import Page, SearchMeta

if TYPE_CHECKING:
    import jinja2

    from site_builder.model import Record, Registry

#: UK9 rating → CSS modifier (the rating is always written out too; colour is never the only signal)
RATING_CLASSES = {"good": "good", "approaching-target": "approaching", "requires-improvement": "improve",
                  "inadequate": "inadequate", "other": "other"}


def display_status(reg: Registry, award: Record) -> contracts.DisplayStatus:
    return contracts.display_status(award, reg.as_of)


def procedure_of(reg: Registry, award: Record) -> dict[str, Any]:
    """What the award page says about how the supplier was chosen."""
    return {"method": contracts.procedure_method(reg, award), "legal_basis": contracts.legal_basis(reg, award),
            "justification": contracts.justification(reg, award),
            "not_stated": (award.get("procedure") or {}).get("not_stated")}


def supplier_or_buyer_performance(reg: Registry, org: Record) -> dict[str, contracts.PerformanceSummary]:
    """KPI roll-up of an organisation's contracts, as supplier and as buyer (empty roles left out)."""
    out = {}
    for role, awards in (("supplier", reg.awards_by_supplier.get(org.id, ())),
                         ("buyer", reg.awards_by_buyer.get(org.id, ()))):
        summary = contracts.performance_of(list(awards))
        if summary.assessed:
            out[role] = summary
    return out


def install_template_helpers(env: jinja2.Environment) -> None:
    env.globals.update(
        contract_display_status=display_status, contract_procedure=procedure_of, contract_terms=contracts.terms_of,
        kpi_assessments=contracts.assessments_of, kpi_latest_ratings=contracts.latest_ratings,
        contract_performance=supplier_or_buyer_performance, rating_classes=RATING_CLASSES,
        framework_use=contracts.framework_use,
    )


PIPELINE_URL = "pipeline/"


def iter_pages(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    """/pipeline/: what is coming, for suppliers who want to take part."""
    from site_builder.render.records import org_name

    found = forward_plan.entries(reg)
    body = env.get_template("sections/pipeline.html").render(
        reg=reg, root="../", entries=found, org_name=lambda oid: org_name(reg, oid),
        categories=sorted({e.category for e in found if e.category}),
        bands=[label for _, label in forward_plan.VALUE_BANDS],
        feed_url="../data/feeds/pipeline.atom" if reg.config.site_url else None)
    yield Page(url=PIPELINE_URL, title="Coming up: planned procurements", body_html=body,
               description="Procurements the register's buyers are planning, with market engagement events and how "
                           "to take part.",
               search=SearchMeta(filters={"type": ("Pipeline",)}, meta={"type": "Pipeline"}), nav_title="Coming up")
