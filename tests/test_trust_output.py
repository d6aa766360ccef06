"""Safe output: a register whose every free-text field (and every link, OCID and identifier, as hostile as their
schema allows) holds injection payloads builds into pages where the payloads show as text: checked in the HTML,
in the feeds, and in real Chromium (no dialog, no script runs, no Content-Security-Policy violation).

The hostile register is the demonstration register with every string the schemas let us change replaced; which
fields those are is worked out from the schemas (``trust_helpers.iter_string_fields``), so a field added to a
schema later is covered without touching this file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO_ROOT, copy_register
from trust_helpers import RECORD_TYPES, is_free_text, iter_string_fields, iter_string_leaves, set_at

from site_builder.load import FOLDER_OF_TYPE, parse_yaml
from site_builder.schemas import load_schemas

# Free text starts with a scheme, so a template that ever used free text as an address would make a live link
# (caught below); the rest is every kind of markup a careless renderer could bring to life.
_BODY = ('<script>alert("xss")</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)">j</a> '
         '[x](javascript:alert(4)) **bold** {{ 7*7 }} {% raw %} &lt;b&gt; &amp;amp; \'"')
FREE_TEXT = [f"javascript:alert(1)// {_BODY}", f"data:text/html,<script>alert(1)</script> {_BODY}",
             "<script>alert(1)</script>{{ 7*7 }}&amp;'\"", "<b>{{7*7}}&amp;", "<i>x</i>"]
LINKS = ['https://x.example/?q=<script>alert(1)</script>&a="onmouseover=alert(2)',
         "https://x.example/?a=1&b='onmouseover=alert(1)//&c=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
         "mailto:x@x.example?subject=%3Cscript%3E&body='x'", "https://x.example/?q=%3Cscript%3E&a=1"]
OCIDS = ["ocds-gbr001-<script>alert(1)</script>{{ 7*7 }}&amp;'\"-{id}", "ocds-gbr001-{id}-%3Cx%3E"]
IDENTIFIERS = ["A/../../etc/passwd {id}", "A {id}"]

# a script address on this site: relative, or under the site's path /register/ (the 404 page, served at any depth)
_SAME_SITE = re.compile(r"^(?:/register/|(?:\.\./)*(?:\./)?)(?:assets|search|pagefind)/[^:]+\.js$")
#: the only forms: the search page's own, and those that send a query to it (the header's search box, list filters)
_SEARCH_FORM = re.compile(r"^(?:\./|(?:/register/|(?:\.\./)*)search/)$")


def _candidates(field: str, schema: dict[str, Any], record_id: str) -> list[str]:
    if field.endswith("/id") and schema.get("pattern", "").startswith("^[A-Za-z0-9][A-Za-z0-9 ./-]"):
        return [c.replace("{id}", record_id) for c in IDENTIFIERS]
    if schema.get("pattern", "").startswith("^(https?://|mailto:)"):
        return LINKS
    if schema.get("pattern", "").startswith("^ocds-"):
        return [c.replace("{id}", record_id) for c in OCIDS]
    if is_free_text(schema):
        return FREE_TEXT
    return []  # ids, references, codes, dates, codelists: their patterns only allow harmless characters


def make_hostile(data: dict[str, Any], record_type: str, schemas: Any) -> tuple[dict[str, Any], set[str]]:
    """The record with each changeable string replaced by the most hostile candidate its schema accepts."""
    fields = dict(iter_string_fields(record_type))
    changed: set[str] = set()
    for n, (pointer, field, _) in enumerate(list(iter_string_leaves(data))):
        schema = fields.get(field)
        if schema is None or field == "/id":
            continue
        for candidate in _candidates(field, schema, data["id"])[n % 2:] + _candidates(field, schema, data["id"])[:1]:
            before = _get(data, pointer)
            set_at(data, pointer, candidate)
            if schemas.is_valid(record_type, data):
                changed.add(field)
                break
            set_at(data, pointer, before)
    return data, changed


def _get(data: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


class _QuotingDumper(yaml.SafeDumper):
    """Every string double-quoted, so text such as a CPV code "09331200" is never read back as a number."""


_QuotingDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                                                                    style='"'))


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """(register root, built site, {record type: changed fields}) of the hostile demonstration register."""
    from site_builder.build import build_site

    root = copy_register(REPO_ROOT, tmp_path_factory.mktemp("hostile-register") / "register")
    schemas = load_schemas(root / "schemas")
    changed: dict[str, set[str]] = {t: set() for t in RECORD_TYPES}
    for record_type in RECORD_TYPES:
        for path in sorted((root / "records" / FOLDER_OF_TYPE[record_type]).glob("*.yaml")):
            data, _ = parse_yaml(path.read_bytes())
            data, fields = make_hostile(data, record_type, schemas)
            changed[record_type] |= fields
            path.write_text(yaml.dump(data, Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True, width=10_000),
                            encoding="utf-8")
            assert parse_yaml(path.read_bytes())[0] == data, path  # written exactly as meant
    result = build_site(root, tmp_path_factory.mktemp("hostile-site") / "site")
    return root, result.site_dir, changed


def test_every_free_text_field_of_every_record_type_carries_a_payload(hostile):
    _, _, changed = hostile
    for record_type in RECORD_TYPES:
        free = {f for f, schema in iter_string_fields(record_type) if is_free_text(schema)}
        assert free, record_type
        assert free <= changed[record_type], f"{record_type}: never filled with a payload: {sorted(free - changed[record_type])}"
        links = {f for f, s in iter_string_fields(record_type) if s.get("pattern", "").startswith("^(https?")}
        assert links <= changed[record_type], f"{record_type}: links never made hostile: {sorted(links - changed[record_type])}"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Tags(HTMLParser):
    """The elements a browser would build from a page: (tag, attributes) of every start tag, script contents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        self._in_script = tag == "script" and "src" not in attributes and attributes.get("type") != "application/json"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data")


def test_no_page_carries_live_markup_from_a_record(hostile):
    _, site, _ = hostile
    pages = _pages(site)
    assert len(pages) > 400
    for page in pages:
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(site).as_posix()
        parsed = _Tags()
        parsed.feed(text)
        for tag, attributes in parsed.tags:
            if tag == "script":  # a file of this site (a relative address or the site's own path), or JSON data
                assert _SAME_SITE.match(attributes.get("src", "")) or attributes == {
                    "id": "__config", "type": "application/json"}, f"{where}: <script {attributes}>"
        assert parsed.inline_scripts == [], f"{where}: inline script {parsed.inline_scripts[0][:80]}"
        for tag, attributes in parsed.tags:
            assert tag not in ("img", "iframe", "object", "embed", "base", "form") or (tag == "form" and (
                attributes.get("action") is None or _SEARCH_FORM.match(attributes["action"]))), f"{where}: <{tag} {attributes}>"
            handlers = [name for name in attributes if name.startswith("on")]
            assert handlers == [], f"{where}: <{tag}> has event handler {handlers}"
            for name in _URL_ATTRIBUTES:
                value = re.sub(r"[\x00-\x20]", "", attributes.get(name, "")).lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{where}: <{tag} {name}={value[:40]}>"
            if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
                raise AssertionError(f"{where}: a meta refresh")
        assert "<strong>bold</strong>" not in text and "<em>bold</em>" not in text, f"{where}: markdown was rendered"
        assert "<i>x</i>" not in text and "<b>{{7*7}}" not in text, where


def test_record_pages_show_the_payloads_as_escaped_text(hostile):
    root, site, _ = hostile
    for record_type in RECORD_TYPES:
        folder = FOLDER_OF_TYPE[record_type]
        for path in sorted((root / "records" / folder).glob("*.yaml"))[:5]:
            text = (site / folder / path.stem / "index.html").read_text(encoding="utf-8")
            assert "&lt;script&gt;alert(" in text, f"{folder}/{path.stem}: the payload is not shown"
            # Jinja syntax from a record reaches the page as it was typed, never evaluated
            assert "{{ 7*7 }}" in text or "{{7*7}}" in text, f"{folder}/{path.stem}"
            # an entity typed in a record shows as typed: its & is escaped once more
            assert "&amp;amp;" in text, f"{folder}/{path.stem}"


def test_links_from_records_are_only_http_https_or_mailto(hostile):
    _, site, _ = hostile
    schemes: set[str] = set()
    for page in _pages(site):
        for href in re.findall(r'\shref="([^"]*)"', page.read_text(encoding="utf-8")):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
                schemes.add(href.split(":", 1)[0].lower())
    assert schemes <= {"http", "https", "mailto"}, schemes
    award = next((site / "awards").glob("*/index.html")).read_text(encoding="utf-8")
    # the hostile but valid links are links, with their & escaped in the attribute
    assert re.search(r'href="https://x\.example/\?[^"]*&amp;', award) or 'href="mailto:x@x.example' in award


def test_feeds_carry_the_payloads_as_text(hostile):
    _, site, _ = hostile
    feeds = sorted((site / "data").rglob("*.xml")) + sorted((site / "data").rglob("*.atom"))
    assert feeds, "no Atom feed was built"
    for feed in feeds:
        tree = ET.parse(feed)  # well-formed: every payload was escaped
        titles = [el.text or "" for el in tree.iter() if el.tag.endswith("title")]
        assert any("<script>" in t or "javascript:" in t for t in titles), feed.name


def test_raw_downloads_are_the_hostile_source_byte_for_byte(hostile):
    root, site, _ = hostile
    for path in sorted((root / "records").rglob("*.yaml")):
        raw = site / "data" / "records" / path.parent.name / path.name
        assert raw.read_bytes() == path.read_bytes(), path.name


# --- in the browser ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_url(hostile):
    from conftest import serve_folder

    with serve_folder(hostile[1]) as url:
        yield url


def _open(browser, url: str):
    context = browser.new_context()
    context.add_init_script("document.addEventListener('securitypolicyviolation', e => {"
                            " (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });")
    tab = context.new_page()
    tab.dialogs = []
    tab.problems = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.goto(url)
    return context, tab


@pytest.mark.browser
def test_payloads_show_as_text_and_never_run_in_chromium(browser, hostile, hostile_url):
    root, _, _ = hostile
    urls = ["", "awards/", "tenders/", "organisations/", "measures/", "outcomes/", "social-value/"]
    for record_type in RECORD_TYPES:
        first = sorted((root / "records" / FOLDER_OF_TYPE[record_type]).glob("*.yaml"))[0]
        urls.append(f"{FOLDER_OF_TYPE[record_type]}/{first.stem}/")
    context, tab = _open(browser, hostile_url)
    try:
        # the detectors work: a dialog is caught, and an inline script is blocked by the policy and reported
        tab.evaluate("alert('canary')")
        assert tab.dialogs == ["canary"]
        tab.evaluate("const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                     " document.head.appendChild(s);")
        tab.wait_for_function("() => (window.__csp || []).length > 0")
        assert tab.evaluate("window.__ran") is None
        tab.dialogs.clear()
        for url in urls:
            tab.problems.clear()
            tab.goto(hostile_url + url)
            tab.wait_for_load_state("networkidle")
            assert tab.dialogs == [], f"/{url}: a dialog fired: {tab.dialogs}"
            assert tab.evaluate("window.__csp || []") == [], f"/{url}: policy violation"
            assert tab.problems == [], f"/{url}: {tab.problems}"
            visible = tab.locator("main").inner_text()
            if url.count("/") == 2:  # a record page: the payload is there to read, literally
                assert "<script>alert(" in visible, f"/{url}"
                assert "{{ 7*7 }}" in visible or "{{7*7}}" in visible, f"/{url}"
                assert tab.locator("main script:not([src]), main img, main [href^='javascript' i],"
                                   " main [href^='data:' i]").count() == 0
        # search results show record titles and excerpts (Pagefind escapes them; search.js inserts text)
        tab.goto(hostile_url + "search/?type=&q=alert")
        tab.wait_for_function("() => /result/.test(document.getElementById('search-status').textContent)",
                              timeout=20_000)
        tab.wait_for_timeout(300)
        assert tab.locator("#search-results > li").count() > 0
        assert "<script>alert(" in tab.locator("#search-results").inner_text()
        assert tab.dialogs == [] and tab.evaluate("window.__csp || []") == [], tab.dialogs
        assert tab.locator("#search-results script, #search-results img").count() == 0
    finally:
        context.close()

