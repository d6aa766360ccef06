"""Parties → organisation records, deduplicated across processes and against the register.

Two parties are the same organisation when they share an identifier (scheme + id), or else when their names are the
same once normalised (case, accents, punctuation, "Ltd"/"Limited", "&"/"and") and their identifiers do not disagree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from site_builder.import_ocds.register_schema import RegisterSchemas
from site_builder.import_ocds.text import as_dict, clean_line, make_id

#: legal-form words written in several ways → one spelling, so "Acme Limited" and "ACME Ltd." match
_LEGAL_FORMS = {
    "limited": "ltd", "ltd": "ltd", "plc": "plc", "public limited company": "plc", "llp": "llp",
    "limited liability partnership": "llp", "incorporated": "inc", "inc": "inc", "company": "co", "co": "co",
    "cic": "cic", "community interest company": "cic",
}
_LEGAL_FORM_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _LEGAL_FORMS), key=len, reverse=True)) + r")\b")

#: country names as UK and other publishers write them → ISO 3166-1 alpha-2
_COUNTRIES = {
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "gb": "GB", "gbr": "GB", "ireland": "IE", "mexico": "MX", "méxico": "MX",
    "united states": "US", "united states of america": "US", "usa": "US", "paraguay": "PY",
}
_PARTY_SCALE_SME = {"micro", "sme", "small", "medium"}
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_name(name: str) -> str:
    """A matching key for an organisation's name: 'The ACME Ltd.' and 'Acme Limited' give the same key."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _LEGAL_FORM_RE.sub(lambda m: _LEGAL_FORMS[m.group(1)], text)
    text = re.sub(r"^the ", "", text)
    return text


def identifier_keys(party: dict[str, Any]) -> list[tuple[str, str]]:
    """(SCHEME, ID) pairs of a party, any scheme, blanks skipped (used for matching, not all are stored)."""
    keys = []
    candidates = [party.get("identifier"), *list(party.get("additionalIdentifiers") or [])]
    for ident in candidates:
        if not isinstance(ident, dict):
            continue
        scheme, ident_id = ident.get("scheme"), ident.get("id")
        if isinstance(scheme, str) and scheme.strip() and isinstance(ident_id, (str, int)) and str(ident_id).strip():
            keys.append((scheme.strip().upper(), str(ident_id).strip().upper()))
    return keys


@dataclass
class LeftOutValue:
    field: str
    reason: str


def map_party(party: dict[str, Any], schemas: RegisterSchemas, allowed_schemes: frozenset[str]) -> tuple[dict[str, Any], list[LeftOutValue]]:
    """The organisation fields an OCDS party (or 1.0 embedded organisation) gives; id and roles are added later."""
    left: list[LeftOutValue] = []
    data: dict[str, Any] = {}
    name = clean_line(party.get("name"))
    ident = as_dict(party.get("identifier"))
    legal = clean_line(ident.get("legalName"))
    if not name and legal:
        name = legal
    if name:
        data["name"] = name[:schemas.max_length("organisation", "name")]
    if legal and name and legal.casefold() != name.casefold() and len(legal) >= 2:
        data["legal_name"] = legal[:schemas.max_length("organisation", "legal_name")]

    stored: list[dict[str, str]] = []
    kept_as_published: list[dict[str, str]] = []
    for candidate in [ident, *list(party.get("additionalIdentifiers") or [])]:
        if not isinstance(candidate, dict):
            continue
        scheme, ident_id = candidate.get("scheme"), candidate.get("id")
        scheme = scheme.strip() if isinstance(scheme, str) else ""
        ident_id = str(ident_id).strip() if isinstance(ident_id, (str, int)) and not isinstance(ident_id, bool) else ""
        if not scheme and not ident_id:
            continue  # blank identifiers are a known quirk of old data: nothing to keep
        value = {"scheme": scheme, "id": ident_id}
        if scheme not in allowed_schemes:
            if scheme and ident_id and len(scheme) <= 100 and len(ident_id) <= 100:
                if value not in kept_as_published:  # the source's own organisation id, kept as published
                    kept_as_published.append(value)
            else:
                left.append(LeftOutValue("identifier", f"scheme {scheme or '(blank)'!r} with id {ident_id!r} is incomplete"))
        elif not schemas.is_valid_value("identifier", value):
            left.append(LeftOutValue("identifier", f"{scheme} id {ident_id!r} is not a valid identifier"))
        elif value not in stored:
            stored.append(value)
    if stored:
        data["identifier"] = stored[0]
        if len(stored) > 1:
            data["additional_identifiers"] = stored[1:]
    if kept_as_published:
        data["source_identifiers"] = kept_as_published

    details = as_dict(party.get("details"))
    scale = details.get("scale")
    if isinstance(scale, str) and scale.strip():
        if scale.strip().lower() in _PARTY_SCALE_SME:
            data["is_sme"] = True
        elif scale.strip().lower() == "large":
            data["is_sme"] = False
    if isinstance(details.get("vcse"), bool):
        data["is_vcse"] = details["vcse"]

    address = _map_address(party.get("address"), left, schemas)
    if address:
        data["address"] = address

    contact = as_dict(party.get("contactPoint"))
    for url in (details.get("url"), contact.get("url")):
        if isinstance(url, str) and url.strip():
            if schemas.is_valid_value("web_link", url.strip()):
                data["website"] = url.strip()
                break
            left.append(LeftOutValue("website", f"{url!r} is not a valid web address"))
    return data, left


def _map_address(address: Any, left: list[LeftOutValue], schemas: RegisterSchemas) -> dict[str, Any] | None:
    if not isinstance(address, dict):
        return None
    town = clean_line(address.get("locality"))
    if not town:
        if any(isinstance(v, str) and v.strip() for v in address.values()):
            left.append(LeftOutValue("address", "no town (locality), which an address needs"))
        return None
    out: dict[str, Any] = {}
    street = clean_line(address.get("streetAddress"))
    if street:
        out["street"] = street[:schemas.max_length("organisation", "address", "street")]
    out["town"] = town[:schemas.max_length("organisation", "address", "town")]
    postcode = clean_line(address.get("postalCode"))
    if postcode:
        upper = postcode.upper()
        if _UK_POSTCODE.match(upper):
            out["postcode"] = upper
        else:
            left.append(LeftOutValue("address.postcode", f"{postcode!r} is not a UK postcode"))
    country = clean_line(address.get("countryName"))
    if country:
        code = country.upper() if re.fullmatch(r"[A-Za-z]{2}", country) else _COUNTRIES.get(country.casefold())
        if code:
            out["country"] = code
        else:
            left.append(LeftOutValue("address.country", f"{country!r} is not a country the import recognises"))
    return out


@dataclass
class OrgEntry:
    """One organisation of the register, existing or found in this import."""

    id: str
    data: dict[str, Any]  # without id/roles
    roles: set[str] = field(default_factory=set)
    used_roles: set[str] = field(default_factory=set)  # roles in records accepted by this import
    existing: bool = False
    handwritten: bool = False  # an existing file without the import's header: never rewritten
    keys: set[tuple[str, ...]] = field(default_factory=set)
    left_out: list[LeftOutValue] = field(default_factory=list)


class OrgIndex:
    """Finds or adds the organisation for a party; ids are derived from the name, stable between runs."""

    def __init__(self, schemas: RegisterSchemas):
        self.schemas = schemas
        self.allowed_schemes = schemas.codes("identifier_scheme")
        self.entries: dict[str, OrgEntry] = {}
        self._by_key: dict[tuple[str, ...], str] = {}
        self._taken: set[str] = set()  # casefolded ids in use

    def add_existing(self, org_id: str, data: dict[str, Any], handwritten: bool) -> None:
        body = {k: v for k, v in data.items() if k not in ("id", "roles")}
        entry = OrgEntry(org_id, body, set(data.get("roles") or ()), existing=True, handwritten=handwritten)
        self._register(entry, _keys_from_record(data))

    def _register(self, entry: OrgEntry, keys: list[tuple[str, ...]]) -> None:
        self.entries[entry.id] = entry
        self._taken.add(entry.id.casefold())
        for key in keys:
            entry.keys.add(key)
            self._by_key.setdefault(key, entry.id)

    def _find(self, id_keys: list[tuple[str, str]], name_key: str | None) -> str | None:
        for key in id_keys:
            found = self._by_key.get(("id", *key))
            if found:
                return found
        if name_key:
            found = self._by_key.get(("name", name_key))
            if found:
                entry = self.entries[found]
                schemes = {k[1]: k[2] for k in entry.keys if k[0] == "id"}
                if not any(scheme in schemes and schemes[scheme] != value for scheme, value in id_keys):
                    return found
        return None

    def resolve(self, party: dict[str, Any]) -> tuple[str | None, str | None]:
        """(organisation id, None) or (None, why the party cannot be an organisation)."""
        data, left = map_party(party, self.schemas, self.allowed_schemes)
        name = data.get("name")
        id_keys = identifier_keys(party)
        source_id = str(party.get("id") or "").strip()
        if (not name or len(name) < 2) and (id_keys or source_id):
            # a supplier the source identifies but does not name is still the supplier: the page says so plainly
            # rather than dropping the award ("no supplier")
            found = self._find(id_keys, None)
            if found:
                return found, None
            label = source_id or ":".join(id_keys[0])
            name = data["name"] = f"Unnamed organisation {label}"[:300]
            left.append(LeftOutValue("name", f"the source gives no name: shown as {name!r}"))
        if not name or len(name) < 2:
            return None, "the party has no name"
        name_key = normalise_name(name)
        keys: list[tuple[str, ...]] = [("id", *k) for k in id_keys] + [("name", name_key)]
        if data.get("legal_name"):
            keys.append(("name", normalise_name(data["legal_name"])))
        found = self._find(id_keys, name_key)
        if found:
            entry = self.entries[found]
            if not entry.handwritten:
                entry.data.update(data)  # later processes (sorted oldest first) win
                entry.left_out.extend(left)
            for key in keys:
                entry.keys.add(key)
                self._by_key.setdefault(key, entry.id)
            return found, None
        org_id = self._new_id(name, keys[0])
        self._register(OrgEntry(org_id, data, left_out=left), keys)
        return org_id, None

    def _new_id(self, name: str, primary_key: tuple[str, ...]) -> str:
        base = make_id(name.lower(), fallback="organisation")
        if base.casefold() not in self._taken:
            return base
        digest = hashlib.sha1("\x1f".join(primary_key).encode()).hexdigest()[:6]
        candidate = make_id(f"{base[:57]}-{digest}")
        number = 2
        while candidate.casefold() in self._taken:
            candidate = make_id(f"{base[:54]}-{digest}-{number}")
            number += 1
        return candidate

    def use(self, org_id: str, role: str) -> None:
        self.entries[org_id].used_roles.add(role)


def _keys_from_record(data: dict[str, Any]) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    for ident in [data.get("identifier"), *list(data.get("additional_identifiers") or [])]:
        if isinstance(ident, dict) and ident.get("scheme") and ident.get("id"):
            keys.append(("id", str(ident["scheme"]).upper(), str(ident["id"]).upper()))
    for name in (data.get("name"), data.get("legal_name")):
        if isinstance(name, str) and name.strip():
            keys.append(("name", normalise_name(name)))
    return keys
