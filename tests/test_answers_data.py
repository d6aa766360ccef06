"""The /data/ page you can scan (issue 14): one zip of every CSV table, and the data dictionary on pages of its
own, one per table with its computed columns."""

from __future__ import annotations

import csv
import io
import re
import zipfile


def test_csv_zip_holds_exactly_the_csv_tables_and_datapackage(built_site):
    data = built_site / "data"
    csv_files = sorted(p.relative_to(data).as_posix() for p in (data / "csv").glob("*.csv"))
    assert len(csv_files) >= 5
    with zipfile.ZipFile(data / "csv.zip") as zf:
        assert sorted(zf.namelist()) == sorted([*csv_files, "datapackage.json"])
        for name in zf.namelist():
            assert zf.read(name) == (data / name).read_bytes(), name
    # it is listed with its checksum like every download
    sums = (data / "SHA256SUMS").read_text(encoding="utf-8")
    assert re.search(r"^[0-9a-f]{64}  csv\.zip$", sums, re.M)


def test_every_table_has_a_dictionary_page_listing_every_column_in_file_order(built_site):
    data = built_site / "data"
    for path in sorted((data / "csv").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(io.StringIO(f.readline())))
        page = (data / "dictionary" / path.stem / "index.html").read_text(encoding="utf-8")
        listed = re.findall(r'<tr id="column-([^"]+)">', page)
        assert listed == header, path.name
    awards = (data / "dictionary" / "awards" / "index.html").read_text(encoding="utf-8")
    # a computed column (not a record field) is included and says so
    row = re.search(r'<tr id="column-page_url">.*?</tr>', awards, re.S)
    assert row is not None and "computed" in row.group(0)


def test_the_data_page_fits_on_a_few_screens(built_site):
    page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert 'class="procure-dictionary"' not in page  # the dictionary is on its own pages
    assert 'href="csv.zip"' in page
    assert len(page) < 120_000


def test_every_demo_explanation_fits_what_its_commitment_measures():
    """One reason pasted onto unrelated commitments ("the electric vehicles arrived late" on home care) read as
    invented: each reason is used only for commitments measured in one kind of unit, and vehicle reasons only for
    emissions or miles."""
    from collections import defaultdict

    import yaml
    from conftest import REPO_ROOT

    units: dict[tuple[str, str], str] = {}
    for path in (REPO_ROOT / "records" / "awards").glob("*.yaml"):
        award = yaml.safe_load(path.read_text(encoding="utf-8"))
        for c in award.get("commitments") or ():
            units[(award["id"], c["id"])] = c["target"]["unit"]
    kinds = {"fte": "staff", "people": "staff", "weeks": "training", "hours-x-attendees": "training", "hours": "time",
             "gbp": "spend", "tco2e": "vehicles", "miles": "vehicles", "tonnes": "waste", "count": "events"}
    used: dict[str, set[str]] = defaultdict(set)
    for path in (REPO_ROOT / "records" / "outcomes").glob("*.yaml"):
        outcome = yaml.safe_load(path.read_text(encoding="utf-8"))
        reason = " ".join(str(outcome.get("variance_explanation") or "").split())
        if not reason or reason.startswith(("The contract started three months late", "Ahead of target")):
            continue  # these two fit any commitment
        unit = units[(outcome["award"], outcome["commitment"])]
        used[reason].add(kinds.get(unit, unit))
        if "vehicle" in reason:
            assert unit in ("tco2e", "miles"), (path.name, unit)
    assert used, "the demo has explanations of commitments behind target"
    assert {reason: sorted(k) for reason, k in used.items() if len(k) > 1} == {}


def test_cpv_codes_read_with_their_descriptions_from_the_shipped_list(built_site):
    from site_builder import cpv

    assert len(cpv.descriptions()) == 9454  # the whole CPV 2008 main vocabulary, as its README says
    assert cpv.division_label("45233000") == "45: Construction work"
    assert cpv.describe("90513000-6") == "Non-hazardous refuse and waste treatment and disposal services"
    assert cpv.division_label("99999999") == "99"  # unknown: the bare division, never an error
    # search filters and tender pages show the description, not "Division 45"
    page = (built_site / "search" / "index.html").read_text(encoding="utf-8")
    assert "Division " not in page and re.search(r"<option>\d\d: [A-Z]", page)


def test_long_chart_labels_wrap_onto_two_lines_before_they_are_shortened():
    from site_builder.render import charts

    label = "Employ 3 Greenbridge residents (FTE) on the contract, recruited through Greenbridge Works"
    lines = charts._label_lines(label)
    assert " ".join(lines) == label and len(lines) == 2  # all of it, on two lines
    assert all(len(line) <= charts.LINE_CHARS for line in lines)
    longer = charts._label_lines(" ".join([label] * 3))
    assert len(longer) == 2 and longer[-1].endswith("…")  # only what does not fit on two lines is cut
