"""Accessibility in real Chromium: axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page type (and on
the search page with results shown and filters open); search, filters and table sorting work from the keyboard
alone with a visible focus; the main content reads with JavaScript off; every footer links the accessibility
statement."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def page_types(registry) -> dict[str, str]:
    """name → URL of one page of every type the site has."""
    def first(records):
        return sorted(records.values(), key=lambda r: r.id)[0].url

    award = next(a for a in sorted(registry.awards.values(), key=lambda r: r.id) if a.get("commitments"))
    return {
        "home": "", "awards index": "awards/", "tenders index": "tenders/", "organisations index": "organisations/",
        "measures index": "measures/", "outcomes index": "outcomes/",
        "award": award.url, "tender": first(registry.tenders), "organisation": first(registry.organisations),
        "outcome": first(registry.outcomes), "measure": first(registry.measures),
        "social value overview": "social-value/", "indicators": "indicators/", "data": "data/",
        "docs page": "methodology/", "accessibility statement": "accessibility/",
    }


def _theme_and_sdg_pages(site) -> list[str]:
    found = []
    for kind in ("themes", "sdgs"):
        pages = sorted((site / "social-value" / kind).glob("*/index.html"))
        assert pages, f"no social-value {kind} page"
        found.append(pages[0].parent.relative_to(site).as_posix() + "/")
    return found


def _axe(tab) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
            else str(n["target"][0]) for n in v["nodes"][:3]) for v in results.response["violations"]]


@pytest.fixture()
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_no_wcag_violation_on_any_page_type(tab, site_url, built_site, demo_registry):
    urls = {**page_types(demo_registry), **{u: u for u in _theme_and_sdg_pages(built_site)}}
    found = {}
    for name, url in urls.items():
        tab.goto(site_url + url)
        tab.wait_for_load_state("networkidle")
        violations = _axe(tab)
        if violations:
            found[f"{name} /{url}"] = violations
    assert found == {}


def test_no_wcag_violation_on_the_404_page(tab, site_url, built_site):
    """The 404 page addresses its assets under the site's own path (/register/), as the host serves it."""
    def from_site(route):
        path = route.request.url.split("/register/", 1)[1].split("?")[0]
        file = built_site / path
        if file.is_dir():
            file = file / "index.html"
        if file.is_file():
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404, path=str(built_site / "404.html"), content_type="text/html")

    tab.route("**/register/**", from_site)
    response = tab.goto(site_url + "register/no-such-page/")
    assert response is not None and response.status == 404
    tab.wait_for_load_state("networkidle")
    assert tab.locator("h1").inner_text().strip() == "404 - Not found"
    assert tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"  # styled
    assert _axe(tab) == []


def test_no_wcag_violation_on_search_with_results_and_filters(tab, site_url):
    tab.goto(site_url + "search/?q=school")
    tab.wait_for_function("() => /result/.test(document.getElementById('search-status').textContent)", timeout=20_000)
    for details in tab.locator("#procure-search details").all():  # any collapsed filter group, opened
        details.evaluate("d => d.open = true")
    assert tab.locator("#search-results > li").count() > 0
    assert _axe(tab) == []


def _focus_is_visible(tab) -> bool:
    return tab.evaluate("""() => { const e = document.activeElement; if (!e || e === document.body) return false;
        const s = getComputedStyle(e);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }""")


def test_search_and_filters_work_from_the_keyboard_alone(tab, site_url, demo_registry):
    tab.goto(site_url + "search/")
    # Tab from the top of the page until the search box has the focus: it is reachable, and shows it has it
    for _ in range(60):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.id") == "search-q":
            break
    assert tab.evaluate("document.activeElement.id") == "search-q"
    assert _focus_is_visible(tab)
    tab.keyboard.type("school")
    tab.keyboard.press("Enter")
    tab.wait_for_function("() => /result/.test(document.getElementById('search-status').textContent)", timeout=20_000)
    everything = int(re.search(r"([\d,]+) result", tab.locator("#search-status").inner_text()).group(1))
    # on to the record type filter with Tab (every type is searched by default), then choose "Award" with the
    # arrow keys
    for _ in range(10):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.id") == "search-type":
            break
    assert tab.evaluate("document.activeElement.id") == "search-type"
    assert _focus_is_visible(tab)
    assert tab.locator("#search-type").input_value() == ""
    while tab.evaluate("document.activeElement.value") != "Award":
        tab.keyboard.press("ArrowDown")
    tab.wait_for_function("(n) => { const m = /([\\d,]+) result/.exec(document.getElementById('search-status').textContent);"
                          " return m && parseInt(m[1].replace(/,/g, '')) < n; }", arg=everything, timeout=20_000)
    assert tab.locator("#search-type").input_value() == "Award"  # chosen with the arrow keys


def test_table_sorting_works_from_the_keyboard_alone(tab, site_url):
    tab.goto(site_url + "awards/")
    for _ in range(80):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.closest('th') !== null && document.activeElement.tagName === 'BUTTON'"):
            break
    assert tab.evaluate("document.activeElement.tagName") == "BUTTON"
    assert _focus_is_visible(tab)
    header = tab.evaluate("document.activeElement.closest('th').textContent.trim()")
    tab.keyboard.press("Space")
    assert tab.locator("th[aria-sort]").count() == 1
    assert header in tab.locator("th[aria-sort]").inner_text()
    first = tab.locator("th[aria-sort]").get_attribute("aria-sort")
    tab.keyboard.press("Enter")
    assert tab.locator("th[aria-sort]").get_attribute("aria-sort") != first  # Enter sorts the other way round


@pytest.fixture()
def no_js_tab(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_main_content_reads_with_javascript_off(no_js_tab, site_url, built_site, demo_registry):
    urls = page_types(demo_registry)
    for url in [urls[k] for k in ("award", "tender", "organisation", "outcome", "measure", "awards index",
                                  "organisations index", "social value overview", "indicators", "data")] \
            + _theme_and_sdg_pages(built_site):
        no_js_tab.goto(site_url + url)
        assert no_js_tab.evaluate("typeof window.__md_scope") == "undefined"  # scripts really are off
        main = no_js_tab.locator("#main-content")
        assert main.is_visible(), url
        text = main.inner_text()
        assert no_js_tab.locator("h1").count() == 1 and no_js_tab.locator("h1").is_visible(), url
        assert len(text) > 200, f"/{url}: {text[:200]!r}"
    award = demo_registry.awards[urls["award"].strip("/").split("/")[1]]
    no_js_tab.goto(site_url + award.url)
    assert award.get("title") in no_js_tab.locator("#main-content").inner_text()
    no_js_tab.goto(site_url + "awards/")
    assert no_js_tab.locator("table[data-procure-table] tbody tr").count() > 10


def test_every_page_footer_links_the_accessibility_statement(built_site):
    pages = [p for p in built_site.rglob("*.html") if not p.is_relative_to(built_site / "pagefind")]
    assert len(pages) > 400
    for page in pages:
        text = page.read_text(encoding="utf-8")
        footer = text[text.index("<footer"):]
        target = "./" if page == built_site / "accessibility" / "index.html" else "(?:[./]*|/register/)accessibility/"
        assert re.search(f'<a href="{target}">Accessibility statement</a>', footer), page
    statement = (built_site / "accessibility" / "index.html").read_text(encoding="utf-8")
    for heading in ("Compliance status", "Reporting accessibility problems", "Enforcement procedure",
                    "How we tested this website"):
        assert heading in statement
