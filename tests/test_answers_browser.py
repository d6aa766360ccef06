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
    # the same ranking as CSV, exact values in pounds
    import csv
    import io

    with page.expect_download() as download:
        page.get_by_role("button", name="Download this table as CSV").click()
    rows_csv = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))  # noqa: SIM115
    assert [(r["Supplier"], Decimal(r["Value awarded"])) for r in rows_csv] == [(orgs[s]["name"], v) for s, v in expected]
    # every name leads to the supplier's own page, with its totals year by year
    rows.first.locator("th a").click()
    page.wait_for_url(f"**/organisations/{expected[0][0]}/")
    page.locator("#totals-supplier").wait_for()
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


def test_no_wcag_violation_on_the_new_pages(browser, site_url, built_site, demo_registry):
    buyer = next(iter(sorted(demo_registry.awards_by_buyer)))
    pages = ["suppliers/", *sorted(p.parent.relative_to(built_site).as_posix() + "/"
                                   for p in (built_site / "suppliers").glob("*/*/index.html"))[:2],
             f"awards/buyer/{buyer}/", "tenders/year/2025/", "data/dictionary/", "data/dictionary/awards/",
             "data/dictionary/fields/award/"]
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


def _wait_for_results(tab) -> str:
    tab.wait_for_function("() => /result/.test(document.getElementById('search-status').textContent)",
                          timeout=20_000)
    return tab.locator("#search-status").inner_text()


def _all_result_links(tab) -> list[str]:
    from test_browser import show_every_result

    show_every_result(tab)
    return [a.get_attribute("href").strip("/") for a in tab.locator("#search-results > li > a").all()]


def test_a_suppliers_name_finds_its_organisation_page_and_its_awards(page, site_url):
    awards = _yaml("awards")
    orgs = _yaml("organisations")
    supplier = next(s for s in sorted(orgs) if sum(s in a["suppliers"] for a in awards.values()) >= 2)
    expected_awards = {f"awards/{a}" for a, data in awards.items() if supplier in data["suppliers"]}
    page.goto(site_url + "search/")
    assert page.locator("#search-type").input_value() == ""  # every record type by default
    page.fill("#search-q", orgs[supplier]["name"])
    page.keyboard.press("Enter")
    _wait_for_results(page)
    links = _all_result_links(page)
    assert f"organisations/{supplier}" in links[:3], links[:5]  # its own page comes near the top
    assert expected_awards <= set(links)
    assert page.problems == []


def test_the_value_range_filter_returns_exactly_the_awards_in_range(page, site_url):
    awards = _yaml("awards")
    low, high = 1_000_000, 5_000_000  # band edges the form offers
    expected = {f"awards/{a}" for a, d in awards.items()
                if d["value"]["currency"] == "GBP" and low <= Decimal(str(d["value"]["amount"])) < high}
    assert 3 <= len(expected) < len(awards)
    page.goto(site_url + "search/")
    page.select_option("#search-type", "Award")
    page.select_option("#filter-value-from", str(low))
    page.select_option("#filter-value-to", str(high))
    status = _wait_for_results(page)
    assert f"value_from={low}" in page.url and f"value_to={high}" in page.url  # the state is in the address
    assert status.startswith(f"{len(expected)} result")
    assert set(_all_result_links(page)) == expected


def test_the_csv_of_a_search_has_exactly_the_searchs_records(browser, site_url):
    import csv
    import io

    awards = _yaml("awards")
    orgs = _yaml("organisations")
    buyer = "greenbridge-borough-council"
    expected = {f"awards/{a}/" for a, d in awards.items() if d["buyer"] == buyer and str(d["date"]).startswith("2025")}
    assert len(expected) >= 2
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    try:
        query = f"type=Award&buyer={orgs[buyer]['name'].replace(' ', '+')}&year=2025"
        tab.goto(site_url + "search/?" + query)
        _wait_for_results(tab)
        with tab.expect_download() as download:
            tab.click("#search-csv")
        text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115 - read at once
    finally:
        context.close()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["Address"].removeprefix(site_url) for r in rows} == expected
    by_url = {r["Address"].removeprefix(site_url): r for r in rows}
    for url in expected:
        data = awards[url.split("/")[1]]
        assert by_url[url]["Title"] == data["title"]
        assert by_url[url]["Value (GBP)"] == str(data["value"]["amount"])
        assert by_url[url]["Buyer"] == orgs[buyer]["name"]


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_are_discoverable_from_the_pages_and_parse_as_atom(page, site_url, demo_registry):
    from xml.etree import ElementTree

    awards = _yaml("awards")
    tenders = _yaml("tenders")
    supplier = next(s for s in sorted(_yaml("organisations"))
                    if any(s in a["suppliers"] for a in awards.values()))
    found: dict[str, str] = {}
    for url in ("", "tenders/", f"organisations/{supplier}/"):
        page.goto(site_url + url)
        page.wait_for_load_state("networkidle")
        for link in page.locator('head link[rel~="alternate"][type="application/atom+xml"]').all():
            found[link.get_attribute("title")] = page.evaluate("(a) => new URL(a, location.href).href",
                                                               link.get_attribute("href"))
    assert {"Latest awards", "Latest tenders", "Tenders open for bids", "Planned procurements",
            "This organisation's awards and tenders"} <= set(found)
    entries: dict[str, list[str]] = {}
    for title, href in found.items():
        response = page.request.get(href)
        assert response.ok, href
        root = ElementTree.fromstring(response.body())
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title") is not None, href
        entries[title] = [e.find(f"{ATOM}link").get("href").removeprefix(
            demo_registry.config.site_url.rstrip("/") + "/") for e in root.findall(f"{ATOM}entry")]
        for entry in root.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}summary").text  # every entry says what it is
    # the supplier's feed holds exactly its awards (from the YAML), and open tenders only tenders open for bids
    assert set(entries["This organisation's awards and tenders"]) == {
        f"awards/{a}/" for a, d in awards.items() if supplier in d["suppliers"]}
    assert set(entries["Tenders open for bids"]) == {f"tenders/{t}/" for t, d in tenders.items()
                                                     if d["status"] == "active"}
    # summaries are written for people: "£735,000", not "735,000 GBP"; "awarded", not "active"
    body = page.request.get(found["Latest awards"]).text()
    assert "GBP" not in body and "Status: active" not in body and "Value: £" in body
    # and the organisation's page links its feed visibly too
    page.goto(site_url + f"organisations/{supplier}/")
    assert page.locator(f'a[href$="data/feeds/organisations/{supplier}.atom"]').count() == 1
    assert page.problems == []  # no page asks for anything that is not there


SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"


@pytest.mark.parametrize("name", ["home", "award", "supplier", "ranking", "search", "data"])
def test_answers_pages_are_screenshotted_on_desktop_and_phone(browser, site_url, demo_registry, name):
    """Screenshots for review (docs/screenshots/answers-<page>-<desktop|phone>.png); each page logs no error."""
    award = next(a for a in sorted(demo_registry.awards.values(), key=lambda r: r.id) if a.get("commitments"))
    supplier = award.get("suppliers")[0]
    url = {"home": "", "award": award.url, "supplier": f"organisations/{supplier}/",
           "ranking": f"suppliers/{award.get('buyer')}/all/", "search": "search/?q=school+meals", "data": "data/"}[name]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for device, viewport in (("desktop", {"width": 1366, "height": 900}), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        problems: list[str] = []
        tab.on("console", lambda m, found=problems: found.append(m.text) if m.type in ("error", "warning") else None)
        try:
            tab.goto(site_url + url)
            if name == "search":
                _wait_for_results(tab)
                tab.locator("#search-status").scroll_into_view_if_needed()  # where a phone lands after a search
            else:
                tab.wait_for_load_state("networkidle")
            tab.screenshot(path=str(SCREENSHOTS / f"answers-{name}-{device}.png"), full_page=False)
            assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        finally:
            context.close()
        assert problems == [], (name, device, problems)
