"""The contract after award in real Chromium (issue 13): the pipeline's filter, the award page with changes and KPI
ratings, the framework page; no WCAG A/AA violation (axe-core), no console error, and screenshots at desktop and
phone width in docs/screenshots for review.

Needs Debian's chromium (see tests/conftest.py: a missing browser skips with the reason, or fails under
REQUIRE_BROWSER=1)."""

from __future__ import annotations

import pytest
from conftest import REPO_ROOT
from test_trust_accessibility import _axe

from site_builder import forward_plan

SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
pytestmark = pytest.mark.browser

#: page name → URL in the demonstration register (the award with changes and UK9 ratings, the roofing framework)
PAGES = {"contract-changes-award": "awards/AW-2025-034/", "contract-kpi-ratings": "awards/AW-2025-034/",
         "framework": "awards/AW-2025-040/", "pipeline": "pipeline/"}
#: the part of the page each screenshot shows (viewport-sized, so the committed images stay small)
SHOWN = {"contract-changes-award": "#changes", "contract-kpi-ratings": "#kpis", "framework": "#call-offs",
         "pipeline": "h1"}


def test_pipeline_filters_by_category_and_value(page, site_url, demo_registry):
    entries = forward_plan.entries(demo_registry)
    goods = [e for e in entries if e.category == "goods"]
    big = [e for e in entries if e.value_band == "Over £2 million"]
    assert 0 < len(goods) < len(entries) and 0 < len(big) < len(entries)  # both filters can narrow
    page.goto(site_url + "pipeline/")
    status = page.locator("#pipeline-count")
    assert status.inner_text() == f"{len(entries)} of {len(entries)} shown"
    page.select_option("#pipeline-category", "goods")
    assert status.inner_text() == f"{len(goods)} of {len(entries)} shown"
    shown = page.eval_on_selector_all(".procure-pipeline__entry:not([hidden]) h2", "hs => hs.map(h => h.id)")
    assert shown == [e.tender.id for e in goods]  # still newest deadline first
    page.select_option("#pipeline-category", "")
    page.select_option("#pipeline-value", "Over £2 million")
    assert status.inner_text() == f"{len(big)} of {len(entries)} shown"
    assert page.problems == []


def test_pipeline_lists_everything_without_javascript(browser, site_url, demo_registry):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "pipeline/")
    assert tab.locator(".procure-pipeline__entry").count() == len(forward_plan.entries(demo_registry))
    assert not tab.locator("#pipeline-filter").is_visible()  # the filter needs JavaScript, so it is not offered
    context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_contract_pages_are_accessible_and_screenshotted(browser, site_url, name, device, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.goto(site_url + PAGES[name])
    tab.wait_for_load_state("networkidle")
    assert tab.locator("h1").count() == 1
    if device == "desktop":
        assert _axe(tab) == []
    tab.evaluate("(sel) => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top"
                 " + window.scrollY - 72)", SHOWN[name])  # below the sticky header
    tab.wait_for_timeout(400)  # the header's title swaps with an animation on scroll
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}-{device}.png"), full_page=False)
    assert problems == []
    context.close()


def test_the_after_award_filter_finds_changed_and_terminated_contracts(page, site_url, demo_registry):
    from urllib.parse import quote_plus

    from test_browser import result_links, wait_for_results

    # worked out from records/awards/: changes on AW-2022-005, AW-2022-006, AW-2025-034; a termination on
    # AW-2024-032 (the print contract)
    for label, expected in (("Changed after award", {"AW-2022-005", "AW-2022-006", "AW-2025-034"}),
                            ("Terminated early", {"AW-2024-032"})):
        page.goto(site_url + "search/?type=Award&contract=" + quote_plus(label))
        wait_for_results(page)
        while page.locator("#search-more-wrap").is_visible():
            page.click("#search-more")
        found = {link.rstrip("/").split("/")[-1] for link in result_links(page)}
        assert found == expected, label
    assert page.problems == []
