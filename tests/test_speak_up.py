"""'Report an error', 'ask the buyer' and 'raise a concern' links on record pages (issue 14): configured per register
in mkdocs.yml, filled in with the record's id and address, and only ever links."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from conftest import REPO_ROOT

from site_builder.errors import ConfigError
from site_builder.speak_up import parse_speak_up, speak_up_links

REPO = "https://github.com/example/register"


def _links(settings, **kwargs):
    args = {"record_id": "AW-1", "title": "Bins & recycling", "record_type": "award",
            "full_url": "https://example.gov.uk/awards/AW-1/", "buyer_id": "council", "repo_url": REPO} | kwargs
    return {link.key: link for link in speak_up_links(parse_speak_up(settings, REPO), **args)}


def test_an_email_route_fills_in_the_subject_and_body():
    link = _links({"ask_buyer": {"email": "buy@example.gov.uk"}})["ask_buyer"]
    parts = urlsplit(link.href)
    assert parts.scheme == "mailto" and parts.path == "buy@example.gov.uk"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Ask the buyer about this contract: Bins & recycling (AW-1)"]
    assert "https://example.gov.uk/awards/AW-1/" in query["body"][0]


def test_a_web_form_gets_the_records_id_and_address_encoded():
    link = _links({"raise_concern": {"url": "https://example.gov.uk/form?ref={id}&page={url}&t={title}"}})["raise_concern"]
    assert link.href == ("https://example.gov.uk/form?ref=AW-1&page=https%3A%2F%2Fexample.gov.uk%2Fawards%2FAW-1%2F"
                         "&t=Bins%20%26%20recycling")


def test_an_issue_route_opens_a_prefilled_issue_in_the_repository():
    link = _links({"report_error": {"issue": True}})["report_error"]
    assert link.href.startswith(REPO + "/issues/new?")
    assert parse_qs(urlsplit(link.href).query)["title"] == ["Report an error in this record: Bins & recycling (AW-1)"]


def test_ask_the_buyer_uses_the_buyers_own_route_and_is_absent_without_a_buyer():
    settings = {"ask_buyer": {"email": "all@example.gov.uk", "by_buyer": {"trust": {"email": "trust@example.org"}}}}
    assert _links(settings, buyer_id="trust")["ask_buyer"].href.startswith("mailto:trust@example.org?")
    assert _links(settings, buyer_id="council")["ask_buyer"].href.startswith("mailto:all@example.gov.uk?")
    assert "ask_buyer" not in _links(settings, buyer_id=None, record_type="measure")
    assert _links(settings, record_type="tender")["ask_buyer"].label == "Ask the buyer about this tender"


@pytest.mark.parametrize(("settings", "message"), [
    ({"report_error": {"email": "not an address"}}, "report_error.email"),
    ({"raise_concern": {"url": "javascript:alert(1)"}}, "raise_concern.url"),
    ({"raise_concern": {"url": "https://a.example", "email": "a@b.example"}}, "exactly one"),
    ({"complain": {"email": "a@b.example"}}, "unknown route"),
    ({"ask_buyer": {"phone": "0100"}}, "unknown route 'phone'"),
])
def test_bad_settings_are_a_clear_config_error(settings, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_speak_up(settings, REPO)


def test_an_issue_route_needs_a_github_repository():
    with pytest.raises(ConfigError, match="repo_url"):
        parse_speak_up({"report_error": {"issue": True}}, None)


def test_every_record_page_of_the_demo_carries_the_configured_links(built_site, demo_registry):
    mkdocs = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    settings = next(p["procure"] for p in mkdocs["plugins"] if isinstance(p, dict) and "procure" in p)["speak_up"]
    by_buyer = settings["ask_buyer"]["by_buyer"]
    award = next(a for a in demo_registry.awards.values() if a.get("buyer") in by_buyer)
    text = (built_site / award.url / "index.html").read_text(encoding="utf-8")
    hrefs = {key: unescape(href) for href, key in re.findall(r'<a href="([^"]+)" rel="noopener" data-speak-up="(\w+)"',
                                                              text)}
    assert set(hrefs) == {"report_error", "ask_buyer", "raise_concern"}
    assert hrefs["ask_buyer"].startswith(f"mailto:{by_buyer[award.get('buyer')]['email']}?")
    full_url = mkdocs["site_url"].rstrip("/") + "/" + award.url
    for key, href in hrefs.items():
        assert award.id in unquote(href) and full_url in unquote(href), key
    assert hrefs["report_error"].startswith(mkdocs["repo_url"] + "/issues/new?")
    # an organisation has no buyer to ask
    org = next(iter(demo_registry.organisations.values()))
    org_text = (built_site / org.url / "index.html").read_text(encoding="utf-8")
    assert 'data-speak-up="report_error"' in org_text and 'data-speak-up="ask_buyer"' not in org_text
