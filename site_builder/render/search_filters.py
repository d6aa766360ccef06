"""Template helpers for issue 14's search filters (value bands, closing months in order) and CPV descriptions."""

from __future__ import annotations

import jinja2

from site_builder.search_facets import BANDS, pounds


def closing_months_in_order(labels: list[str]) -> list[str]:
    """'Closes in November 2026' labels, soonest first (they sort as text otherwise)."""
    from datetime import datetime

    def key(label: str) -> tuple[int, str]:
        try:
            when = datetime.strptime(label.removeprefix("Closes in "), "%B %Y")
        except ValueError:
            return (0, label)
        return (when.year * 12 + when.month, label)

    return sorted(labels, key=key)


def install_template_helpers(env: jinja2.Environment) -> None:
    from site_builder.cpv import describe

    env.globals.update(value_bands=BANDS, pounds=pounds, closing_months_in_order=closing_months_in_order,
                       cpv_description=describe)
