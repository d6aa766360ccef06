"""The search page's integrity-indicator filter finds exactly the flagged records, in real headless Chromium.

An award page carries its own flags and its tender's (see ``indicators.flags_shown_with``), so the expected set is
worked out here from ``reg.indicators.by_record``: the awards flagged themselves, plus those whose tender is.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from test_browser import result_links, wait_for_results

from site_builder.indicators import INDICATORS

SEARCH_JS = Path(__file__).resolve().parents[1] / "site_builder" / "render" / "theme" / "assets" / "procure" / "search.js"


def flagged_awards(reg, code: str) -> set[str]:
    by_record = reg.indicators.by_record
    found = set()
    for award in reg.awards.values():
        codes = {f.code for f in by_record.get(("award", award.id), ())}
        if award.get("tender"):
            codes |= {f.code for f in by_record.get(("tender", award.get("tender")), ())}
        if code in codes:
            found.add(award.id)
    return found


def all_result_ids(page) -> list[str]:
    from test_browser import show_every_result

    show_every_result(page)
    return [link.rstrip("/").split("/")[-1] for link in result_links(page)]


def count_in(status: str) -> int:
    match = re.search(r"([\d,]+) results?", status)
    assert match, status
    return int(match.group(1).replace(",", ""))


@pytest.mark.browser
@pytest.mark.parametrize("code", ["single-bid", "non-competitive"])  # an award's own flag, and its tender's
def test_the_indicator_filter_finds_exactly_the_flagged_awards(page, site_url, demo_registry, code):
    expected = flagged_awards(demo_registry, code)
    assert expected, f"the demonstration register should flag some awards with {code}"
    if code == "single-bid":  # the definition, checked by hand: one bid in an open or selective procedure
        for aid in expected:
            award = demo_registry.awards[aid]
            assert award.get("number_of_tenderers") == 1
    label = INDICATORS[code].title

    page.goto(site_url + "search/")  # every record type is the form's default: choose awards
    page.select_option("#search-type", "Award")
    page.select_option("#filter-indicator", label)
    status = wait_for_results(page)
    ids = all_result_ids(page)
    assert count_in(status) == len(ids) == len(expected)
    assert set(ids) == expected
    assert "indicator=" + quote_plus(label) in page.url  # the filtered search can be shared ...

    shared = page.url
    page.goto(site_url)
    page.goto(shared)  # ... and opens with the same results
    wait_for_results(page)
    assert page.locator("#filter-indicator").input_value() == label
    assert set(all_result_ids(page)) == expected
    assert page.problems == []


@pytest.mark.browser
def test_the_indicator_filter_on_every_type_includes_flagged_tenders(page, site_url, demo_registry):
    """With all record types, a tender flagged as non-competitive is found too (its own flag)."""
    code = "non-competitive"
    tenders = {tid for (rtype, tid), flags in demo_registry.indicators.by_record.items()
               if rtype == "tender" and any(f.code == code for f in flags)}
    expected = tenders | flagged_awards(demo_registry, code)
    page.goto(site_url + "search/?type=&indicator=" + quote_plus(INDICATORS[code].title))
    wait_for_results(page)
    assert set(all_result_ids(page)) == expected
    unflagged = next(a.id for a in demo_registry.awards.values() if a.id not in expected)
    assert unflagged not in expected
    assert page.problems == []


def test_every_filter_on_the_search_page_is_read_by_the_script(built_site):
    """A select the script does not read would change nothing when chosen (how the indicator filter once broke)."""
    html = (built_site / "search" / "index.html").read_text("utf-8")
    names = set(re.findall(r'data-filter="([a-z_]+)"', html))
    assert {"buyer", "indicator", "supplier"} <= names
    script = SEARCH_JS.read_text("utf-8")
    listed = set(re.findall(r'"([a-z_]+)"', re.search(r"const FILTERS = \[(.*?)\];", script, re.S).group(1)))
    assert names <= listed, names - listed
