"""The site in real headless Chromium: search, filters, sorting, console errors, and screenshots for review.

Needs Debian's chromium at /usr/bin/chromium. Without it these tests skip with the reason shown, unless
REQUIRE_BROWSER=1 (as in CI), which turns a missing browser into a failure."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from conftest import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
pytestmark = pytest.mark.browser


# `browser`, `site_url` and `page` live in conftest.py: one Chromium and one server per test session, shared by all.


def result_links(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("#search-results > li > a").all()]


def wait_for_results(page) -> str:
    page.wait_for_function("() => /result|No results/.test(document.getElementById('search-status').textContent)",
                           timeout=20_000)
    return page.locator("#search-status").inner_text()


def show_every_result(page) -> None:
    """Press "Show more results" until every result is listed, waiting for each batch to arrive before the next."""
    while page.locator("#search-more-wrap").is_visible():
        before = page.locator("#search-results > li").count()
        page.click("#search-more")
        page.wait_for_function("(n) => document.querySelectorAll('#search-results > li').length > n", arg=before)


def test_searching_a_suppliers_name_finds_its_award(page, site_url, demo_registry):
    award = next(a for a in demo_registry.awards.values() if a.get("suppliers"))
    supplier = demo_registry.organisations[award.get("suppliers")[0]].title
    page.goto(site_url + "search/")
    page.fill("#search-q", supplier)
    page.keyboard.press("Enter")  # the form works from the keyboard
    wait_for_results(page)
    # the query is kept in the address, so the search can be shared
    assert "q=" + quote(supplier).replace("%20", "+") in page.url or "q=" + quote(supplier) in page.url
    show_every_result(page)
    links = result_links(page)
    assert any(link.rstrip("/").endswith(award.url.rstrip("/")) for link in links), links[:10]
    assert page.problems == []


def test_a_filter_narrows_the_results(page, site_url, demo_registry):
    page.goto(site_url + "search/?type=")
    page.select_option("#search-sort", "date:desc")  # browse every record, newest first
    everything = int(re.search(r"([\d,]+) result", wait_for_results(page)).group(1).replace(",", ""))
    buyer_id = next(iter(demo_registry.awards.values())).get("buyer")
    buyer = demo_registry.organisations[buyer_id].title
    page.select_option("#filter-buyer", buyer)
    page.wait_for_function("(n) => { const m = /([\\d,]+) result/.exec(document.getElementById('search-status').textContent);"
                           " return m && parseInt(m[1].replace(/,/g, '')) !== n; }", arg=everything, timeout=20_000)
    narrowed = int(re.search(r"([\d,]+) result", page.locator("#search-status").inner_text()).group(1).replace(",", ""))
    assert 0 < narrowed < everything
    assert "buyer=" in page.url
    assert page.problems == []


def test_sorting_by_value_orders_the_awards(page, site_url, demo_registry):
    page.goto(site_url + "search/?type=Award&sort=value:desc")
    wait_for_results(page)
    ids = [link.rstrip("/").split("/")[-1] for link in result_links(page)]
    assert len(ids) >= 5
    values = [float(demo_registry.awards[i].get("value")["amount"]) for i in ids]
    assert values == sorted(values, reverse=True)
    top = max(float(a.get("value")["amount"]) for a in demo_registry.awards.values())
    assert values[0] == top
    assert page.problems == []


@pytest.mark.parametrize("name", ["home", "award", "organisation", "search", "awards-index"])
def test_pages_log_no_errors_and_are_screenshotted(page, site_url, demo_registry, name):
    award = next(iter(demo_registry.awards.values()))
    supplier = award.get("suppliers")[0]
    url = {"home": "", "award": award.url, "organisation": f"organisations/{supplier}/",
           "search": "search/?q=" + quote(demo_registry.organisations[supplier].title), "awards-index": "awards/"}[name]
    page.goto(site_url + url)
    if name == "search":
        wait_for_results(page)
    else:
        page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    assert page.problems == []


def test_index_tables_sort_from_the_keyboard(page, site_url):
    page.goto(site_url + "awards/")
    button = page.locator("table[data-procure-table] th button", has_text="Value")
    button.focus()
    page.keyboard.press("Enter")
    # values sort largest first, and the caption says so (it said "newest first" while showing another order)
    assert page.locator("th[aria-sort='descending']", has_text="Value").count() == 1
    cells = "table[data-procure-table] tbody tr td[data-value]:nth-child(5)"
    values = [float(v) for v in page.eval_on_selector_all(cells, "cells => cells.map(c => c.dataset.value)")]
    assert values == sorted(values, reverse=True)
    caption = page.locator("table[data-procure-table] caption").inner_text()
    assert caption.endswith("sorted by value, largest first") and "newest first" not in caption
    # the order is kept in the address: a reload (or a shared link) shows the same order
    assert "sort=4-desc" in page.url
    page.reload()
    assert page.locator("th[aria-sort='descending']", has_text="Value").count() == 1
    page.keyboard.press("Tab")  # Enter again sorts the other way round
    page.locator("table[data-procure-table] th button", has_text="Value").focus()
    page.keyboard.press("Enter")
    values = [float(v) for v in page.eval_on_selector_all(cells, "cells => cells.map(c => c.dataset.value)")]
    assert values == sorted(values)
    assert page.problems == []


def test_the_list_filter_matches_every_word_and_names_are_links(page, site_url, demo_registry):
    buyer = demo_registry.organisations["greenbridge-borough-council"]
    # every row of that buyer with "2025" in its text: dated 2025, or a title such as "... 2022-2025"
    expected = sorted(a.id for a in demo_registry.awards.values()
                      if a.get("buyer") == buyer.id and ("2025" in str(a.get("date")) or "2025" in a.title))
    assert len(expected) > sum(1 for a in demo_registry.awards.values() if "2025" in a.title)
    page.goto(site_url + "awards/")
    page.fill("input[type=search][id^=procure-table-filter]", f"{buyer.title} 2025")
    shown = page.eval_on_selector_all("table[data-procure-table] tbody tr:not([hidden]) th a",
                                      "links => links.map(a => a.getAttribute('href'))")
    assert sorted(h.rstrip("/").split("/")[-1] for h in shown) == expected
    # buyer and supplier names in the list are links to their pages
    row = page.locator("table[data-procure-table] tbody tr:not([hidden])").first
    assert row.locator("td").nth(0).locator("a").get_attribute("href").endswith(buyer.url)
    assert page.problems == []


def test_a_list_narrowed_by_buyer_works_without_javascript(browser, site_url, demo_registry):
    buyer = demo_registry.organisations["greenbridge-schools-trust"]
    expected = sorted(a.id for a in demo_registry.awards.values() if a.get("buyer") == buyer.id)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(site_url + "awards/")
        tab.locator("details.procure-list-choices summary").click()
        tab.get_by_role("navigation", name="Narrow the list of awards").get_by_role("link", name=buyer.title).click()
        assert tab.url.endswith(f"awards/buyer/{buyer.id}/")
        links = tab.eval_on_selector_all("table[data-procure-table] tbody tr th a",
                                         "links => links.map(a => a.getAttribute('href'))")
    finally:
        context.close()
    assert sorted(h.rstrip("/").split("/")[-1] for h in links) == expected


def _sort_key_of(built_site, link: str, key: str) -> str | None:
    """The sort key a result's page carries (what Pagefind indexed), read from the built page itself."""
    path = re.sub(r"^(\.\./)+|^/", "", link).strip("/")
    found = re.search(rf'data-pagefind-sort="{key}:([^"]*)"', (built_site / path / "index.html").read_text("utf-8"))
    return found.group(1) if found else None


def test_sorting_every_record_type_by_date_merges_the_bundles_in_order(page, site_url, built_site):
    page.goto(site_url + "search/?type=&sort=date:desc")
    wait_for_results(page)
    while page.locator("#search-more-wrap").is_visible() and len(result_links(page)) < 60:
        before = len(result_links(page))
        page.click("#search-more")
        page.wait_for_function("(n) => document.querySelectorAll('#search-results > li').length > n", arg=before)
    links = result_links(page)
    dates = [_sort_key_of(built_site, link, "date") for link in links]
    kinds = {re.sub(r"^(\.\./)+|^/", "", link).split("/")[0] for link in links}
    assert len(links) >= 40 and len(kinds) >= 2, kinds  # results from several bundles, merged
    assert None not in dates and dates == sorted(dates, reverse=True)
    assert page.problems == []


def test_only_a_sorted_search_loads_the_sort_orders(page, site_url, built_site, demo_registry):
    # Each bundle has two page lists (search_stable.py): without the sort orders for a search by relevance, and
    # with them for a sorted search; the second is larger and must not be fetched until a sort is chosen.
    entry = json.loads((built_site / "pagefind" / "awards" / "pagefind-entry.json").read_text("utf-8"))
    plain = f"/pagefind/awards/pagefind.{entry['languages']['en']['hash']}.pf_meta"
    with_sorts = f"/pagefind/awards/pagefind.{entry['languages']['en-x-sorted']['hash']}.pf_meta"
    assert plain != with_sorts
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.split("?")[0]) if r.url.split("?")[0].endswith(".pf_meta") else None)
    award = next(a for a in demo_registry.awards.values() if a.get("suppliers"))
    page.goto(site_url + "search/?type=Award&q=" + quote(demo_registry.organisations[award.get("suppliers")[0]].title))
    wait_for_results(page)
    assert any(url.endswith(plain) for url in fetched) and not any(url.endswith(with_sorts) for url in fetched)
    page.select_option("#search-sort", "value:desc")
    page.wait_for_function("() => new URL(location.href).searchParams.get('sort') === 'value:desc'")
    wait_for_results(page)  # the sorted results are on screen, so their page list has been fetched
    assert any(url.endswith(with_sorts) for url in fetched)
    assert page.problems == []
