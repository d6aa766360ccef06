"""Regenerate the demonstration register in ``records/`` (a fictional Greenbridge and its partners).

    python tests/benchmarks/make_demo.py [--out records]

The content is written out below as data — organisations, measures, tenders with their lots and the commitments
each supplier made — and the delivery reports are derived from each commitment's *intent* (delivered, on track,
behind, overdue, not yet due, withdrawn, described) so that, as of the register's pinned reference date
(``as_of: 2026-11-01`` in mkdocs.yml), every commitment status the site computes occurs several times. A seeded
``random.Random`` varies the figures and wording, so the output is the same on every run.

Intent → data, following the status rules in ``site_builder/social_value.py`` (periods run back to back from the
commitment period's start; one is due 30 days after it ends; "on track" = at least 90% of the pro-rata target):

* delivered: reports on every due period, the running total reaching 100–120% of the full target;
* on-track: every due period reported, running total 100–115% of the pro-rata target at the last reported period;
* behind: every due period reported, running total 30–60% of the pro-rata target;
* overdue: the last one or two due periods have no report (or nothing was ever reported);
* not-yet-due: the first period has not ended (contracts starting in the second half of 2026 or later);
* withdrawn / described: status withdrawn, or an inconspicuous benefit reported in words.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import math
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import (  # a script beside generate.py, not a package
    AS_OF,
    LOCAL_MEASURES,
    PPN002_MEASURES,
    REPO_ROOT,
    TOMS_MEASURES,
    iter_periods,
    period_label,
    write_records,
)

GRACE = timedelta(days=30)
GREENBRIDGE = {"name": "Greenbridge", "local_authority_code": "E07000901"}
SITE = "https://www.greenbridge.gov.uk"
FTS = "https://www.find-tender.service.gov.uk/Notice/"
CF = "https://www.contractsfinder.service.gov.uk/Notice/"
PROXY_SOURCE = "Greenbridge Social Value Measures 2024: local proxy values"

# ----------------------------------------------------------------------------------------------------------------
# Organisations
# ----------------------------------------------------------------------------------------------------------------

BUYERS: list[dict[str, Any]] = [
    {"id": "greenbridge-borough-council", "name": "Greenbridge Borough Council",
     "identifier": {"scheme": "GB-LAE", "id": "GRB"},
     "additional_identifiers": [{"scheme": "GB-PPON", "id": "PXQN-4821-HBTD"}],
     "organisation_type": "local-authority", "roles": ["buyer"],
     "address": {"street": "Town Hall, Market Square", "town": "Greenbridge", "postcode": "GB1 1AA", "country": "GB"},
     "local_authority_area": GREENBRIDGE, "website": SITE,
     "description": "The borough council for Greenbridge and the surrounding villages, serving about 128,000 residents."},
    {"id": "greenbridge-schools-trust", "name": "Greenbridge Schools Trust", "legal_name": "Greenbridge Schools Trust Ltd",
     "identifier": {"scheme": "GB-COH", "id": "09876512"},
     "additional_identifiers": [{"scheme": "GB-EDU", "id": "TR04521"}, {"scheme": "GB-PPON", "id": "PKWD-1937-RMTA"}],
     "organisation_type": "school-trust", "roles": ["buyer"],
     "address": {"street": "Castle Hill Academy, Mill Lane", "town": "Greenbridge", "postcode": "GB3 4QT", "country": "GB"},
     "local_authority_area": GREENBRIDGE, "website": "https://www.greenbridgeschools.org.uk",
     "description": "A multi-academy trust of eleven primary and three secondary schools in the borough."},
    {"id": "greenbridge-and-district-nhs-trust", "name": "Greenbridge and District NHS Trust",
     "identifier": {"scheme": "GB-NHS", "id": "R9G"},
     "additional_identifiers": [{"scheme": "GB-PPON", "id": "PNVB-7720-HHCE"}],
     "organisation_type": "nhs-body", "roles": ["buyer"],
     "address": {"street": "Greenbridge General Hospital, Infirmary Road", "town": "Greenbridge", "postcode": "GB2 7NH",
                 "country": "GB"},
     "local_authority_area": GREENBRIDGE, "website": "https://www.greenbridge-nhs.example.uk",
     "description": "Runs Greenbridge General Hospital and community health services across Greenbridge and Ashworth."},
]

ASHWORTH = ("Ashworth", "E07000902")
ELSEWHERE = {
    "Birmingham": "E08000025", "Leeds": "E08000035", "Manchester": "E08000003", "Bristol": "E06000023",
    "London": "E09000033", "Kirklees": "E08000034", "Newcastle upon Tyne": "E08000021", "Sheffield": "E08000019",
    "City of London": "E09000001", "Reading": "E06000038", "Nottingham": "E06000018", "Coventry": "E08000026",
    "Warrington": "E06000007", "Milton Keynes": "E06000042", "Southwark": "E09000028", "Stroud": "E07000082",
    "Cambridge": "E07000008", "Ashworth": ASHWORTH[1],
}
# (id, name, type, scheme, number, sme, vcse, place (Greenbridge or key of ELSEWHERE), postcode, description, ppon)
SUPPLIERS: list[tuple[str, str, str, str, str, bool, bool, str, str, str, str | None]] = [
    ("greenbridge-grounds-ltd", "Greenbridge Grounds Ltd", "company", "GB-COH", "08451237", True, False, "Greenbridge",
     "GB4 2LP", "Family-run landscaping firm working in the borough's parks since 1994.", "PGRL-5310-KDAW"),
    ("northgate-community-transport", "Northgate Community Transport", "charity", "GB-CHC", "1098765", True, True,
     "Greenbridge", "GB5 1NT", "Dial-a-ride and minibus services run by volunteers and paid drivers.", None),
    ("riverside-kitchen-cic", "Riverside Kitchen CIC", "community-interest-company", "GB-COH", "11234570", True, True,
     "Greenbridge", "GB1 3RK", "Community kitchen that trains young people in catering while cooking school meals.",
     "PRVK-2281-CCTE"),
    ("greenbridge-homecare-cooperative", "Greenbridge Homecare Co-operative", "cooperative", "GB-MPR", "RS007812", True,
     True, "Greenbridge", "GB2 5HC", "Care-worker-owned co-operative providing home care across the borough.", None),
    ("hawthorn-civil-engineering-ltd", "Hawthorn Civil Engineering Ltd", "company", "GB-COH", "05512384", True, False,
     "Greenbridge", "GB6 8HW", "Highways and drainage contractor with a depot on the Brookside estate.", "PHCE-8842-TRWM"),
    ("bridgeway-it-ltd", "Bridgeway IT Ltd", "company", "GB-COH", "07765123", True, False, "Greenbridge", "GB1 5BW",
     "IT support and networking for schools and small public bodies.", "PBIT-1043-NNZE"),
    ("kingfisher-cleaning-services-ltd", "Kingfisher Cleaning Services Ltd", "company", "GB-COH", "06678901", True, False,
     "Greenbridge", "GB3 2KF", "Commercial cleaning for offices, schools and clinics.", None),
    ("greenbridge-mind", "Greenbridge Mind", "charity", "GB-CHC", "1102234", True, True, "Greenbridge", "GB1 4MD",
     "Local mental-health charity, part of the Mind federation.", None),
    ("old-mill-print-works-ltd", "Old Mill Print Works Ltd", "company", "GB-COH", "04432198", True, False, "Greenbridge",
     "GB4 6OM", "Printing and mailing house in the converted Old Mill.", None),
    ("castle-street-electrical-ltd", "Castle Street Electrical Ltd", "company", "GB-COH", "09012387", True, False,
     "Greenbridge", "GB1 2CS", "Electrical contractor: street lighting, EV charge points and building services.",
     "PCSE-6630-BLXQ"),
    ("greenbridge-youth-trust", "Greenbridge Youth Trust", "charity", "GB-CHC", "1145567", True, True, "Greenbridge",
     "GB5 3YT", "Youth work, mentoring and holiday activities for 11 to 19 year olds.", None),
    ("meadowbank-farm-foods-ltd", "Meadowbank Farm Foods Ltd", "company", "GB-COH", "10345672", True, False,
     "Greenbridge", "GB7 1MB", "Farm and wholesale food supplier: fresh produce, dairy and meat from local farms.", None),
    ("elm-tree-furniture-reuse", "Elm Tree Furniture Reuse", "social-enterprise", "GB-COH", "12098443", True, True,
     "Greenbridge", "GB6 2ET", "Collects, repairs and resells furniture; trains long-term unemployed people.",
     "PETF-3318-WQRA"),
    ("fairfield-roofing-ltd", "Fairfield Roofing Ltd", "company", "GB-COH", "08876234", True, False, "Greenbridge",
     "GB4 9FR", "Roofing and building maintenance contractor.", None),
    ("greenbridge-citizens-advice", "Citizens Advice Greenbridge", "charity", "GB-CHC", "1087123", True, True,
     "Greenbridge", "GB1 1CA", "Free, independent advice on debt, benefits, housing and work.", None),
    ("sandra-okafor-consulting", "Sandra Okafor Consulting", "sole-trader", "GB-PPON", "PSOC-4471-MDKE", True, False,
     "Greenbridge", "GB2 3SO", "Independent consultant in commissioning and service design.", None),
    ("ashdown-partnership-llp", "Ashdown Partnership LLP", "partnership", "GB-COH", "OC412345", True, False,
     "Greenbridge", "GB1 6AP", "Chartered accountants and payroll bureau.", None),
    ("greenbridge-cycle-hub-cic", "Greenbridge Cycle Hub CIC", "community-interest-company", "GB-COH", "13345098", True,
     True, "Greenbridge", "GB3 7CH", "Bike repair, cargo-bike deliveries and cycle training.", "PGCH-9902-LTNE"),
    ("amberline-facilities-plc", "Amberline Facilities plc", "company", "GB-COH", "02345678", False, False, "Birmingham",
     "B3 2AF", "National facilities management group.", "PAFP-1200-QZXS"),
    ("caldwell-construction-group-ltd", "Caldwell Construction Group Ltd", "company", "GB-COH", "03456712", False, False,
     "Leeds", "LS1 4CC", "Regional building contractor for public-sector refurbishment.", "PCCG-3087-HWJD"),
    ("northstar-digital-services-ltd", "Northstar Digital Services Ltd", "company", "GB-COH", "06123987", False, False,
     "Manchester", "M1 3ND", "Managed IT services and cloud hosting.", "PNDS-5514-AAKP"),
    ("verdant-environmental-services-ltd", "Verdant Environmental Services Ltd", "company", "GB-COH", "04987123", False,
     False, "Bristol", "BS1 6VE", "Waste collection, recycling and grounds services for councils.", "PVES-7741-CRUF"),
    ("brightpath-care-ltd", "Brightpath Care Ltd", "company", "GB-COH", "05678234", False, False, "London", "SW1P 4BC",
     "Home care and supported living provider operating in 40 council areas.", "PBCL-2290-XHEM"),
    ("hallmark-school-catering-ltd", "Hallmark School Catering Ltd", "company", "GB-COH", "07234561", False, False,
     "Birmingham", "B15 2HS", "School and college catering contractor.", None),
    ("pennine-surfacing-ltd", "Pennine Surfacing Ltd", "company", "GB-COH", "08123765", True, False, "Kirklees", "HD1 3PS",
     "Road surfacing and line-marking contractor.", None),
    ("quayside-recruitment-ltd", "Quayside Recruitment Ltd", "company", "GB-COH", "06987234", False, False,
     "Newcastle upon Tyne", "NE1 3QR", "Temporary and interim staffing for the public sector.", "PQRL-6653-JPVB"),
    ("lumen-street-lighting-ltd", "Lumen Street Lighting Ltd", "company", "GB-COH", "09456123", True, False, "Sheffield",
     "S1 2LL", "Street-lighting design, LED conversion and maintenance.", None),
    ("fenwick-hale-llp", "Fenwick & Hale LLP", "partnership", "GB-COH", "OC398765", False, False, "City of London",
     "EC2V 7FH", "Audit & assurance partnership (public sector < 20% of fees > 10 years' experience).", None),
    ("open-road-community-transport", "Open Road Community Transport", "charity", "GB-CHC", "1123987", True, True,
     "Ashworth", "GB9 2OR", "Community transport for older and disabled people in Ashworth and Greenbridge.", None),
    ("ashworth-foodbank", "Ashworth Foodbank", "charity", "GB-CHC", "1156789", True, True, "Ashworth", "GB9 5AF",
     "Foodbank and holiday-hunger programme.", None),
    ("chargewell-networks-ltd", "ChargeWell Networks Ltd", "company", "GB-COH", "11567234", True, False, "Reading",
     "RG1 8CW", "Installs and operates public electric-vehicle charge points.", "PCWN-4428-EUVT"),
    ("folio-library-supplies-ltd", "Folio Library Supplies Ltd", "company", "GB-COH", "01987654", False, False,
     "Nottingham", "NG1 5FL", "Book and e-book supplier to public and school libraries.", None),
    ("sunrise-supported-living", "Sunrise Supported Living", "charity", "GB-CHC", "1134456", True, True, "Coventry",
     "CV1 2SL", "Supported housing for young people leaving care.", "PSSL-8807-DNRG"),
    ("redwood-fleet-solutions-ltd", "Redwood Fleet Solutions Ltd", "company", "GB-COH", "04321876", False, False,
     "Warrington", "WA1 1RF", "Supplies and maintains refuse and specialist vehicles.", None),
    ("brightwater-cleaning-cooperative", "Brightwater Cleaning Co-operative", "cooperative", "GB-MPR", "RS009934", True,
     True, "Bristol", "BS2 0BW", "Worker-owned cleaning co-operative paying the Real Living Wage.", None),
    ("atlas-managed-print-ltd", "Atlas Managed Print Ltd", "company", "GB-COH", "07876543", True, False, "Milton Keynes",
     "MK9 2AP", "Multi-function printers and print management.", None),
    ("heritage-stonemasonry-ltd", "Heritage Stonemasonry Ltd", "company", "GB-COH", "10876321", True, False, "Ashworth",
     "GB9 7HS", "Conservation stonework and listed-building repairs.", None),
    ("thameside-security-services-ltd", "Thameside Security Services Ltd", "company", "GB-COH", "05234876", False, False,
     "Southwark", "SE1 9TS", "Manned guarding, CCTV monitoring and key holding.", "PTSS-1175-GKEB"),
    ("greenfield-solar-cooperative", "Greenfield Solar Co-operative", "cooperative", "GB-MPR", "RS010245", True, True,
     "Stroud", "GL5 1GS", "Community-owned solar installer; surpluses fund local energy-saving projects.", None),
    ("pathways-to-work-cic", "Pathways to Work CIC", "community-interest-company", "GB-COH", "12876345", True, True,
     "Manchester", "M4 6PW", "Employment support for disabled people and people with health conditions.", "PPTW-3360-YHUA"),
    ("meridian-health-analytics-ltd", "Meridian Health Analytics Ltd", "company", "GB-COH", "11098234", True, False,
     "Cambridge", "CB1 2MH", "Clinical data and population-health analytics.", "PMHA-2209-SCLD"),
    ("crown-medical-supplies-ltd", "Crown Medical Supplies Ltd", "company", "GB-COH", "03345987", False, False,
     "Coventry", "CV3 4CM", "Medical consumables and equipment distributor.", None),
]


def build_organisations() -> list[dict[str, Any]]:
    orgs = [dict(b) for b in BUYERS]
    for oid, name, otype, scheme, number, sme, vcse, place, postcode, description, ppon in SUPPLIERS:
        org: dict[str, Any] = {"id": oid, "name": name}
        if otype in ("company", "community-interest-company", "social-enterprise") and not name.endswith(("CIC", "plc")):
            org["legal_name"] = name if name.endswith(("Ltd", "LLP")) else f"{name} Ltd"
        org["identifier"] = {"scheme": scheme, "id": number}
        if ppon:
            org["additional_identifiers"] = [{"scheme": "GB-PPON", "id": ppon}]
        org["organisation_type"] = otype
        org["roles"] = ["supplier"]
        org["is_sme"] = sme
        org["is_vcse"] = vcse
        town = "Greenbridge" if place == "Greenbridge" else place
        org["address"] = {"town": town, "postcode": postcode, "country": "GB"}
        org["local_authority_area"] = GREENBRIDGE if place == "Greenbridge" else {"name": place,
                                                                                 "local_authority_code": ELSEWHERE[place]}
        org["description"] = description
        orgs.append(org)
    return orgs


# ----------------------------------------------------------------------------------------------------------------
# Measures: the local catalogue "Greenbridge Social Value Measures 2024" plus the PPN 002 metrics the NHS trust uses
# ----------------------------------------------------------------------------------------------------------------

MEASURE_TEXT: dict[str, tuple[str, str]] = {  # code → (description, counting guidance)
    "GSV-01": ("Full-time-equivalent jobs on the contract held by Greenbridge residents.",
               "Count each new starter once, as FTE (30 hours a week = 1 FTE), in the period they start."),
    "GSV-02": ("Jobs given to residents who had been unemployed for a year or more.",
               "Count each person once, for the first year only; do not count the same person under GSV-03 or GSV-04."),
    "GSV-03": ("Jobs given to 16 to 24 year olds who were not in education, employment or training.",
               "Count each person once, as FTE, in the period they start."),
    "GSV-04": ("Jobs given to young people leaving the council's care, aged 16 to 25.",
               "Count each person once; agree the referral with the leaving-care team first."),
    "GSV-05": ("Jobs held by disabled people, including people with long-term health conditions.",
               "Count FTE in post at the end of the period; self-declaration is enough."),
    "GSV-06": ("Weeks of apprenticeship (levels 2 to 4) completed on the contract.",
               "One apprentice for one week = 1 week; count only weeks spent on this contract."),
    "GSV-07": ("Weeks of accredited training (BTEC, City & Guilds, NVQ, HNC) for staff on the contract.",
               "Count completed weeks of study; part-time study counts pro rata."),
    "GSV-08": ("Weeks of work placement (at least six weeks each) for residents.",
               "Count weeks attended; unpaid placements must follow the council's placement charter."),
    "GSV-09": ("Careers talks, mock interviews and mentoring delivered in Greenbridge schools and colleges.",
               "Hours of the session × the number of pupils attending."),
    "GSV-10": ("Money spent on this contract with suppliers whose business address is in Greenbridge.",
               "Count invoices paid in the period; exclude spend with the prime contractor's own branches."),
    "GSV-11": ("Money spent on this contract with charities, community interest companies and social enterprises.",
               "Count invoices paid in the period."),
    "GSV-12": ("Money spent on this contract with small and medium-sized enterprises (under 250 staff).",
               "Count invoices paid in the period."),
    "GSV-13": ("Hours of expert advice (finance, HR, marketing, bidding) given free to local VCSEs and small firms.",
               "Hours of staff time; valued at the expert rate."),
    "GSV-14": ("Hours employees spend volunteering on community projects in Greenbridge, in paid time.",
               "Hours of staff time on projects agreed with the council's community team."),
    "GSV-15": ("Money and the value of goods given to Greenbridge community groups.",
               "Count cash at face value and goods at the price the supplier would charge."),
    "GSV-16": ("Residents taking part in health and wellbeing programmes run or funded through the contract.",
               "Count people, not sessions: each person once per reporting period."),
    "GSV-17": ("Greenhouse gas emissions avoided on the contract compared with the baseline in the bid.",
               "Calculate with the UK Government conversion factors for the year; state the baseline."),
    "GSV-18": ("Waste kept out of landfill through reuse, repair and recycling.",
               "Tonnes from waste transfer notes; reuse counts before recycling."),
    "GSV-19": ("Miles driven by zero-emission vehicles that would otherwise have been driven by diesel vehicles.",
               "From vehicle telematics; count only miles on this contract."),
    "GSV-20": ("Community events, open days and activities delivered for residents.",
               "Count events; give attendance in the narrative."),
    "GSV-21": ("Benefits residents value that are hard to count: pride in their area, trust in local services, a "
               "sense of belonging. Reported in words and in residents' own voices.",
               "Report at least one case study a period; the count is the number of case studies."),
}
PPN002_TEXT = {
    "1a": "Mission: kick start economic growth. Policy outcome 1, fair work: create and retain high-quality jobs.",
    "2a": "Mission: kick start economic growth. Policy outcome 2, skills for growth.",
    "4a": "Mission: make Britain a clean energy superpower. Policy outcome 4, sustainable procurement practices.",
    "6a": "Mission: break down barriers to opportunity. Policy outcome 6, employment and training for disabled people.",
}


def build_measures() -> list[dict[str, Any]]:
    measures = []
    for code, title, unit, theme, sdgs, proxy in LOCAL_MEASURES:
        description, guidance = MEASURE_TEXT[code]
        m: dict[str, Any] = {"id": code, "scheme": "local", "scheme_version": "2024", "code": code, "title": title,
                             "description": description, "unit": unit, "theme": theme, "sdgs": sdgs,
                             "counting_guidance": guidance}
        if proxy is not None:
            m["proxy"] = {"value_gbp_per_unit": proxy, "source": PROXY_SOURCE, "version": "2024", "licence": "OGL-UK-3.0"}
        m["url"] = f"{SITE}/social-value/measures#{code.lower()}"
        measures.append(m)
    for code, title, unit, theme, sdgs in PPN002_MEASURES:
        measures.append({"id": f"PPN002-{code.upper()}", "scheme": "ppn-002", "scheme_version": "2025", "code": code,
                         "title": title, "description": PPN002_TEXT[code], "unit": unit, "theme": theme, "sdgs": sdgs,
                         "counting_guidance": "Report against the standard reporting metric in the contract's social "
                                              "value schedule.",
                         "url": "https://www.gov.uk/government/publications/procurement-policy-note-002-taking-account-"
                                "of-social-value-in-the-award-of-contracts"})
    return measures


MEASURE_INFO: dict[str, tuple[str, str, str, list[int], float | None]] = {  # key → (scheme, unit, theme, sdgs, proxy)
    **{code: ("local", unit, theme, sdgs, proxy) for code, _, unit, theme, sdgs, proxy in LOCAL_MEASURES},
    **{code: ("ppn-002", unit, theme, sdgs, None) for code, _, unit, theme, sdgs in PPN002_MEASURES},
    **{code: ("national-toms", unit, theme, sdgs, None) for code, unit, theme, sdgs in TOMS_MEASURES},
}
SCHEME_VERSION = {"local": "2024", "ppn-002": "2025", "national-toms": "2024"}

# what a commitment promises, by measure: description template ({q} = quantity), beneficiary group
PROMISE: dict[str, tuple[str, str | None]] = {
    "GSV-01": ("Employ {q} Greenbridge residents (FTE) on the contract, recruited through Greenbridge Works.",
               "Greenbridge residents looking for work"),
    "GSV-02": ("Hire {q} residents (FTE) who have been out of work for more than a year.", "Long-term unemployed residents"),
    "GSV-03": ("Give {q} jobs (FTE) to young people who are not in education, employment or training.",
               "Young people aged 16 to 24 who are NEET"),
    "GSV-04": ("Offer {q} jobs (FTE) to care leavers referred by the leaving-care team.", "Care leavers aged 16 to 25"),
    "GSV-05": ("Employ {q} disabled people (FTE) on the contract, with workplace adjustments.", "Disabled residents"),
    "GSV-06": ("Provide {q} weeks of apprenticeships on the contract.", "Apprentices from the borough"),
    "GSV-07": ("Fund {q} weeks of accredited training for staff working on the contract.", "Contract staff"),
    "GSV-08": ("Offer {q} weeks of work placements to residents.", "Residents returning to work"),
    "GSV-09": ("Deliver {q} hours × attendees of careers talks and mentoring in local schools.",
               "Pupils in Greenbridge secondary schools"),
    "GSV-10": ("Spend £{q} with Greenbridge-based suppliers through the contract.", "Greenbridge businesses"),
    "GSV-11": ("Spend £{q} with local charities and social enterprises in the supply chain.",
               "Voluntary, community and social enterprises"),
    "GSV-12": ("Spend £{q} with small and medium-sized firms in the supply chain.", "Small and medium-sized enterprises"),
    "GSV-13": ("Give {q} hours of free expert advice to local charities and small firms.", "Local VCSEs and small firms"),
    "GSV-14": ("Give {q} hours of staff volunteering to community projects in Greenbridge.", "Community groups"),
    "GSV-15": ("Donate £{q} in money and goods to Greenbridge community groups.", "Community groups"),
    "GSV-16": ("Involve {q} residents in health and wellbeing programmes.", "Residents with poor health outcomes"),
    "GSV-17": ("Cut emissions on the contract by {q} tonnes CO2e against the bid baseline.", None),
    "GSV-18": ("Divert {q} tonnes of waste from landfill through reuse and recycling.", None),
    "GSV-19": ("Replace {q} diesel miles with zero-emission vehicle miles.", None),
    "GSV-20": ("Run {q} community events and open days for residents.", "Residents of the borough"),
    "GSV-21": ("Help residents feel proud of their area and trust the service; report {q} case studies in their own words.",
               "Residents of the neighbourhoods served"),
    "1a": ("Create or retain {q} full-time-equivalent jobs under the contract.", "Local jobseekers"),
    "2a": ("Deliver {q} weeks of training opportunities under the contract.", "Staff and trainees"),
    "4a": ("Reduce greenhouse gas emissions by {q} tonnes CO2e over the contract.", None),
    "6a": ("Employ {q} disabled people (FTE) under the contract.", "Disabled people"),
    "NT1": ("Employ {q} local people (FTE) on the contract (National TOMs NT1).", "Local residents"),
    "NT10": ("Provide {q} weeks of apprenticeships on the contract (National TOMs NT10).", "Apprentices"),
    "NT18": ("Spend £{q} in the local supply chain (National TOMs NT18).", "Local businesses"),
    "NT28": ("Give {q} hours of staff volunteering to local community projects (National TOMs NT28).", "Community groups"),
    "NT31": ("Save {q} tonnes CO2e on the contract (National TOMs NT31).", None),
}

# ----------------------------------------------------------------------------------------------------------------
# Tenders and awards. Each tender: buyer, title, description, CPV, category, method, status, published, tender
# period days, estimated value, SV weighting, themes, engagement, lots. Each lot (award): suppliers, value,
# contract start, months, number of tenderers, commitments. Each commitment: (measure, quantity, frequency,
# intent[, options]).
# ----------------------------------------------------------------------------------------------------------------

C, S, N = "greenbridge-borough-council", "greenbridge-schools-trust", "greenbridge-and-district-nhs-trust"

ENGAGEMENT: dict[str, tuple[str, str, int | None]] = {
    "consult": ("public-consultation", "Residents were asked which social-value priorities matter most for this service; "
                "local jobs and cleaner streets came first.", 312),
    "market": ("market-engagement-event", "Market engagement event at the Town Hall to explain the requirement and test "
               "lotting with potential bidders.", 41),
    "panel": ("residents-panel", "Two residents from the Tenants' Forum sat on the evaluation panel and scored the "
              "social-value answers.", 2),
    "codesign": ("co-design-workshop", "Co-design workshop with people who use the service and their carers to shape "
                 "the specification.", 23),
    "survey": ("survey", "Online and paper survey of service users about what a good service looks like.", 487),
    "briefing": ("supplier-briefing", "Meet-the-buyer briefing for local SMEs and VCSEs, with help on how to bid.", 36),
    "schools": ("survey", "Pupils and parents in all fourteen schools voted on menus and the social-value themes.", 1260),
    "patients": ("co-design-workshop", "Patient and carer representatives worked with clinicians on the service "
                 "outcomes.", 17),
}

Lot = dict[str, Any]
Row = dict[str, Any]


def lot(suppliers: str | list[str], value: float, start: str, months: int, tenderers: int | None,
        commitments: list[tuple[Any, ...]], **extra: Any) -> Lot:
    return {"suppliers": [suppliers] if isinstance(suppliers, str) else suppliers, "value": value, "start": start,
            "months": months, "tenderers": tenderers, "commitments": commitments, **extra}


def tender(buyer: str, title: str, description: str, cpv: list[str], category: str, method: str, status: str,
           published: str, days: int | None, value: float, sv: float | None, themes: list[str], engagement: list[str],
           lots: list[Lot], **extra: Any) -> Row:
    return {"buyer": buyer, "title": title, "description": description, "cpv": cpv, "category": category,
            "method": method, "status": status, "published": published, "days": days, "value": value, "sv": sv,
            "themes": themes, "engagement": engagement, "lots": lots, **extra}


A, SM, Q = "annual", "six-monthly", "quarterly"
D, OT, BH, OD, NY, WD, RP = "delivered", "on-track", "behind", "overdue", "not-yet-due", "withdrawn", "reported"

TENDERS: list[Row] = [
    # ---- 2021–2022: contracts now finished (PCR 2015) --------------------------------------------------------------
    tender(C, "Grounds maintenance for parks and open spaces",
           "Mowing, planting, litter picking and play-area inspections in 42 parks and open spaces, in two lots "
           "(north and south of the river).", ["77313000", "77311000"], "services", "open", "complete", "2021-11-08", 35,
           2_200_000, 10, ["jobs", "environment"], ["consult", "market"], [
               lot("greenbridge-grounds-ltd", 980_000, "2022-04-01", 36, 4, [
                   ("GSV-01", 3, A, D), ("GSV-06", 156, A, D), ("GSV-14", 400, A, BH, {"sdgs": [11, 15, 17]})]),
               lot("verdant-environmental-services-ltd", 760_000, "2022-04-01", 24, 4, [
                   ("NT1", 2, A, D), ("GSV-18", 120, A, D), ("GSV-17", 40, A, BH)]),
           ]),
    tender(S, "School meals catering for primary schools",
           "Hot lunches, breakfast clubs and holiday-activity meals for eleven primary schools.",
           ["55523100", "55524000"], "services", "open", "complete", "2021-12-06", 40, 3_600_000, 15,
           ["jobs", "growth", "social"], ["schools", "briefing"], [
               lot("riverside-kitchen-cic", 3_480_000, "2022-09-01", 36, 3, [
                   ("GSV-03", 6, A, D), ("GSV-10", 600_000, A, D, {"sdgs": [2, 8, 11]}),
                   ("GSV-21", 4, A, RP, {"benefit_type": "inconspicuous"})]),
           ]),
    tender(C, "Community transport: dial-a-ride and shopping buses",
           "Door-to-door transport for residents who cannot use buses, and weekly shopping routes from the villages.",
           ["60112000", "60130000"], "services", "selective", "complete", "2022-01-17", 30, 640_000, 20,
           ["social", "equality"], ["codesign", "panel"], [
               lot("northgate-community-transport", 412_000, "2022-07-01", 24, 2, [
                   ("GSV-14", 1200, A, D), ("GSV-20", 24, A, D), ("GSV-05", 2, A, D)]),
           ]),
    tender(C, "Highways resurfacing programme 2022-2025",
           "Planned resurfacing of A and B roads and estate roads, with drainage repairs.", ["45233223", "45233142"],
           "works", "open", "complete", "2022-02-14", 42, 7_500_000, 10, ["jobs", "environment"], ["market"], [
               lot("hawthorn-civil-engineering-ltd", 6_950_000, "2022-07-01", 36, 5, [
                   ("GSV-01", 8, A, D), ("GSV-06", 520, A, BH), ("GSV-17", 180, A, D)],
                   kpis=True, changes=[
                       ("2023-09-18", ["value", "scope"], 7_400_000, None,
                        "Drainage repairs on 14 roads damaged in the July 2023 floods added to the programme.",
                        "Flood damage found during resurfacing had to be repaired before the new surface was laid.",
                        "PCR 2015 reg. 72(1)(c) (unforeseeable circumstances)"),
                       ("2025-03-10", ["value", "end-date"], 8_000_000, "2025-12-31",
                        "Six-month extension to finish the programme, with the remaining estate roads.",
                        "Wet weather in 2024 and the flood repairs delayed the last phase.",
                        "PCR 2015 reg. 72(1)(b) (additional works by the original contractor)")],
                   kpi_ratings={"KPI1": ["good", "good", "good"],
                                "KPI2": ["approaching-target", "good", "good"],
                                "KPI3": ["other", "requires-improvement", "approaching-target"]}),
           ]),
    tender(N, "Patient transport for outpatient appointments",
           "Non-emergency patient transport between home and Greenbridge General Hospital.", ["60130000"],
           "services", "open", "complete", "2022-03-21", 35, 1_450_000, 10, ["environment", "social"], ["patients"], [
               lot("open-road-community-transport", 930_000, "2022-10-01", 24, 3, [
                   ("GSV-19", 60_000, A, D), ("GSV-14", 300, A, D)], changes=[
                       ("2024-07-15", ["value", "end-date"], 1_395_000, "2025-09-30",
                        "Twelve-month extension of the whole service on the same prices.",
                        "The re-procurement was paused while the trust reviewed eligibility criteria.",
                        "PCR 2015 reg. 72(1)(a) (extension option in the contract)")]),
           ]),
    tender(C, "Library books and e-books",
           "Supply of adult and children's books, e-books and audiobooks for six libraries.", ["22113000", "22111000"],
           "goods", "open", "complete", "2022-05-09", 30, 420_000, 10, ["skills"], [], [
               lot("folio-library-supplies-ltd", 264_000, "2022-10-01", 24, 3, [("GSV-09", 600, A, D)]),
           ], law_source={"scheme": "CELEX", "id": "32014L0024",
                          "description": "Directive 2014/24/EU, as published by the consortium that ran this joint "
                                         "procurement", "uri": "https://eur-lex.europa.eu/eli/dir/2014/24/oj"}),
    tender(C, "Internal audit and counter-fraud services",
           "Internal audit plan delivery and counter-fraud investigations for the council.", ["79212200"],
           "services", "limited", "complete", "2022-06-20", 21, 380_000, 10, ["growth"], [], [
               lot("fenwick-hale-llp", 243_000, "2022-11-01", 24, 2, [("GSV-13", 120, A, BH)]),
           ]),
    tender(S, "Office and classroom cleaning",
           "Daily cleaning of fourteen school sites and the trust's central office.", ["90919200", "90919300"],
           "services", "open", "complete", "2023-09-04", 28, 1_900_000, 15, ["jobs", "equality"], ["briefing"], [
               lot("brightwater-cleaning-cooperative", 1_840_000, "2024-04-01", 48, 6, [
                   ("GSV-05", 3, A, D), ("GSV-02", 4, A, OT), ("GSV-12", 90_000, A, OT)]),
           ]),
    # ---- 2023: contracts running now ---------------------------------------------------------------------------------
    tender(C, "Home care for adults (domiciliary care framework)",
           "Care and support at home for older and disabled adults, in four geographic zones.", ["85312400", "85311200"],
           "services", "selective", "complete", "2022-11-14", 45, 24_000_000, 20, ["jobs", "equality", "social"],
           ["codesign", "consult", "panel"], [
               lot("greenbridge-homecare-cooperative", 4_200_000, "2023-04-01", 60, 7, [
                   ("GSV-01", 12, A, OT), ("GSV-07", 400, A, OT),
                   ("GSV-21", 3, A, RP, {"benefit_type": "inconspicuous"})]),
               lot("brightpath-care-ltd", 11_750_000, "2023-04-01", 60, 7, [
                   ("GSV-01", 25, A, BH), ("GSV-07", 900, A, OT), ("GSV-02", 6, A, BH), ("NT28", 500, A, OD),
                   ("GSV-06", 300, A, WD, {"status": "withdrawn"})]),
           ]),
    tender(C, "IT managed service and service desk",
           "End-user computing, network, service desk and cloud hosting for 1,900 council staff.",
           ["72514000", "72253200", "72415000"], "services", "open", "complete", "2023-01-09", 38, 9_500_000, 10,
           ["skills", "environment", "innovation"], ["market"], [
               lot("northstar-digital-services-ltd", 9_180_000, "2023-10-01", 60, 4, [
                   ("GSV-06", 780, A, OT), ("GSV-09", 1500, A, BH), ("GSV-17", 220, A, OT), ("GSV-13", 200, A, OD,
                                                                          {"missing": 3, "theme": "innovation", "sdgs": [9]})]),
           ]),
    tender(N, "Hospital soft facilities management",
           "Cleaning, portering, linen and ward catering at Greenbridge General Hospital.",
           ["90911200", "79993000", "55321000"], "services", "open", "complete", "2023-02-06", 40, 12_500_000, 10,
           ["jobs", "environment"], ["market", "patients"], [
               lot("amberline-facilities-plc", 11_900_000, "2023-07-01", 60, 3, [
                   ("NT1", 30, A, OT), ("GSV-18", 400, A, BH), ("NT10", 1040, A, OT), ("GSV-05", 6, A, OD, {"missing": 3})]),
           ]),
    tender(C, "Supported housing for young people",
           "24 supported-accommodation places for young people aged 16 to 25, including care leavers.",
           ["85311000", "98341000"], "services", "selective", "complete", "2023-11-13", 35, 2_600_000, 20,
           ["social", "equality"], ["codesign", "panel"], [
               lot("sunrise-supported-living", 2_480_000, "2024-04-01", 48, 3, [
                   ("GSV-04", 4, A, OT), ("GSV-08", 120, A, D), ("GSV-21", 2, A, RP, {"benefit_type": "inconspicuous"})]),
           ]),
    tender(C, "Street lighting LED replacement",
           "Replacement of 4,200 sodium street lights with dimmable LED lanterns and a central management system.",
           ["45316110", "31527260"], "works", "open", "complete", "2023-05-15", 35, 2_900_000, 10, ["environment"],
           ["market"], [
               lot("lumen-street-lighting-ltd", 2_760_000, "2023-10-01", 36, 5, [
                   ("GSV-17", 600, A, OT), ("GSV-01", 2, A, D), ("GSV-18", 30, A, OD)]),
           ]),
    tender(S, "Classroom ICT support",
           "On-site technicians, device management and safeguarding filtering for fourteen schools.", ["72611000"],
           "services", "open", "complete", "2023-06-12", 30, 780_000, 15, ["skills", "growth"], ["briefing"], [
               lot("bridgeway-it-ltd", 744_000, "2023-09-01", 36, 4, [
                   ("GSV-08", 60, A, OT), ("GSV-09", 400, A, OT)]),
           ]),
    tender(C, "Waste collection vehicles",
           "Purchase of twelve refuse collection vehicles, four of them electric, with a five-year maintenance plan.",
           ["34144511", "34144512", "50110000"], "goods", "open", "complete", "2023-07-03", 40, 3_400_000, 10,
           ["environment"], [], [
               lot("redwood-fleet-solutions-ltd", 3_310_000, "2024-01-01", 60, 2, [
                   ("GSV-19", 200_000, A, BH), ("GSV-06", 260, A, OD)]),
           ]),
    tender(C, "Leisure centre refurbishment (Castle Leisure)",
           "Pool hall roof, changing village and plant room refurbishment at Castle Leisure Centre.",
           ["45212200", "45212212"], "works", "selective", "complete", "2023-08-14", 45, 5_800_000, 15,
           ["jobs", "skills", "growth"], ["consult", "briefing"], [
               lot("caldwell-construction-group-ltd", 5_640_000, "2024-01-01", 24, 4, [
                   ("GSV-06", 480, A, D), ("GSV-10", 1_200_000, A, D), ("GSV-08", 90, A, BH), ("GSV-20", 4, A, D)]),
           ]),
    tender(C, "Temporary agency staff",
           "Neutral-vendor managed service for temporary and interim staff.", ["79620000", "79621000"], "services",
           "open", "complete", "2023-09-18", 32, 8_000_000, 10, ["jobs", "equality"], [], [
               lot("quayside-recruitment-ltd", 7_600_000, "2024-04-01", 48, 1, [
                   ("GSV-02", 10, A, BH), ("GSV-05", 5, A, OT), ("GSV-08", 60, A, OT)]),
           ]),
    tender(N, "Clinical coding and population health analytics",
           "Clinical coding audit and a population-health dashboard for the integrated care partnership.",
           ["72316000", "85100000"], "services", "limited", "complete", "2023-10-09", 20, 540_000, 10, ["innovation"],
           [], [
               lot("meridian-health-analytics-ltd", 520_000, "2024-04-01", 36, 2, [("GSV-09", 300, A, OD),
                                                                       ("GSV-13", 40, A, D, {"theme": "innovation", "sdgs": [9, 17]})]),
           ]),
    # ---- 2024 ----------------------------------------------------------------------------------------------------
    tender(C, "Mental health and wellbeing support in the community",
           "Drop-in wellbeing hubs, peer support groups and a crisis café in the town centre.", ["85323000"],
           "services", "selective", "complete", "2024-01-15", 35, 960_000, 20, ["social"], ["codesign", "survey"], [
               lot("greenbridge-mind", 945_000, "2024-07-01", 36, 2, [
                   ("GSV-16", 1500, A, OT), ("GSV-14", 600, A, OT),
                   ("GSV-21", 5, A, RP, {"benefit_type": "inconspicuous"})]),
           ]),
    tender(S, "Secondary school meals and vending",
           "Catering for three secondary schools, with a healthy vending pilot.", ["55523100", "42933000"],
           "services", "open", "complete", "2024-02-12", 30, 2_300_000, 15, ["jobs", "social"], ["schools"], [
               lot("hallmark-school-catering-ltd", 2_240_000, "2024-09-01", 36, 3, [
                   ("GSV-03", 3, A, BH), ("GSV-10", 250_000, A, OT), ("GSV-15", 12_000, A, D, {"sdgs": [1, 2]}),
                   ("GSV-21", 3, A, RP, {"benefit_type": "inconspicuous"})]),
           ]),
    tender(C, "Furniture reuse and bulky waste collection",
           "Collection of bulky household waste with repair and resale of reusable furniture.", ["90511000"],
           "services", "open", "complete", "2024-03-04", 30, 680_000, 20, ["environment", "jobs"], ["consult"], [
               lot("elm-tree-furniture-reuse", 655_000, "2024-07-01", 48, 2, [
                   ("GSV-18", 600, A, OT), ("GSV-02", 4, A, OT), ("GSV-15", 20_000, A, BH)]),
           ]),
    tender(C, "Town centre security and CCTV monitoring",
           "Security patrols in the town centre car parks and 24-hour CCTV monitoring.", ["79714000", "79711000"],
           "services", "open", "complete", "2024-04-08", 28, 1_100_000, 10, ["jobs"], [], [
               lot("thameside-security-services-ltd", 1_060_000, "2024-10-01", 36, 1, [
                   ("GSV-01", 6, A, OD), ("GSV-03", 2, A, BH)]),
           ]),
    tender(C, "Debt and welfare benefits advice",
           "Free debt, benefits and housing advice, with outreach in GP surgeries and food banks.", ["85312310"],
           "services", "limited", "complete", "2024-05-13", 25, 450_000, 20, ["social", "equality"], ["survey"], [
               lot("greenbridge-citizens-advice", 438_000, "2024-10-01", 36, 1, [
                   ("GSV-16", 900, A, OT), ("GSV-14", 150, A, BH)]),
           ]),
    tender(N, "Medical consumables (gloves, dressings, syringes)",
           "Supply of everyday medical consumables to wards and community teams.", ["33140000", "33141420"],
           "goods", "open", "complete", "2024-06-10", 30, 1_800_000, 10, ["environment"], [], [
               lot("crown-medical-supplies-ltd", 1_730_000, "2024-10-01", 36, 5, [("GSV-17", 90, A, OT), ("GSV-12", 60_000, A, OT)]),
           ]),
    tender(C, "Electric vehicle charging points in council car parks",
           "Installation and operation of 80 fast chargers in nine car parks on a concession basis.", ["31158100",
           "45315300"], "works", "open", "complete", "2024-07-01", 35, 1_200_000, 15, ["environment", "growth"],
           ["consult", "market"], [
               lot("chargewell-networks-ltd", 1_150_000, "2025-01-01", 60, 3, [
                   ("GSV-17", 900, A, OT), ("GSV-10", 150_000, A, OD), ("GSV-06", 104, A, OT)]),
           ]),
    tender(C, "Payroll bureau service",
           "Payroll for council and school staff, with a self-service portal.", ["79631000"], "services", "open",
           "complete", "2024-08-05", 12, 210_000, 10, ["growth"], [], [
               lot("ashdown-partnership-llp", 198_000, "2024-12-01", 36, 1, [("GSV-13", 60, A, OT), ("GSV-11", 5_000, A, BH)],
                   late=True),
           ]),
    tender(C, "Printing and mailing of council tax bills",
           "Annual council tax and business rates bills, reminders and election poll cards.", ["79810000",
           "79571000"], "services", "open", "complete", "2024-09-09", 30, 320_000, 10, ["environment"], [], [
               lot("old-mill-print-works-ltd", 305_000, "2025-01-01", 36, 3, [("GSV-18", 12, A, OT), ("GSV-10", 40_000, A, D),
                                                                           ("GSV-14", 40, A, OD)],
                   contract_status="terminated", termination=(
                       "2026-06-30", "Ended by agreement: bills and reminders moved to the council's new digital "
                       "service, and the remaining print work is too small for a contract.")),
           ]),
    # ---- 2025 (Procurement Act 2023 from 24 February) -------------------------------------------------------------
    tender(C, "Highways resurfacing programme 2025-2029",
           "Planned resurfacing, footway reconstruction and surface dressing across the borough.", ["45233223",
           "45233161"], "works", "open", "complete", "2024-11-11", 42, 12_500_000, 15, ["jobs", "skills",
           "environment"], ["market", "briefing", "consult"], [
               lot("hawthorn-civil-engineering-ltd", 5_400_000, "2025-04-01", 48, 6, [
                   ("GSV-01", 10, A, OT), ("GSV-06", 780, A, OT, {"sdgs": [4, 5, 8]}), ("GSV-17", 400, A, BH)], kpis=True,
                   title="Highways resurfacing 2025-2029: lot 1 north and east", changes=[
                       ("2026-02-02", ["value", "scope"], 5_650_000, None,
                        "Footway reconstruction on Mill Lane and Station Road added to lot 1.",
                        "The footways failed their 2025 safety inspection and could not wait for a new contract.",
                        "Procurement Act 2023, Schedule 8, paragraph 1 (provided for in the contract)")],
                   kpi_ratings={"KPI1": ["requires-improvement"], "KPI2": ["inadequate"],
                                "KPI3": ["approaching-target"]}),
               lot("pennine-surfacing-ltd", 5_900_000, "2025-04-01", 48, 6, [
                   ("NT1", 4, A, OD), ("NT31", 300, A, OT), ("NT18", 500_000, A, BH)],
                   title="Highways resurfacing 2025-2029: lot 2 south and west"),
           ]),
    tender(S, "School minibus and home-to-school transport",
           "Home-to-school transport for pupils with special educational needs and a minibus pool.", ["60130000",
           "60112000"], "services", "open", "complete", "2025-03-03", 30, 1_600_000, 15, ["social", "equality"],
           ["codesign"], [
               lot("northgate-community-transport", 1_520_000, "2025-09-01", 48, 3, [
                   ("GSV-05", 2, SM, OT), ("GSV-14", 300, SM, OT), ("GSV-19", 40_000, SM, BH), ("GSV-20", 12, A, OD)]),
           ]),
    tender(N, "Hospital food and retail catering",
           "Patient meals cooked on site with local produce, staff restaurant and a volunteer-run café.", ["55321000",
           "15800000"], "services", "open", "complete", "2025-04-07", 35, 3_200_000, 10, ["growth", "environment"],
           ["patients", "market"], [
               lot("meadowbank-farm-foods-ltd", 3_050_000, "2025-10-01", 48, 4, [
                   ("1a", 5, SM, OT), ("4a", 80, A, BH), ("GSV-10", 400_000, Q, OT, {"sdgs": [2, 8]}), ("6a", 2, A, OD)]),
           ]),
    tender(C, "Community cycling and active travel programme",
           "Cycle training in schools, cargo-bike loans and led rides for people new to cycling.", ["92620000",
           "80410000"], "services", "open", "complete", "2025-05-12", 28, 240_000, 20, ["social", "environment"],
           ["consult", "survey"], [
               lot("greenbridge-cycle-hub-cic", 236_000, "2025-10-01", 36, 2, [
                   ("GSV-16", 600, SM, OT), ("GSV-20", 30, SM, D), ("GSV-19", 20_000, SM, OD)]),
           ]),
    tender(N, "Employment support for staff and patients with long-term conditions",
           "Individual placement and support (IPS) employment advisers in community mental health teams.",
           ["79611000", "85312320"], "services", "selective", "complete", "2025-05-19", 30, 820_000, 20,
           ["equality", "jobs"], ["patients"], [
               lot("pathways-to-work-cic", 790_000, "2025-10-01", 36, 2, [
                   ("6a", 6, SM, OT), ("2a", 120, A, OD), ("GSV-14", 100, A, OD)]),
           ]),
    tender(C, "Roofing repairs framework for council buildings",
           "Responsive and planned roofing repairs at schools, depots and community centres.", ["45261900"],
           "works", "open", "complete", "2025-06-02", 30, 900_000, 10, ["jobs", "skills"], ["briefing"], [
               lot("fairfield-roofing-ltd", 860_000, "2025-10-01", 48, 3, [("GSV-06", 200, SM, OT),
                                                                              ("GSV-14", 80, SM, BH)],
                   framework_agreement={"maximum_value": {"amount": 1_200_000, "currency": "GBP"},
                                        "call_off_method": "direct"}),
           ]),
    tender(S, "Energy efficiency: solar panels on school roofs",
           "Design and installation of rooftop solar on nine schools, with a pupil education programme.",
           ["09331200", "45261215"], "works", "open", "complete", "2025-07-07", 35, 1_400_000, 20,
           ["environment", "skills"], ["schools", "market"], [
               lot("greenfield-solar-cooperative", 1_340_000, "2026-01-01", 24, 4, [
                   ("4a", 150, Q, OT), ("GSV-09", 900, SM, D), ("GSV-15", 8_000, SM, OT), ("GSV-08", 36, A, NY)]),
           ]),
    tender(C, "Adult social care: home support (zone 5 re-procurement)",
           "Home support for adults in the new Brookside zone after the previous provider's exit.", ["85312400"],
           "services", "selective", "complete", "2025-08-04", 30, 3_100_000, 20, ["jobs", "social"],
           ["codesign", "panel"], [
               lot("greenbridge-homecare-cooperative", 3_000_000, "2026-04-01", 48, 2, [
                   ("GSV-01", 8, Q, OT), ("GSV-07", 160, Q, BH), ("GSV-16", 200, A, NY),
                   ("GSV-21", 4, A, NY, {"benefit_type": "inconspicuous"}), ("GSV-04", 2, A, NY)]),
           ]),
    tender(C, "Office cleaning for civic buildings",
           "Cleaning of the Town Hall, Civic Centre and four libraries.", ["90919200"], "services", "open",
           "complete", "2025-09-01", 30, 880_000, 15, ["jobs", "equality"], ["briefing"], [
               lot("kingfisher-cleaning-services-ltd", 860_000, "2026-04-01", 36, 5, [
                   ("GSV-01", 4, Q, OT), ("GSV-05", 1, SM, OT), ("GSV-02", 2, A, NY), ("GSV-11", 30_000, A, NY)]),
           ]),
    tender(C, "IT managed service: cyber security operations",
           "Security operations centre, vulnerability management and incident response.", ["72212730", "72590000"],
           "services", "selective", "complete", "2025-10-06", 35, 1_900_000, 10, ["skills", "innovation"], [], [
               lot("northstar-digital-services-ltd", 1_840_000, "2026-07-01", 36, 1, [
                   ("GSV-06", 156, A, NY), ("GSV-09", 300, SM, NY), ("GSV-13", 80, A, NY, {"theme": "innovation", "sdgs": [9, 16]}),
                   ("GSV-17", 60, A, NY)]),
           ]),
    tender(N, "Community health transport (renal and oncology)",
           "Transport for patients attending renal dialysis and oncology appointments.", ["60130000"], "services",
           "open", "complete", "2025-11-03", 30, 2_100_000, 15, ["environment", "social"], ["patients"], [
               lot("open-road-community-transport", 2_040_000, "2026-07-01", 48, 2, [
                   ("4a", 60, SM, NY), ("1a", 3, A, NY), ("6a", 1, A, NY), ("GSV-14", 240, A, NY)]),
           ]),
    tender(C, "Grounds maintenance for parks and open spaces 2026-2031",
           "Re-procurement of grounds maintenance in 44 parks, with biodiversity and volunteering requirements.",
           ["77313000", "77311000", "77211500"], "services", "open", "complete", "2025-11-17", 40, 6_500_000, 20,
           ["jobs", "environment", "social"], ["consult", "panel", "market"], [
               lot("greenbridge-grounds-ltd", 6_240_000, "2026-10-01", 60, 5, [
                   ("GSV-01", 12, Q, NY), ("GSV-06", 520, Q, NY), ("GSV-14", 1000, SM, NY, {"sdgs": [11, 14, 15]}),
                   ("GSV-18", 250, A, NY, {"sdgs": [6, 12]}),
                   ("GSV-21", 5, A, NY, {"benefit_type": "inconspicuous"}), ("GSV-03", 4, A, NY),
                   ("GSV-19", 120_000, A, NY, {"basis": "whole-contract"}), ("GSV-11", 150_000, A, NY)], kpis=True),
           ]),
    tender(S, "School meals catering 2026-2030",
           "Re-procurement of primary school meals with a target of 30% local produce by value.", ["55523100"],
           "services", "open", "complete", "2026-01-12", 35, 4_400_000, 20, ["growth", "social"], ["schools",
           "briefing"], [
               lot("riverside-kitchen-cic", 4_350_000, "2026-09-01", 48, 2, [
                   ("GSV-10", 900_000, Q, NY), ("GSV-03", 6, SM, NY), ("GSV-16", 1000, A, NY), ("GSV-09", 600, A, NY),
                   ("GSV-17", 45, A, NY)]),
           ]),
    tender(C, "Waste and recycling collection service 2027-2035",
           "Kerbside waste, recycling and food-waste collections for 56,000 households.", ["90511000", "90512000"],
           "services", "open", "complete", "2026-03-02", 45, 62_000_000, 20, ["environment", "jobs"],
           ["consult", "market", "survey"], [
               lot("verdant-environmental-services-ltd", 11_980_000, "2027-04-01", 96, 3, [
                   ("GSV-17", 2400, A, NY), ("GSV-01", 20, A, NY), ("GSV-06", 1040, A, NY), ("GSV-18", 3000, A, NY),
                   ("GSV-02", 3, A, NY, {"basis": "per-year"}), ("GSV-10", 2_000_000, A, NY),
                   ("GSV-14", 600, A, NY, {"basis": "per-year"})],
                   status="pending", contract_status="pending",
                   title="Waste and recycling collection 2027-2035 (first two years; extension options)"),
           ]),
    tender(N, "Staff wellbeing and occupational health",
           "Occupational health, counselling and physiotherapy for 4,300 trust staff.", ["85147000"], "services",
           "open", "complete", "2026-04-13", 30, 760_000, 10, ["social"], [], [
               lot("greenbridge-mind", 735_000, "2027-01-01", 36, 3, [("GSV-16", 1200, A, NY), ("GSV-05", 2, A, NY),
                                                                      ("GSV-20", 12, A, NY)],
                   status="pending", contract_status="pending"),
           ]),
    # ---- tenders without an award (yet) ---------------------------------------------------------------------------
    tender(C, "Public toilets cleaning and refurbishment",
           "Cleaning of twelve public toilets and refurbishment of four.", ["90919000", "45215500"], "services",
           "open", "cancelled", "2023-11-06", 28, 350_000, 10, ["jobs"], [], [],
           why="Cancelled after the council decided to transfer the toilets to the town and parish councils."),
    tender(S, "Sports pitch resurfacing at Castle Hill Academy",
           "Replacement of the 3G pitch surface and floodlights.", ["45236110"], "works", "open", "unsuccessful",
           "2024-10-14", 30, 480_000, 10, ["social"], [], [],
           why="No compliant bids were received; the work will be re-tendered with a revised budget."),
    tender(C, "Market hall management",
           "Management of the Victorian market hall, including lettings and events.", ["70332200"], "services",
           "selective", "withdrawn", "2025-01-20", 30, 600_000, 15, ["growth"], ["briefing"], [],
           why="Withdrawn while the council consults on the market hall's future."),
    tender(N, "Pathology courier service",
           "Courier collection of pathology samples from GP surgeries.", ["64121100"], "services", "open",
           "unsuccessful", "2025-06-23", 25, 390_000, 10, ["environment"], [], [],
           why="The only bid was above the budget; the service will be provided in-house."),
    tender(C, "Christmas lights installation",
           "Installation and maintenance of Christmas lights in the town centre and three villages.", ["31527200"],
           "services", "open", "cancelled", "2025-07-14", 21, 140_000, 10, ["growth"], [], [],
           why="Cancelled: the town centre business improvement district will procure the lights instead."),
    tender(C, "Children's centres: family support services",
           "Family hubs in four neighbourhoods offering parenting support, health visiting clinics and play.",
           ["85312000", "85321000"], "services", "open", "active", "2026-09-07", 56, 3_800_000, 20,
           ["social", "equality"], ["codesign", "consult", "panel"], []),
    tender(C, "Housing repairs and voids",
           "Responsive repairs and empty-homes works for 2,900 council homes.", ["45453000", "50700000"], "works",
           "open", "active", "2026-09-21", 45, 18_000_000, 15, ["jobs", "skills"], ["market", "briefing", "panel"], []),
    tender(S, "Multi-function printers and print management",
           "Lease and maintenance of 220 printers with secure print release.", ["30120000", "50313000"], "goods",
           "open", "active", "2026-10-05", 30, 360_000, 10, ["environment"], [], []),
    tender(N, "Estates maintenance (mechanical and electrical)",
           "Planned and reactive maintenance of hospital mechanical and electrical plant.", ["50700000",
           "50710000"], "services", "selective", "active", "2026-10-12", 35, 5_600_000, 10, ["jobs",
           "environment"], ["market"], []),
    tender(C, "Community transport: rural demand-responsive bus",
           "A bookable minibus serving villages without a regular bus.", ["60112000"], "services", "open", "active",
           "2026-10-19", 28, 520_000, 20, ["social", "environment"], ["consult", "survey"], []),
    tender(C, "Food waste anaerobic digestion",
           "Treatment of separately collected food waste.", ["90513000"], "services", "open", "active",
           "2026-10-26", 40, 2_400_000, 10, ["environment"], ["market"], []),
    tender(C, "Leisure management contract 2028",
           "Operation of three leisure centres; soft market testing before a formal procurement.", ["92610000"],
           "services", "open", "planning", "2026-09-14", None, 21_000_000, 20, ["social", "jobs"],
           ["consult", "market"], [], pipeline_notice="2026-04-20", forward_plan={
               "expected_tender_date": "2027-03-01", "expected_contract_start": "2028-04-01",
               "how_to_take_part": "Register on the Central Digital Platform and email procurement@greenbridge.gov.uk "
                                   "to join the supplier list; the council will consider lots for community "
                                   "organisations running a single centre.",
               "contact_url": f"{SITE}/procurement/pipeline/leisure-2028"},
           upcoming=[{"type": "market-engagement-event", "date": "2026-12-03",
                      "description": "Second supplier day: the draft specification and the proposed lots, with a "
                                     "session for local social enterprises.",
                      "how_to_take_part": "Book a place (online or at the Town Hall) by emailing "
                                          "procurement@greenbridge.gov.uk.",
                      "register_by": "2026-11-26", "url": f"{SITE}/procurement/events/leisure-supplier-day-2"}]),
    tender(S, "School uniform and PE kit",
           "A trust-wide uniform supplier with a free second-hand uniform scheme.", ["18000000"], "goods", "open",
           "planning", "2026-10-01", None, 150_000, 10, ["social"], ["schools"], []),
    tender(N, "Electronic patient record optimisation",
           "Configuration and training support for the electronic patient record.", ["72260000"], "services",
           "selective", "planning", "2026-10-20", None, 2_200_000, 10, ["skills"], [], []),
    tender(C, "Temporary accommodation: family units",
           "Block booking of self-contained family accommodation to reduce bed-and-breakfast use.", ["70331000"],
           "services", "limited", "planned", "2026-08-24", None, 4_100_000, 15, ["social"], ["codesign"], [],
           forward_plan={"expected_tender_date": "2026-12-07", "expected_contract_start": "2027-04-01",
                         "how_to_take_part": "Registered providers and charities with family units in the borough: "
                                             "email housing.commissioning@greenbridge.gov.uk to be invited.",
                         "contact_url": f"{SITE}/housing/temporary-accommodation/providers"}),
    tender(C, "Street cleansing vehicles (electric sweepers)",
           "Four electric compact sweepers.", ["34144430"], "goods", "open", "planned", "2026-10-05", None, 640_000,
           10, ["environment"], [], []),
    tender(S, "Catering equipment replacement",
           "Combination ovens and dishwashers for six school kitchens.", ["39310000"], "goods", "limited", "planned",
           "2026-10-12", None, 280_000, 10, ["environment"], [], []),
    tender(C, "Direct award: emergency temporary accommodation (call-off)",
           "Call-off from the regional dynamic purchasing system for urgent placements.", ["70331000"], "services",
           "direct", "complete", "2025-12-01", None, 420_000, None, [], [], [
               lot("sunrise-supported-living", 415_000, "2026-01-01", 12, 1, [("GSV-04", 1, SM, D)]),
           ]),
]

# Call-offs under the roofing repairs framework (issue 13), dated after every other award so that the ids and the
# random draws of everything before them stay as they were
ROOFING = "Roofing repairs framework for council buildings"
CALL_OFF = {"method": "direct", "legal_basis": "PA2023", "justification": {
    "ground": "framework-call-off", "explanation": "Direct call-off under the roofing repairs framework, at the "
                                                   "framework's rates."}}
CALL_OFFS: list[dict[str, Any]] = [
    {"buyer": "greenbridge-borough-council", "title": "Roof replacement at Castle Hill depot (call-off)",
     "award_date": "2026-07-13", "description": "Strip and re-roof the vehicle workshop at Castle Hill depot.",
     "lot": lot("fairfield-roofing-ltd", 180_000, "2026-08-03", 3, None, [])},
    {"buyer": "greenbridge-borough-council", "title": "Flat roof repairs at four primary schools (call-off)",
     "award_date": "2026-08-17", "description": "Summer-holiday repairs to flat roofs at four primary schools.",
     "lot": lot("fairfield-roofing-ltd", 245_000, "2026-08-24", 2, None, [])},
    {"buyer": "greenbridge-borough-council", "title": "Community centre roofs: Northgate and Ashworth (call-off)",
     "award_date": "2026-09-21", "description": "New roof coverings and insulation at two community centres.",
     "lot": lot("fairfield-roofing-ltd", 310_000, "2026-10-05", 4, None, [])},
]

# Why each direct or limited tender had no open competition (issue 13: the validator requires a justification)
JUSTIFICATIONS: dict[str, tuple[str, str]] = {
    "Internal audit and counter-fraud services": (
        "other", "Light-touch services: the council invited the four firms on the regional audit framework's "
                 "approved list to quote."),
    "Clinical coding and population health analytics": (
        "pcr2015-reg32-research", "Part of a research partnership with the university; the three suppliers able to "
                                  "work on the trust's data platform were invited."),
    "Debt and welfare benefits advice": (
        "other", "Light-touch social services: local advice providers on the council's approved list were invited."),
    "Temporary accommodation: family units": (
        "other", "Light-touch services: registered providers with family units in the borough will be invited."),
    "Catering equipment replacement": (
        "pa23-additional-or-repeat", "The ovens must work with the kitchens' existing extraction and control "
                                     "systems; the three approved suppliers of those systems will be invited."),
    "Direct award: emergency temporary accommodation (call-off)": (
        "framework-call-off", "Call-off from the regional dynamic purchasing system for urgent placements; the only "
                              "provider with units free in the borough."),
}

# Direct awards without a tender record (transparency notice UK5 / below-threshold waivers)
DIRECT_AWARDS: list[dict[str, Any]] = [
    {"buyer": C, "title": "Cost-of-living support: holiday food programme", "award_date": "2023-06-19",
     "description": "Grant-funded holiday activities and food for children on free school meals, directly awarded to "
                    "the only local provider able to start within four weeks.",
     "lot": lot("ashworth-foodbank", 48_000, "2023-07-01", 12, None, [("GSV-16", 400, Q, D)]),
     "procedure": {"method": "direct", "legal_basis": "other", "justification": {
         "ground": "below-threshold", "explanation": "Grant-funded and below the council's £50,000 limit for "
                                                     "single-quotation awards in its contract standing orders."}}},
    {"buyer": C, "title": "Service design support for adult social care", "award_date": "2024-02-05",
     "description": "Consultancy to redesign the front door to adult social care.",
     "lot": lot("sandra-okafor-consulting", 24_500, "2024-02-19", 5, None, []),
     "procedure": {"method": "direct", "legal_basis": "other", "justification": {
         "ground": "below-threshold", "explanation": "Below the council's £25,000 limit for single-quotation "
                                                     "awards in its contract standing orders."}}},
    {"buyer": C, "title": "Service design support for adult social care: phase 2", "award_date": "2024-09-02",
     "description": "Extension of the front-door redesign to carers' services.",
     "lot": lot("sandra-okafor-consulting", 38_000, "2024-09-16", 6, None, []),
     "procedure": {"method": "direct", "legal_basis": "other", "justification": {
         "ground": "below-threshold", "explanation": "Waiver of the quotation rules approved by the head of "
                                                     "procurement: continuity with phase 1."}}},
    {"buyer": N, "title": "Urgent software licence renewal for the theatre system", "award_date": "2025-03-24",
     "description": "Renewal with the incumbent: only the original supplier can support the installed system.",
     "lot": lot("meridian-health-analytics-ltd", 96_000, "2025-04-01", 24, None, [
         ("GSV-09", 120, A, WD, {"status": "withdrawn"})]),
     "procedure": {"method": "direct", "legal_basis": "PA2023", "justification": {
         "ground": "pa23-single-supplier", "explanation": "Only the original supplier holds the rights to support "
                                                          "the installed theatre system."}}},
]

# ----------------------------------------------------------------------------------------------------------------
# Words for delivery reports
# ----------------------------------------------------------------------------------------------------------------

NARRATIVE: dict[str, list[str]] = {
    "jobs": ["New starters this period added {q} FTE, recruited through Greenbridge Works and the Jobcentre's sector "
             "academy.", "Recruitment days at the Northgate community centre filled {q} FTE; every post pays at least "
             "the Real Living Wage.", "{q} FTE of new jobs this period, most of them filled by people from the Brookside "
             "and Northgate wards."],
    "skills": ["{q} {unit} delivered this period across the apprentices and trainees on the contract.",
               "Apprentices rotated between crews and the depot; {q} {unit} logged this period.",
               "Training delivered with Greenbridge College; {q} {unit} this period."],
    "growth": ["£{q} paid to local and small suppliers this period, including the Old Mill Print Works and two "
               "market traders.", "Spend of £{q} this period with firms in the supply chain that meet the measure.",
               "£{q} this period; a meet-the-buyer session added three new local subcontractors."],
    "social": ["{q} {unit} this period, with community groups choosing the projects.",
               "Work with the Tenants' Forum and the food bank: {q} {unit} this period.",
               "{q} {unit} this period across the wellbeing hubs and outreach sessions."],
    "environment": ["{q} {unit} this period, calculated from fuel cards and telematics against the bid baseline.",
                    "Savings of {q} {unit} this period from the new vehicles and LED lanterns.",
                    "{q} {unit} this period; figures checked against waste transfer notes and meter readings."],
    "equality": ["{q} {unit} this period, with workplace adjustments agreed with each person.",
                 "Referrals from the leaving-care team and Pathways to Work: {q} {unit} this period.",
                 "{q} {unit} this period; two people moved from placements into paid posts."],
    "innovation": ["{q} {unit} this period."],
}
VOICES: dict[str, list[str]] = {  # by theme, worded to fit any contract with that theme
    "jobs": ["“I’d been out of work for two years. Now I’ve got a trade and my kids see me going to work.”",
             "“It’s the first job where I’ve had a contract and proper training from day one.”"],
    "skills": ["“The apprenticeship meant I could stay in Greenbridge instead of moving away for work.”",
               "“The mock interviews were the first time anyone told me what I was good at.”"],
    "growth": ["“Winning work from a big contractor let us take on two more people.”",
               "“The meet-the-buyer day showed us how to bid. We’d never have tried otherwise.”"],
    "social": ["“We got three new volunteers from the company day and they’ve stayed on.”",
               "“It’s made a real difference to people round here who don’t usually get asked.”"],
    "environment": ["“You notice it: quieter streets and cleaner air on the school run.”",
                    "“It’s good to see the council’s contractors doing their bit.”"],
    "equality": ["“They sorted out a chair and screen reader before I started. I just got on with the job.”",
                 "“Nobody made a fuss about my condition; they just asked what would help.”"],
    "innovation": ["“The dashboard showed our practice where to focus the diabetes clinics.”"],
}
#: voices that only fit one supplier's service
SUPPLIER_VOICES: dict[str, list[str]] = {
    "northgate-community-transport": ["“The driver knows my name and waits while I get my shopping in. I wouldn’t "
                                      "get out otherwise.”"],
    "open-road-community-transport": ["“The driver knows my name and waits while I get my shopping in. I wouldn’t "
                                      "get out otherwise.”"],
    "greenbridge-mind": ["“The crisis café was the first place that didn’t make me feel like a number.”"],
    "greenbridge-grounds-ltd": ["“The park looks cared for again. People stop and talk now.”"],
    "riverside-kitchen-cic": ["“My son loves the new menu, and it’s cooked by people from round here.”"],
    "hallmark-school-catering-ltd": ["“The food’s better and the queue’s shorter. I actually eat lunch now.”"],
    "greenbridge-homecare-cooperative": ["“They treat Mum like a person, not a list of jobs.”"],
    "sunrise-supported-living": ["“It’s the first place I’ve lived where I’ve felt part of the street.”"],
}
#: inconspicuous (described) benefits, by supplier
DESCRIBED: dict[str, list[str]] = {
    "riverside-kitchen-cic": [
        "Parents at the school gates say the food is something to be proud of; the kitchen team ran a tasting "
        "evening and 140 families came.",
        "Pupils helped write the autumn menu and two year-6 classes visited the kitchen. Staff say lunchtimes feel "
        "calmer and more sociable."],
    "greenbridge-homecare-cooperative": [
        "Carers describe the co-operative's staff as part of the family. Complaints fell and compliments doubled.",
        "Families told the council's quality team that visits feel unhurried and that they trust the carers."],
    "sunrise-supported-living": [
        "Young people in the supported flats organised their own community garden and invited neighbours to the "
        "opening.",
        "Residents of the flats now run a monthly open café; neighbours who had complained about the project came "
        "and stayed."],
    "greenbridge-mind": [
        "Wellbeing hub visitors wrote a ‘what this place means to me’ wall; the most common word was ‘safe’.",
        "Peer-support members now run two groups themselves and speak at the town's mental-health forum."],
    "hallmark-school-catering-ltd": [
        "Students on the school council say the new dining hall feels like theirs; they chose its name and colours.",
        "Lunchtime behaviour reports fell and more students stay on site at lunch."],
}
LATE_START = ("The contract started three months late, so delivery is behind the straight-line profile. The supplier "
              "expects to catch up in the next two periods.")
# Why a commitment is behind, worded for what it measures (one reason pasted onto every kind of commitment read as
# invented). Five per kind, so the demo's random choices, and so every other figure, stay as they were.
BEHIND_REASONS_BY_KIND: dict[str, list[str]] = {
    "staff": [
        "Recruitment was slower than planned: the local labour market for these roles is tight. A second recruitment "
        "day with Greenbridge Works is booked and the supplier has agreed a recovery plan.",
        LATE_START,
        "Two people recruited locally left in their first months. The supplier has added a mentor for new starters.",
        "Vacancies were filled from the supplier's existing staff while the contract mobilised; local recruitment "
        "starts next period.",
        "Fewer referrals than expected came from the partner programme. The buyer has introduced the supplier to "
        "the Jobcentre's sector academy."],
    "training": [
        "An apprentice left the programme early and the replacement started two months later.",
        LATE_START,
        "The college course the training depends on started a term late.",
        "Sessions at two schools were postponed by exam timetables and are rebooked for next term.",
        "Fewer trainees signed up than planned. The supplier is advertising places through Greenbridge Works."],
    "time": [
        "Staff turnover meant volunteering days were cancelled. The buyer has asked for a revised plan at the next "
        "contract review.",
        LATE_START,
        "Community groups asked to move sessions to the spring, when more of their members can take part.",
        "The supplier's staff were needed on urgent work in the winter; the hours are planned for next period.",
        "Fewer requests for support came in than expected. The council's community team is promoting the offer."],
    "spend": [
        "Supply-chain spend was lower because two local subcontractors closed. The supplier is running a "
        "meet-the-buyer event to find replacements.",
        LATE_START,
        "Large orders went to national suppliers while local firms were vetted; three are now approved.",
        "Invoices for the period were paid late and will count in the next report.",
        "Less work than forecast was ordered under the contract, so there was less to spend locally."],
    "vehicles": [
        "The electric vehicles arrived late from the manufacturer, so diesel vehicles stayed in use longer than "
        "planned.",
        LATE_START,
        "Charging points at the depot were connected later than planned, so fewer vehicles could run on electricity.",
        "Two electric vehicles were off the road for repairs for most of the period.",
        "Route changes cut the miles driven on the contract, so less was avoided than the bid assumed."],
    "waste": [
        "The reuse partner closed for a refit, so less material was reused than planned.",
        LATE_START,
        "Contamination of recycling loads was higher than expected, so more waste went to landfill.",
        "The new sorting equipment was installed later than planned.",
        "Less waste was collected than forecast, so there was less to keep out of landfill."],
    "events": [
        "Two community events were cancelled because of the weather and are rebooked.",
        LATE_START,
        "The venue for the open days was unavailable for part of the period.",
        "Community groups asked for fewer, larger events; the total will be reached later in the contract.",
        "Events were postponed while the supplier's community officer post was vacant."],
}
KIND_OF_UNIT = {"fte": "staff", "people": "staff", "weeks": "training", "hours-x-attendees": "training",
                "hours": "time", "gbp": "spend", "tco2e": "vehicles", "miles": "vehicles", "tonnes": "waste",
                "count": "events", "percent": "staff"}
# environment narratives by what is measured (the first one fits emissions and miles, not waste)
ENVIRONMENT_NARRATIVE: dict[str, list[str]] = {
    "vehicles": ["{q} {unit} this period, calculated from fuel cards and telematics against the bid baseline.",
                 "Savings of {q} {unit} this period from the new electric vehicles.",
                 "{q} {unit} this period; figures checked against telematics and charging records."],
    "waste": ["{q} {unit} this period, from waste transfer notes.",
              "{q} {unit} kept out of landfill this period through reuse and recycling.",
              "{q} {unit} this period; figures checked against waste transfer notes."],
}
EVIDENCE_FOR_UNIT = {"fte": ("payroll-extract", "Payroll extract"), "people": ("attendance-register", "Attendance register"),
                     "weeks": ("training-records", "Training records"), "hours": ("attendance-register", "Timesheets"),
                     "hours-x-attendees": ("attendance-register", "Session registers"), "gbp": ("invoices", "Invoice list"),
                     "tco2e": ("report", "Carbon calculation"), "tonnes": ("report", "Waste transfer notes"),
                     "miles": ("report", "Telematics summary"), "count": ("photographs", "Event photographs and notes"),
                     "percent": ("report", "Report")}
UNIT_WORDS = {"fte": "FTE", "people": "people", "weeks": "weeks", "hours": "hours",
              "hours-x-attendees": "hours × attendees", "gbp": "£", "tco2e": "tonnes CO2e", "tonnes": "tonnes",
              "miles": "miles", "count": "events", "percent": "%"}

# ----------------------------------------------------------------------------------------------------------------
# Building the records
# ----------------------------------------------------------------------------------------------------------------


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _end_after(start: date, months: int) -> date:
    y, m = divmod(start.month - 1 + months, 12)
    return date(start.year + y, m + 1, 1) - timedelta(days=1)


def _years(start: date, end: date) -> float:
    return ((end - start).days + 1) / 365.25


def _round_q(unit: str, value: float, up: bool) -> float:
    step = {"fte": 0.5, "tco2e": 0.1, "tonnes": 0.1, "gbp": 10, "miles": 10}.get(unit, 1)
    n = value / step
    n = math.ceil(n - 1e-9) if up else math.floor(n + 1e-9)
    result = round(n * step, 1)
    return int(result) if result == int(result) else result


class Demo:
    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)
        self.files: list[tuple[str, str, dict[str, Any]]] = []
        self.intents: Counter[str] = Counter()
        self.notice_seq = 11_000
        self.fixed_notice_seq = 0

    def notice_id(self, year: int) -> str:
        self.notice_seq += self.rng.randint(40, 900)
        return f"0{self.notice_seq % 100000:05d}-{year}"

    def add(self, folder: str, data: dict[str, Any]) -> None:
        self.files.append((folder, data["id"], data))

    # -- tenders -------------------------------------------------------------------------------------------------

    def build(self) -> None:
        for org in build_organisations():
            self.add("organisations", org)
        for m in build_measures():
            self.add("measures", m)
        rows = sorted(TENDERS, key=lambda r: r["published"])
        awards: list[tuple[date, dict[str, Any], Lot, Row | None, str | None]] = []
        for seq, row in enumerate(rows, start=1):
            published = _d(row["published"])
            tid = f"T-{published.year}-{seq:03d}"
            t = self.tender_record(tid, row)
            self.add("tenders", t)
            end = _d(t["tender_period"]["end_date"]) if "tender_period" in t else published
            for lot_no, spec in enumerate(row["lots"], start=1):
                award_date = end + timedelta(days=self.rng.randint(21, 50))
                start = _d(spec["start"])
                if award_date >= start:
                    award_date = start - timedelta(days=self.rng.randint(10, 20))
                title = spec.get("title") or (row["title"] if len(row["lots"]) == 1 else f"{row['title']} (lot {lot_no})")
                words = {"title": title, "description": row["description"]}
                if len(row["lots"]) > 1:
                    words["lot"] = str(lot_no)  # the tender's lot this award is for
                awards.append((award_date, words, spec, row, tid))
        for direct in DIRECT_AWARDS:
            awards.append((_d(direct["award_date"]), {"title": direct["title"], "description": direct["description"]},
                           direct["lot"], {"buyer": direct["buyer"], "direct": True,
                                           "procedure": direct["procedure"]}, None))
        for call_off in CALL_OFFS:
            awards.append((_d(call_off["award_date"]), {"title": call_off["title"],
                                                        "description": call_off["description"]},
                           call_off["lot"], {"buyer": call_off["buyer"], "procedure": CALL_OFF,
                                             "framework": ROOFING}, None))
        awards.sort(key=lambda a: (a[0], a[1]["title"]))
        for seq, (award_date, words, spec, row_of_award, tender_id) in enumerate(awards, start=1):
            aid = f"AW-{award_date.year}-{seq:03d}"
            assert row_of_award is not None
            self.add("awards", self.award_record(aid, award_date, words, spec, row_of_award, tender_id))
        self.add_correction()

    def add_correction(self) -> None:
        """One report corrected by a later one (``supersedes``): registers do fix figures after publishing them."""
        outcomes = [data for folder, _, data in self.files if folder == "outcomes"]
        last: dict[tuple[str, str], dict[str, Any]] = {}
        for o in outcomes:  # only the last report of a commitment: every running total before it still holds
            last[(o["award"], o["commitment"])] = o
        target = next(o for o in last.values() if o["delivered"]["unit"] == "weeks" and o["rating"] == "good"
                      and o["delivered"]["quantity"] >= 10)
        quantity = target["delivered"]["quantity"] + 2
        corrected: dict[str, Any] = {
            "id": f"{target['id']}-R1", "award": target["award"], "commitment": target["commitment"],
            "period": target["period"], "reported_on": (_d(target["reported_on"]) + timedelta(days=41)).isoformat(),
            "reported_by": target["reported_by"],
            "delivered": {"quantity": quantity, "unit": "weeks",
                          "cumulative_to_date": target["delivered"]["cumulative_to_date"] + 2},
            "rating": target["rating"], "assurance": "buyer-validated",
            "evidence": [{"type": "training-records", "title": "Corrected training records (two weeks added)",
                          "url": f"{SITE}/social-value/evidence/{target['id'].lower()}-r1.pdf"}]}
        if "monetised_value_gbp" in target:
            corrected["monetised_value_gbp"] = round(target["monetised_value_gbp"] / target["delivered"]["quantity"]
                                                     * quantity, 2)
        corrected["narrative"] = (f"Correction to report {target['id']}: two weeks of training at "
                                  "Greenbridge College were left out of the first return.")
        corrected["supersedes"] = target["id"]
        self.add("outcomes", corrected)

    def tender_record(self, tid: str, row: Row) -> dict[str, Any]:
        rng = self.rng
        published = _d(row["published"])
        pa23 = published >= date(2025, 2, 24)
        t: dict[str, Any] = {"id": tid, "ocid": f"ocds-gbr001-{tid}", "title": row["title"],
                             "description": row["description"], "buyer": row["buyer"], "status": row["status"],
                             "procurement_method": row["method"]}
        t["procurement_method_details"] = {
            ("open", True): "Open procedure", ("open", False): "Open procedure",
            ("selective", True): "Competitive flexible procedure", ("selective", False): "Restricted procedure",
            ("limited", True): "Below-threshold quotation from invited suppliers",
            ("limited", False): "Request for quotation from invited suppliers",
            ("direct", True): "Direct award under a dynamic purchasing system",
            ("direct", False): "Direct award"}[(row["method"], pa23)]
        if row["method"] in ("direct", "limited"):
            ground, explanation = JUSTIFICATIONS[row["title"]]
            t["justification"] = {"ground": ground, "explanation": explanation}
        t["main_category"] = row["category"]
        t["cpv"] = row["cpv"]
        t["legal_basis"] = "PA2023" if pa23 else "PCR2015"
        if row.get("law_source"):  # a legal basis as another body published it, not one of the register's codes
            t["legal_basis"] = "other"
            t["legal_basis_source"] = row["law_source"]
        t["value"] = {"amount": row["value"], "currency": "GBP"}
        t["published"] = published.isoformat()
        if row["days"]:
            start = published
            t["tender_period"] = {"start_date": start.isoformat(),
                                  "end_date": (start + timedelta(days=row["days"])).isoformat()}
        if len(row["lots"]) > 1:  # a tender in lots: each lot is bid for and awarded separately
            t["lots"] = [{"id": str(n), "title": spec.get("title") or f"{row['title']} (lot {n})",
                          "description": f"Part {n} of {len(row['lots'])} of this procurement, bid for and awarded "
                                         "separately.",
                          "status": row["status"]} for n, spec in enumerate(row["lots"], start=1)]
        t["suitable_for_sme"] = row["value"] < 5_000_000 or row["category"] == "works"
        t["suitable_for_vcse"] = row["category"] == "services" and row["value"] < 5_000_000
        if row["sv"] is not None:
            t["social_value_weighting_pct"] = row["sv"]
        if row["themes"]:
            t["social_value_themes"] = row["themes"]
        if row["engagement"]:
            t["community_engagement"] = []
            for n, key in enumerate(row["engagement"]):
                etype, text, participants = ENGAGEMENT[key]
                when = published - timedelta(days=120 - 35 * n + rng.randint(0, 10))
                entry: dict[str, Any] = {"type": etype, "date": when.isoformat(), "description": text}
                if participants:
                    entry["participants"] = participants + rng.randint(0, participants // 5 + 1)
                if etype == "public-consultation":
                    entry["url"] = f"{SITE}/consultations/{tid.lower()}"
                t["community_engagement"].append(entry)
        if row["title"].startswith("Children's centres"):
            # a real register gets text like this from web forms; the site must show it as text, never run it
            t["community_engagement"].append({
                "type": "survey", "date": (published - timedelta(days=14)).isoformat(),
                "description": "Online survey of families. One response, reproduced as submitted, read: "
                               "<script>alert(1)</script> — another asked for “more & better” sessions for "
                               "under-5s < 3 miles from home > once a week.",
                "participants": 214})
        notices = []
        if row["status"] in ("planning",):
            notices.append({"type": "UK2", "id": self.notice_id(published.year), "published": published.isoformat()})
        elif row["status"] == "planned":
            notices.append({"type": "UK3", "id": self.notice_id(published.year), "published": published.isoformat()})
        elif row["method"] == "direct":
            notices.append({"type": "UK5", "id": self.notice_id(published.year), "published": published.isoformat()})
        elif pa23:
            notices.append({"type": "UK4", "id": self.notice_id(published.year), "published": published.isoformat()})
        else:
            notices.append({"type": "contracts-finder", "id": f"{tid.lower()}-cf", "published": published.isoformat()})
        for notice in notices:
            notice["url"] = (FTS if notice["type"] != "contracts-finder" else CF) + notice["id"]
        if row["method"] == "direct" and notices[0]["type"] == "UK5":
            t["justification"]["transparency_notice"] = {k: notices[0][k] for k in ("type", "id", "url")}
        if row["status"] in ("cancelled", "unsuccessful", "withdrawn"):
            closed = published + timedelta(days=(row["days"] or 30) + 21)
            notices.append({"type": "UK12" if pa23 else "contracts-finder", "id": self.notice_id(closed.year),
                            "published": closed.isoformat()})
            notices[-1]["url"] = FTS + notices[-1]["id"]
            t["description"] = f"{row['description']} {row['why']}"
            termination: dict[str, Any] = {"date": closed.isoformat(), "reason": row["why"]}
            if notices[-1]["type"] == "UK12":
                termination["notice"] = {k: notices[-1][k] for k in ("type", "id", "url")}
            t = _insert_after(t, "status", "termination", termination)
        if row.get("pipeline_notice"):  # issue 13: a UK1 pipeline notice (fixed id: the random draws stay as they were)
            notices.insert(0, {**self.fixed_notice("UK1", _d(row["pipeline_notice"])), "published": row["pipeline_notice"]})
        if row.get("upcoming"):
            t["community_engagement"] += row["upcoming"]
        if row.get("forward_plan"):
            t = _insert_after(t, "community_engagement", "forward_plan", row["forward_plan"])
        t["notices"] = [{k: n[k] for k in ("type", "id", "url", "published")} for n in notices]
        if row["status"] in ("active", "complete") and row["value"] >= 200_000:
            t["documents"] = [{"title": "Specification", "type": "specification",
                               "url": f"{SITE}/procurement/{tid.lower()}/specification.pdf",
                               "published": published.isoformat()}]
        return t

    # -- awards and commitments ------------------------------------------------------------------------------------

    def award_record(self, aid: str, award_date: date, words: dict[str, str], spec: Lot, row: Row,
                     tid: str | None) -> dict[str, Any]:
        rng = self.rng
        start = _d(spec["start"])
        end = _end_after(start, spec["months"])
        direct = row.get("direct", False)
        a: dict[str, Any] = {"id": aid}
        if tid:
            a["tender"] = tid
            a["ocid"] = f"ocds-gbr001-{tid}"
        else:
            a["ocid"] = f"ocds-gbr001-{aid}"
            a["procedure"] = copy.deepcopy(row["procedure"])
        if row.get("framework"):  # a call-off names the framework's award
            a["framework"] = next(d["id"] for folder, _, d in self.files
                                  if folder == "awards" and d["title"] == row["framework"])
        if spec.get("framework_agreement"):
            a["framework_agreement"] = spec["framework_agreement"]
        a["buyer"] = row["buyer"]
        a["title"] = words["title"]
        a["description"] = words["description"]
        a["status"] = spec.get("status", "active")
        a["date"] = award_date.isoformat()
        # a late award notice (45 days) is in the data on purpose: the integrity indicators should flag it
        a["published"] = (award_date + timedelta(days=45 if spec.get("late") else rng.randint(2, 12))).isoformat()
        a["value"] = {"amount": spec["value"], "currency": "GBP"}
        a["suppliers"] = spec["suppliers"]
        if words.get("lot"):
            a["lots"] = [words["lot"]]
        if spec["tenderers"] is not None:
            a["number_of_tenderers"] = spec["tenderers"]
        elif direct:
            a["number_of_tenderers"] = 1
        if row.get("sv") is not None and not direct:
            sv = row["sv"]
            quality = 40 if row.get("category") == "services" else 30
            a["evaluation_weights"] = [{"name": "Price", "kind": "price", "weight_pct": 100 - quality - sv},
                                       {"name": "Quality", "kind": "quality", "weight_pct": quality},
                                       {"name": "Social value", "kind": "social-value", "weight_pct": sv}]
        finished = end < AS_OF
        a["contract_status"] = spec.get("contract_status", "terminated" if finished else "active")
        a["contract_period"] = {"start_date": start.isoformat(), "end_date": end.isoformat()}
        signed = min(award_date + timedelta(days=rng.randint(9, 20)), start - timedelta(days=1))
        if a["status"] != "pending":
            a["date_signed"] = signed.isoformat()
        if spec.get("termination"):
            ended, reason = spec["termination"]
            a["termination"] = {"date": ended, "reason": reason,
                                "notice": self.fixed_notice("UK11", _d(ended) + timedelta(days=14))}
        if spec.get("changes"):
            a["changes"] = self.changes(spec, a)
        if spec.get("kpis"):
            a["kpis"] = [
                {"id": "KPI1", "title": "Work completed on time and to specification", "target": "95% of works orders"},
                {"id": "KPI2", "title": "Customer satisfaction with completed work", "target": "85% satisfied or better"},
                {"id": "KPI3", "title": "Social-value commitments delivered to plan", "target": "All commitments on track at "
                                                                                              "each annual review"}]
            for kpi in a["kpis"]:
                ratings = (spec.get("kpi_ratings") or {}).get(kpi["id"])
                if ratings:
                    kpi["assessments"] = self.kpi_assessments(kpi, ratings, start)
        commitments = [self.commitment(aid, n, c, start, end, row) for n, c in enumerate(spec["commitments"], start=1)]
        if commitments:
            a["commitments"] = [c for c, _ in commitments]
        pa23 = (row.get("published") or award_date.isoformat()) >= "2025-02-24"  # the law the procurement began under
        notices = []
        if direct and pa23:
            notices.append({"type": "UK5", "id": self.notice_id(award_date.year)})
        if pa23:
            notices.append({"type": "UK6", "id": self.notice_id(award_date.year)})
            if a["status"] != "pending":
                notices.append({"type": "UK7", "id": self.notice_id(signed.year)})
        else:
            notices.append({"type": "contracts-finder", "id": f"{aid.lower()}-cf"})
        for notice in notices:
            notice["url"] = (CF if notice["type"] == "contracts-finder" else FTS) + notice["id"]
        a["notices"] = notices
        if direct and pa23:  # the award's transparency notice is the justification's too
            a["procedure"]["justification"]["transparency_notice"] = dict(next(n for n in notices if n["type"] == "UK5"))
        if commitments:
            a["documents"] = [{"title": "Social value delivery plan", "type": "social-value-plan",
                               "url": f"{SITE}/procurement/{aid.lower()}/social-value-plan.pdf"}]
        if spec["value"] > 5_000_000 and a["status"] != "pending":
            a.setdefault("documents", []).append({"title": "Contract (redacted)", "type": "contract",
                                                  "url": f"{SITE}/procurement/{aid.lower()}/contract.pdf"})
        for c, plan in commitments:
            self.outcomes(a, c, plan)
        return a

    # -- the contract after award (issue 13): fixed notice ids, so the random sequence above is unchanged --------

    def fixed_notice(self, kind: str, when: date) -> dict[str, str]:
        self.fixed_notice_seq += 1
        notice_id = f"9{self.fixed_notice_seq:05d}-{when.year}"
        return {"type": kind, "id": notice_id, "url": FTS + notice_id}

    def changes(self, spec: Lot, award: dict[str, Any]) -> list[dict[str, Any]]:
        """Each change's 'before' figures are the contract as the previous change left it."""
        value, end = spec["value"], award["contract_period"]["end_date"]
        out = []
        for n, (when, kinds, value_after, end_after, description, reason, ground) in enumerate(spec["changes"], 1):
            change: dict[str, Any] = {"id": f"CH{n}", "date": when, "kinds": kinds, "description": description,
                                      "reason": reason, "legal_ground": ground}
            if "value" in kinds:
                change["value_before"] = {"amount": value, "currency": "GBP"}
                change["value_after"] = {"amount": value_after, "currency": "GBP"}
                value = value_after
            if "end-date" in kinds:
                change["end_date_before"], change["end_date_after"] = end, end_after
                end = end_after
            if when >= "2025-02-24":
                change["notice"] = self.fixed_notice("UK10", _d(when))
            out.append(change)
        return out

    def kpi_assessments(self, kpi: dict[str, Any], ratings: list[str], start: date) -> list[dict[str, Any]]:
        """One assessment per contract year; UK9 notices only for years ending after the Act's commencement."""
        out = []
        for year, rating in enumerate(ratings):
            p_start = _end_after(start, 12 * year) + timedelta(days=1) if year else start
            p_end = _end_after(start, 12 * (year + 1))
            assessment: dict[str, Any] = {"period": {"start_date": p_start.isoformat(), "end_date": p_end.isoformat()},
                                          "rating": rating, "narrative": KPI_NARRATIVE[(kpi["id"], rating)]}
            if p_end >= date(2025, 2, 24):
                assessment["notice"] = self.fixed_notice("UK9", p_end + timedelta(days=30))
            out.append(assessment)
        return out

    def commitment(self, aid: str, n: int, spec: tuple[Any, ...], start: date, end: date,
                   row: Row) -> tuple[dict[str, Any], dict[str, Any]]:
        code, quantity, frequency, intent = spec[:4]
        options: dict[str, Any] = dict(spec[4]) if len(spec) > 4 else {}
        scheme, unit, theme, sdgs, proxy = MEASURE_INFO[code]
        template, beneficiaries = PROMISE[code]
        shown = f"{quantity:,}" if unit == "gbp" else f"{quantity:g}"
        c: dict[str, Any] = {"id": f"C{n}", "measure": {"scheme": scheme, "scheme_version": SCHEME_VERSION[scheme],
                                                        "code": code},
                             "theme": options.get("theme", theme), "sdgs": options.get("sdgs", sdgs)}
        if code in ("GSV-01", "GSV-02", "1a"):
            c["sdg_targets"] = ["8.5"]
        elif code in ("GSV-17", "4a", "NT31"):
            c["sdg_targets"] = ["13.2"]
        c["description"] = template.format(q=shown)
        target: dict[str, Any] = {"quantity": quantity, "unit": unit, "basis": options.get("basis", "whole-contract")}
        c["target"] = target
        c["reporting_frequency"] = frequency
        if beneficiaries:
            c["beneficiary_group"] = beneficiaries
        c["place"] = {"name": "Greenbridge", "local_authority_code": "E07000901"} if theme != "environment" else {
            "name": "Greenbridge and Ashworth"}
        c["in_contract"] = intent != WD
        c["is_kpi"] = bool(n == 1 and row.get("lots") and any(lt.get("kpis") for lt in row["lots"]))
        if "benefit_type" in options:
            c["benefit_type"] = options["benefit_type"]
        c["status"] = options.get("status", "contracted" if intent != D or end >= AS_OF else "completed")
        if proxy is not None and unit != "gbp" and self.rng.random() < 0.6 and intent not in (RP,):
            c["valuation"] = {"proxy_value_gbp_per_unit": proxy, "proxy_source": PROXY_SOURCE, "proxy_version": "2024"}
        if row.get("engagement") and self.rng.random() < 0.35:
            c["community_involvement"] = self.rng.choice([
                "Chosen by residents in the pre-tender consultation.",
                "The Tenants' Forum asked for this commitment and reviews progress twice a year.",
                "Suggested by young people at the youth council's procurement workshop.",
                "Shaped by patient and carer representatives."])
        self.intents[intent] += 1
        return c, {"intent": intent, "start": start, "end": end, "options": options}

    # -- outcomes --------------------------------------------------------------------------------------------------

    def outcomes(self, award: dict[str, Any], c: dict[str, Any], plan: dict[str, Any]) -> None:
        rng = self.rng
        intent = plan["intent"]
        if intent in (NY, WD):
            return
        start, end = plan["start"], plan["end"]
        frequency, unit = c["reporting_frequency"], c["target"]["unit"]
        periods = [p for p in iter_periods(start, end, frequency) if p[1] + GRACE < AS_OF]
        assert periods, f"{award['id']}/{c['id']}: intent {intent} but no period is due"
        if intent == OD:
            missing = plan["options"].get("missing") or (2 if len(periods) > 3 else 1)
            periods = periods[: max(0, len(periods) - missing)]
        if not periods:
            return
        years_total = _years(start, end)
        full = c["target"]["quantity"] * (years_total if c["target"]["basis"] == "per-year" else 1)
        share_reported = _years(start, periods[-1][1]) / years_total  # pro-rata share at the last reported period
        if intent == D:
            final = _round_q(unit, full * rng.uniform(1.0, 1.2), up=True)
            path = [final * (i + 1) / len(periods) for i in range(len(periods))]
            if len(periods) > 1:  # delivered early: most of it in the first periods
                path = [min(final, final * (i + 1) / max(1, len(periods) - 1)) for i in range(len(periods))]
        elif intent in (OT, OD, RP):
            final = _round_q(unit, full * share_reported * rng.uniform(1.0, 1.15), up=True)
            final = min(final, _round_q(unit, full * 0.97, up=False)) if intent != RP else final
            path = [final * (i + 1) / len(periods) for i in range(len(periods))]
        else:  # behind
            final = _round_q(unit, full * share_reported * rng.uniform(0.3, 0.6), up=False)
            path = [final * (i + 1) / len(periods) for i in range(len(periods))]
        cumulative_values = [_round_q(unit, v, up=True) for v in path[:-1]] + [final]
        previous = 0.0
        aid_short = award["id"][3:]
        for (p_start, p_end), cumulative in zip(periods, cumulative_values, strict=True):
            cumulative = max(cumulative, previous)
            quantity = _round_q(unit, cumulative - previous, up=False)
            quantity = round(cumulative - previous, 2) if quantity != round(cumulative - previous, 2) else quantity
            quantity = int(quantity) if float(quantity).is_integer() else quantity
            previous = cumulative
            oid = f"OC-{aid_short}-{c['id']}-{period_label(p_start, p_end, frequency)}"
            o: dict[str, Any] = {"id": oid, "award": award["id"], "commitment": c["id"],
                                 "period": {"start_date": p_start.isoformat(), "end_date": p_end.isoformat()},
                                 "reported_on": min(p_end + timedelta(days=rng.randint(8, 27)),
                                                    AS_OF - timedelta(days=1)).isoformat(),
                                 "reported_by": award["suppliers"][0] if rng.random() < 0.85 else award["buyer"],
                                 "delivered": {"quantity": quantity, "unit": unit,
                                               "cumulative_to_date": int(cumulative) if float(cumulative).is_integer()
                                               else cumulative}}
            if intent == RP:
                o["rating"] = "other"
            elif intent == D:
                o["rating"] = "good"
            elif intent == BH:
                o["rating"] = rng.choice(["requires-improvement", "inadequate", "approaching-target"])
            else:
                o["rating"] = rng.choice(["good", "good", "approaching-target"])
            if award.get("kpis") and c.get("is_kpi") and p_end.month == 3:
                o["uk9_notice_id"] = self.notice_id(p_end.year)
            o["assurance"] = rng.choices(["self-reported", "buyer-validated", "independently-verified"], [45, 35, 20])[0]
            evidence = []
            if o["assurance"] != "self-reported" or rng.random() < 0.4:
                etype, etitle = EVIDENCE_FOR_UNIT[unit]
                item: dict[str, Any] = {"type": etype, "title": f"{etitle}, {period_label(p_start, p_end, frequency)}",
                                        "url": f"{SITE}/social-value/evidence/{oid.lower()}.pdf"}
                if etype == "payroll-extract":
                    item["redacted"] = True
                if rng.random() < 0.5:
                    item["sha256"] = hashlib.sha256(oid.encode()).hexdigest()
                evidence.append(item)
            if o["assurance"] == "independently-verified":
                evidence.append({"type": "audit-statement", "title": "Verification statement, Greenbridge Social Value "
                                                                     "Audit Panel",
                                 "url": f"{SITE}/social-value/evidence/{oid.lower()}-verification.pdf"})
            if evidence:
                o["evidence"] = evidence
            if unit in ("fte", "people") or code_counts_people(c):
                o["beneficiaries_count"] = max(1, int(quantity) if unit != "fte" else math.ceil(quantity))
            if "valuation" in c and quantity:
                o["monetised_value_gbp"] = round(quantity * c["valuation"]["proxy_value_gbp_per_unit"], 2)
            shown = f"{quantity:,}" if unit == "gbp" else f"{quantity:g}"
            if intent == RP:
                o["narrative"] = rng.choice(DESCRIBED[award["suppliers"][0]])
            else:
                kind = KIND_OF_UNIT.get(unit, "staff")
                choices = ENVIRONMENT_NARRATIVE.get(kind, NARRATIVE[c["theme"]]) if c["theme"] == "environment" \
                    else NARRATIVE[c["theme"]]
                o["narrative"] = rng.choice(choices).format(q=shown, unit=UNIT_WORDS[unit])
            if rng.random() < 0.3 or intent == RP:
                o["stakeholder_voice"] = rng.choice(SUPPLIER_VOICES.get(award["suppliers"][0]) or VOICES[c["theme"]])
            if intent == BH:
                o["variance_explanation"] = rng.choice(BEHIND_REASONS_BY_KIND[KIND_OF_UNIT.get(unit, "staff")])
            elif intent == D and cumulative > c["target"]["quantity"] and p_end == periods[-1][1]:
                o["variance_explanation"] = "Ahead of target: the supplier kept going after the target was met."
            self.add("outcomes", o)


KPI_NARRATIVE: dict[tuple[str, str], str] = {
    ("KPI1", "good"): "Works orders completed on time and to specification above the 95% target.",
    ("KPI1", "requires-improvement"): "87% of works orders on time; late orders clustered in the winter months. "
                                      "An improvement plan was agreed.",
    ("KPI2", "approaching-target"): "82% of residents satisfied, just under the 85% target.",
    ("KPI2", "good"): "Satisfaction above 85% in every quarter.",
    ("KPI2", "inadequate"): "64% of residents satisfied. Complaints about unannounced road closures; the council "
                            "issued a formal performance notice.",
    ("KPI3", "other"): "Not rated: the social value delivery plan was only agreed in the eleventh month.",
    ("KPI3", "requires-improvement"): "Apprenticeship starts behind plan; other commitments on track.",
    ("KPI3", "approaching-target"): "All commitments but one on track at the annual review.",
}


def _insert_after(data: dict[str, Any], after: str, key: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``key`` placed right after ``after`` (records read best in schema order)."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


def code_counts_people(c: dict[str, Any]) -> bool:
    return c["target"]["unit"] == "hours-x-attendees"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the demonstration register.")
    parser.add_argument("--out", type=Path, default=REPO_ROOT, help="register folder whose records/ is replaced")
    args = parser.parse_args(argv)
    demo = Demo()
    demo.build()
    write_records(args.out, demo.files)
    counts = Counter(folder for folder, _, _ in demo.files)
    print(", ".join(f"{n} {folder}" for folder, n in sorted(counts.items())), file=sys.stderr)
    print("commitment intents: " + ", ".join(f"{k} {v}" for k, v in sorted(demo.intents.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
