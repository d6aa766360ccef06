"""The search stage on its own: index sources, bundles indexed as they complete, failures reported.

The demonstration site's search is checked end to end in test_site.py and test_browser.py; these tests use a
few hand-written pages so that what is expected can be read off the test itself."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from site_builder.errors import BuildError
from site_builder.search import Bundle, SearchIndexer, index_source_html


def test_index_source_keeps_the_content_and_cuts_the_excluded_parts():
    content = ('<div data-pagefind-body>\n<h1>Street cleaning</h1>\n'
               '<section aria-labelledby="journey"><h2 id="journey">The journey so far</h2><ol><li>x</li></ol></section>\n'
               '<p>Litter picking in Greenbridge.</p>\n'
               '<figure class="procure-chart" id="c"><svg><rect/></svg><table><tr><td>42%</td></tr></table></figure>\n'
               '<table class="procure-sv-units"><tr><td>12 hours</td></tr></table>\n'
               '<p>Second paragraph.</p>\n</div>\n<div hidden><span data-pagefind-filter="type">Award</span></div>')
    source = index_source_html("Street <cleaning>", content)
    assert "<title>Street &lt;cleaning&gt;</title>" in source
    assert "Litter picking in Greenbridge." in source and "Second paragraph." in source
    assert '<span data-pagefind-filter="type">Award</span>' in source
    for cut in ("The journey so far", "42%", "12 hours", "<svg>"):
        assert cut not in source


def test_a_cut_never_runs_past_the_end_of_its_element():
    # a journey section holding a section of its own: the cut stops early, at the first </section>
    content = ('<section aria-labelledby="journey"><section>inner</section>tail of the journey</section>'
               '<p>After the journey.</p>')
    source = index_source_html("t", content)
    assert "After the journey." in source
    assert "inner" not in source


def _page(title: str, words: str, kind: str) -> str:
    return (f'<div data-pagefind-body><h1>{title}</h1><p>{words}</p></div>'
            f'<div hidden><span data-pagefind-filter="type">{kind}</span>'
            f'<span data-pagefind-sort="date:2025-01-0{len(title) % 9 + 1}"></span></div>')


def test_each_bundle_is_indexed_once_its_pages_are_in(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    bundles = [Bundle("awards", "Award", ("awards/A-1/", "awards/A-2/")),
               Bundle("tenders", "Tender", ("tenders/T-1/",))]
    indexer = SearchIndexer(site, bundles, tmp_path / "work").start()
    indexer.add_page("awards/A-1/", "Street cleaning", _page("Street cleaning", "litter picking", "Award"))
    indexer.add_page("tenders/T-1/", "Grass cutting", _page("Grass cutting", "verges and parks", "Tender"))
    indexer.add_page("awards/A-2/", "School meals", _page("School meals", "hot lunches", "Award"))
    runs = indexer.finish()
    assert sorted((r.bundle, r.pages) for r in runs) == [("awards", 2), ("tenders", 1)]
    for name in ("awards", "tenders"):
        entry = json.loads((site / "pagefind" / name / "pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == {"awards": 2, "tenders": 1}[name]
    assert json.loads((site / "pagefind" / "bundles.json").read_text()) == {
        "Award": ["pagefind/awards/"], "Tender": ["pagefind/tenders/"]}
    assert not list((tmp_path / "work").glob("pagefind-src-*"))  # the index sources are gone


def _read_pagefind_file(path: Path):
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(b"pagefind_dcd")
    return raw[len(b"pagefind_dcd"):]


def test_the_sort_orders_are_kept_out_of_the_page_list_a_relevance_search_loads(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    urls = ("awards/A-1/", "awards/A-2/", "awards/A-3/")
    indexer = SearchIndexer(site, [Bundle("awards", "Award", urls)], tmp_path / "work").start()
    # titles of 15, 12 and 10 characters: dates 2025-01-07, 2025-01-04 and 2025-01-02 (see _page)
    for url, title in zip(urls, ("Street cleaning", "School meals", "Road gully"), strict=True):
        indexer.add_page(url, title, _page(title, "council services", "Award"))
    indexer.finish()
    bundle = site / "pagefind" / "awards"
    languages = json.loads((bundle / "pagefind-entry.json").read_text())["languages"]
    assert sorted(languages) == ["en", "en-x-sorted"]
    assert languages["en"]["page_count"] == languages["en-x-sorted"]["page_count"] == 3
    plain = _decode_meta(_read_pagefind_file(bundle / f"pagefind.{languages['en']['hash']}.pf_meta"))
    full = _decode_meta(_read_pagefind_file(bundle / f"pagefind.{languages['en-x-sorted']['hash']}.pf_meta"))
    # [version, pages, word index chunks, filters, sorts, ...]: the same but for the sorts
    assert plain[4] == [] and plain[:4] == full[:4] and plain[5:] == full[5:]
    (name, order), = full[4]
    assert name == "date"
    url_of_page = [json.loads(_read_pagefind_file(bundle / "fragment" / f"{page_hash}.pf_fragment"))["url"]
                   for page_hash, _words in full[1]]
    assert [url_of_page[i] for i in order] == ["/awards/A-3/", "/awards/A-2/", "/awards/A-1/"]  # oldest first
    # the empty index the search page starts Pagefind from, and merges the bundles into
    engine = site / "pagefind" / "engine"
    assert (engine / "pagefind.js").is_file() and (engine / "wasm.en.pagefind").is_file()
    engine_languages = json.loads((engine / "pagefind-entry.json").read_text())["languages"]
    assert list(engine_languages) == ["en"] and engine_languages["en"]["page_count"] == 0
    empty = _decode_meta(_read_pagefind_file(engine / f"pagefind.{engine_languages['en']['hash']}.pf_meta"))
    assert empty[1:5] == [[], [], [], []]


def _decode_meta(payload: bytes):
    from site_builder.search_stable import _decode

    value, end = _decode(payload)
    assert end == len(payload)
    return value


def test_a_bundle_missing_pages_fails_the_build(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    indexer = SearchIndexer(site, [Bundle("awards", "Award", ("awards/A-1/", "awards/A-2/"))], tmp_path / "w").start()
    indexer.add_page("awards/A-1/", "Street cleaning", _page("Street cleaning", "litter", "Award"))
    with pytest.raises(BuildError, match="missing pages of the bundles awards"):
        indexer.finish()
