"""The demonstration register shows every kind of social-value figure, and its built pages carry them.

Uses the session fixtures of conftest.py (the demo register is validated and built once per session).
"""

from __future__ import annotations

import re

from site_builder.social_value import STATUSES


def test_demo_register_exercises_every_status(demo_registry) -> None:  # type: ignore[no-untyped-def]
    sv = demo_registry.social_value
    seen = {f.status for f in sv.by_commitment.values()}
    assert seen == set(STATUSES), f"missing: {set(STATUSES) - seen}"
    assert sv.overdue_reports and sv.most_behind


def test_demo_register_has_both_kinds_of_benefit(demo_registry) -> None:  # type: ignore[no-untyped-def]
    figs = [f for f in demo_registry.social_value.by_commitment.values() if f.counted]
    conspicuous = [f for f in figs if f.conspicuous]
    assert any(not f.conspicuous for f in figs), "an inconspicuous (described, not counted) benefit"
    assert any(f.proxy is not None and f.proxy.origin != "pounds" for f in conspicuous), "monetised with a proxy"
    assert any(f.proxy is None for f in conspicuous), "a measured benefit with no value in pounds"
    assert len({f.unit for f in conspicuous}) >= 3, "several units, shown side by side"
    assert any(f.basis == "per-year" for f in conspicuous) and any(f.basis == "whole-contract" for f in conspicuous)
    levels = {o.assurance for o in demo_registry.social_value.by_outcome.values() if o.counted}
    assert levels == {"self-reported", "buyer-validated", "independently-verified"}


def test_demo_site_social_value_pages(built_site, demo_registry) -> None:  # type: ignore[no-untyped-def]
    sv = demo_registry.social_value
    overview = (built_site / "social-value" / "index.html").read_text(encoding="utf-8")
    assert f"<strong>{len(sv.overdue_reports)}</strong> delivery report" in overview
    for theme in sv.by_theme:
        assert (built_site / "social-value" / "themes" / theme / "index.html").exists(), theme
    for sdg in sv.by_sdg:
        assert (built_site / "social-value" / "sdgs" / str(sdg) / "index.html").exists(), sdg
    svgs = re.findall(r"<svg class=\"procure-chart__svg\"[^>]*>", overview)
    assert len(svgs) >= 3 and all('role="img"' in s for s in svgs)
    # an award with an overdue report says so on its page
    key = sv.overdue_reports[0].key
    award_page = (built_site / "awards" / key[0] / "index.html").read_text(encoding="utf-8")
    assert "Report overdue" in award_page and f'id="commitment-{key[1]}"' in award_page
