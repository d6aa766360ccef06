"""Issue 16: pages stay linear. A register with one award of thousands of commitments and one commitment of
thousands of reports (tests/scale_register.py) builds with no page over the budget. Before, every outcome page
listed every report of its award, so pages grew with the award and the build with its square."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scale_register import write_scale_register

from site_builder.build import build_site

#: no page of the site may be larger than this
PAGE_BUDGET = 1_000_000
#: outcome pages are the ones a commitment multiplies: each must stay small whatever the commitment's history
OUTCOME_PAGE_BUDGET = 64_000
#: links on one page (a proxy for the work of rendering it)
LINK_BUDGET = 2_500
AWARDS, COMMITMENTS, REPORTS = 100, 1_200, 1_500


@pytest.fixture(scope="module")
def scale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_scale_register(tmp_path_factory.mktemp("scale") / "register", AWARDS, COMMITMENTS, REPORTS)
    return build_site(root, root.parent / "site", search=False).site_dir


def test_no_page_is_over_the_budget(scale_site: Path) -> None:
    pages = list(scale_site.rglob("*.html"))
    assert len(pages) > AWARDS + REPORTS
    sizes = {p.relative_to(scale_site).as_posix(): p.stat().st_size for p in pages}
    over = {name: size for name, size in sizes.items() if size > PAGE_BUDGET}
    assert over == {}
    links = {name: len(re.findall(rb"<a ", (scale_site / name).read_bytes())) for name in sizes}
    assert max(links.values()) <= LINK_BUDGET, max(links.items(), key=lambda item: item[1])


def test_outcome_pages_do_not_grow_with_their_commitment(scale_site: Path) -> None:
    outcome_pages = sorted((scale_site / "outcomes").glob("OC-*/index.html"))
    assert len(outcome_pages) == REPORTS
    sizes = [p.stat().st_size for p in outcome_pages]
    assert max(sizes) <= OUTCOME_PAGE_BUDGET
    assert max(sizes) - min(sizes) < 2_000  # the first, middle and last report's pages weigh the same
    middle = outcome_pages[REPORTS // 2].read_text(encoding="utf-8")
    # its own neighbours are linked, and the rest counted with a link to the award's page
    assert f"{REPORTS - 10:,} other delivery reports on this commitment" in middle
    assert 'href="../../outcomes/OC-00751/"' in middle


def test_the_award_page_lists_every_commitment_within_the_budget(scale_site: Path) -> None:
    page = (scale_site / "awards" / "AW-00000" / "index.html").read_text(encoding="utf-8")
    assert len(page.encode()) <= PAGE_BUDGET
    # every commitment is on the page: 100 in full, the rest one row each, each with its anchor
    assert len(re.findall(r'id="commitment-C\d+"', page)) == COMMITMENTS
    assert f"The latest 50 of {REPORTS:,} delivery reports" in page
