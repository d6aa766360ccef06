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
