"""Issue 14 in real Chromium: the supplier ranking answers "biggest suppliers of buyer X in year Y", no page
scrolls sideways on a phone, and the new pages have no WCAG violation. Expected figures are worked out here
from the YAML files (read with PyYAML, not through the register's model)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
import yaml
from conftest import REPO_ROOT
from test_trust_accessibility import _axe, _theme_and_sdg_pages, page_types

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _yaml(folder: str) -> dict[str, dict]:
    found = {}
    for path in sorted((REPO_ROOT / "records" / folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[str(data["id"])] = data
    return found


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def _fy(day) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[2:]}"


def test_the_ranking_answers_biggest_suppliers_of_a_buyer_in_a_financial_year(page, site_url):
    awards = _yaml("awards")
    orgs = _yaml("organisations")
    # the busiest (buyer, financial year) in the demo register, and its suppliers' totals, from the YAML
    totals: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for a in awards.values():
        if a["status"] in ("active", "pending"):
            for s in a["suppliers"]:
                totals[(a["buyer"], _fy(a["date"]))][s] += Decimal(str(a["value"]["amount"]))
    (buyer, fy), by_supplier = max(totals.items(), key=lambda kv: (len(kv[1]), kv[0]))
    assert len(by_supplier) >= 3
    expected = sorted(by_supplier.items(), key=lambda kv: (-kv[1], orgs[kv[0]]["name"].casefold()))

    page.goto(site_url + "suppliers/")
    choices = page.get_by_role("navigation", name="Choose the buyer and the year")
    choices.get_by_role("link", name=orgs[buyer]["name"], exact=True).click()
    choices.get_by_role("link", name=fy, exact=True).click()
    assert page.url.endswith(f"suppliers/{buyer}/fy{fy}/")  # the choice is in the address, to share or bookmark
    rows = page.locator("table").first.locator("tbody tr")
    shown = [(rows.nth(i).locator("th").locator("a").inner_text(), rows.nth(i).locator("td").nth(2).inner_text())
             for i in range(rows.count())]
    assert shown == [(orgs[s]["name"], _pounds(v)) for s, v in expected]
    # every name leads to the supplier's own page, with its totals year by year
    first = rows.first.locator("th a")
    first.click()
    assert page.url.endswith(f"organisations/{expected[0][0]}/")
    assert page.locator("#totals-supplier").count() == 1
    assert page.problems == []


def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, built_site, demo_registry):
    urls = {**page_types(demo_registry), **{u: u for u in _theme_and_sdg_pages(built_site)},
            "ranking": "suppliers/", "ranking for one buyer and year": next(
                p.parent.relative_to(built_site).as_posix() + "/"
                for p in sorted((built_site / "suppliers").glob("*/fy*/index.html")) if "/all/" not in p.as_posix()),
            "search": "search/", "search with results": "search/?q=school"}
    buyer = next(o for o in demo_registry.organisations.values() if demo_registry.awards_by_buyer.get(o.id))
    supplier = next(o for o in demo_registry.organisations.values() if demo_registry.awards_by_supplier.get(o.id))
    urls |= {"buyer": buyer.url, "supplier": supplier.url}
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    wide = {}
    try:
        for name, url in urls.items():
            tab.goto(site_url + url)
            tab.wait_for_load_state("networkidle")
            if url.startswith("search/?"):
                tab.wait_for_function("() => /result/.test(document.getElementById('search-status').textContent)",
                                      timeout=20_000)
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[f"{name} /{url}"] = width
    finally:
        context.close()
    assert wide == {}


def test_no_wcag_violation_on_the_ranking_pages(browser, site_url, built_site):
    pages = ["suppliers/", *sorted(p.parent.relative_to(built_site).as_posix() + "/"
                                   for p in (built_site / "suppliers").glob("*/*/index.html"))[:2]]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    found = {}
    try:
        for url in pages:
            tab.goto(site_url + url)
            tab.wait_for_load_state("networkidle")
            violations = _axe(tab)
            if violations:
                found[url] = violations
    finally:
        context.close()
    assert found == {}
