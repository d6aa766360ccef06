"""Ways for the public to speak up about a record (issue 14): report an error, ask the buyer, raise a concern.

Each route is configured per register in the ``procure`` block of mkdocs.yml as ONE of

* ``email: someone@example.gov.uk``: a ``mailto:`` link with the subject and body filled in;
* ``url: https://example.gov.uk/form?ref={id}``: a web form; ``{id}``, ``{url}`` and ``{title}`` are replaced by
  the record's id, full address and title (URL-encoded);
* ``issue: true``: a new issue in the register's GitHub repository (``repo_url``), title and body filled in.

``ask_buyer`` may also name a route per buyer (``by_buyer: {<organisation id>: {email: ...}}``). Everything here
is a link the visitor chooses to follow: nothing is sent anywhere by the page itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from site_builder.errors import ConfigError

ROUTES = {
    "report_error": "Report an error in this record",
    "ask_buyer": "Ask the buyer about this contract",
    "raise_concern": "Raise a concern",
}
PLACEHOLDERS = ("{id}", "{url}", "{title}")


@dataclass(frozen=True)
class Route:
    kind: str  # 'email' | 'url' | 'issue'
    target: str  # the address, the form's URL template, or '' for an issue


@dataclass(frozen=True)
class SpeakUp:
    routes: Mapping[str, Route] = field(default_factory=dict)
    ask_buyer_by_buyer: Mapping[str, Route] = field(default_factory=dict)


@dataclass(frozen=True)
class SpeakUpLink:
    key: str
    label: str
    href: str
    how: str  # 'email', 'web form' or 'GitHub issue', shown beside the link


def _route(where: str, spec: Any) -> Route:
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise ConfigError(f"mkdocs.yml: procure.speak_up.{where}: give exactly one of email, url or issue: true")
    (kind, value), = spec.items()
    if kind == "email":
        text = str(value or "")
        if "@" not in text or any(c in text for c in " ?&<>\"'"):
            raise ConfigError(f"mkdocs.yml: procure.speak_up.{where}.email: {text!r} is not an email address")
        return Route("email", text)
    if kind == "url":
        text = str(value or "")
        if urlsplit(text).scheme not in ("http", "https") or any(ord(c) < 33 for c in text):
            raise ConfigError(f"mkdocs.yml: procure.speak_up.{where}.url: {text!r} is not an http(s) address")
        return Route("url", text)
    if kind == "issue" and value is True:
        return Route("issue", "")
    raise ConfigError(f"mkdocs.yml: procure.speak_up.{where}: unknown route {kind!r} (use email, url or issue: true)")


def parse_speak_up(settings: Any, repo_url: str | None = None) -> SpeakUp:
    """The ``speak_up`` settings, checked (a ConfigError names the setting that is wrong)."""
    if settings in (None, {}):
        return SpeakUp()
    if not isinstance(settings, Mapping):
        raise ConfigError("mkdocs.yml: procure.speak_up must be a mapping of report_error, ask_buyer, raise_concern")
    unknown = set(settings) - set(ROUTES)
    if unknown:
        raise ConfigError(f"mkdocs.yml: procure.speak_up: unknown route(s) {', '.join(sorted(map(str, unknown)))}; "
                          f"known: {', '.join(ROUTES)}")
    routes: dict[str, Route] = {}
    by_buyer: dict[str, Route] = {}
    for key, spec in settings.items():
        if key == "ask_buyer" and isinstance(spec, Mapping) and "by_buyer" in spec:
            spec = dict(spec)
            for buyer, buyer_spec in (spec.pop("by_buyer") or {}).items():
                by_buyer[str(buyer)] = _route(f"ask_buyer.by_buyer.{buyer}", buyer_spec)
            if not spec:
                continue
        routes[key] = _route(key, spec)
    if any(r.kind == "issue" for r in (*routes.values(), *by_buyer.values())) and _github_issue_url(repo_url) is None:
        raise ConfigError("mkdocs.yml: procure.speak_up: 'issue: true' needs repo_url to be a https://github.com/ "
                          "repository; use email or url instead")
    return SpeakUp(routes, by_buyer)


def _github_issue_url(repo_url: str | None) -> str | None:
    if not repo_url:
        return None
    parts = urlsplit(repo_url)
    if parts.scheme != "https" or parts.netloc.lower() != "github.com":
        return None
    return repo_url.rstrip("/") + "/issues/new"


def speak_up_links(speak_up: SpeakUp, *, record_id: str, title: str, record_type: str, full_url: str,
                   buyer_id: str | None, repo_url: str | None) -> list[SpeakUpLink]:
    """The links one record page shows, in the order of ROUTES. 'Ask the buyer' only where the record has one."""
    links: list[SpeakUpLink] = []
    for key, label in ROUTES.items():
        route = speak_up.routes.get(key)
        if key == "ask_buyer":
            if not buyer_id:
                continue
            route = speak_up.ask_buyer_by_buyer.get(buyer_id, route)
            if record_type == "tender":
                label = "Ask the buyer about this tender"
        if route is None:
            continue
        subject = f"{label}: {title} ({record_id})"
        body = f"About the record {record_id}, {title}\n{full_url}\n\n"
        if route.kind == "email":
            href = f"mailto:{route.target}?subject={quote(subject)}&body={quote(body)}"
            how = "email"
        elif route.kind == "url":
            href = route.target
            for placeholder, value in zip(PLACEHOLDERS, (record_id, full_url, title), strict=True):
                href = href.replace(placeholder, quote(value, safe=""))
            how = "web form"
        else:
            base = _github_issue_url(repo_url)
            if base is None:
                continue  # an issue needs a GitHub repository; the register's docs say so
            href = f"{base}?title={quote(subject)}&body={quote(body)}"
            how = "GitHub issue, needs an account"
        links.append(SpeakUpLink(key, label, href, how))
    return links
