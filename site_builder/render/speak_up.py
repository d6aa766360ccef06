"""The 'speak up' links on record pages (issue 14): the template helper that fills them in for one record.

The routes and the links themselves are built in ``site_builder.speak_up``; this module only finds the record's
buyer and full address. Included by ``partials/speak_up.html``.
"""

from __future__ import annotations

from typing import Any

import jinja2

from site_builder.model import Record, Registry


def record_speak_up_links(reg: Registry, record: Record) -> list[Any]:
    """The 'speak up' links of one record page (see site_builder.speak_up)."""
    from site_builder.speak_up import speak_up_links

    buyer = record.get("buyer") if record.type in ("award", "tender") else None
    if record.type == "outcome":
        commitment = reg.commitment_of(record)
        buyer = commitment.award.get("buyer") if commitment is not None else None
    site = (reg.config.site_url or "").rstrip("/")
    full_url = f"{site}/{record.url}" if site else record.url
    return speak_up_links(reg.config.speak_up, record_id=record.id, title=record.title, record_type=record.type,
                          full_url=full_url, buyer_id=buyer, repo_url=reg.config.repo_url)


def install_template_helpers(env: jinja2.Environment) -> None:
    env.globals["speak_up_links"] = record_speak_up_links
