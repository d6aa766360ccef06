"""``sitemap.xml`` (sitemaps.org protocol) with every page of the site; past 50,000 URLs, a sitemap index and
numbered parts. A sitemap may list only URLs under its own folder, so the build writes it at the site's root."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

MAX_URLS = 50_000  # protocol limit per file
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def build_sitemaps(page_urls: Iterable[str], site_url: str) -> dict[str, bytes]:
    """file name → content. ``page_urls`` are site-relative ('' = home, 'awards/AW-1/'); output is sorted."""
    base = site_url.rstrip("/") + "/"
    urls = sorted({base + u.lstrip("/") for u in page_urls})
    chunks = [urls[i:i + MAX_URLS] for i in range(0, len(urls), MAX_URLS)] or [[]]

    def urlset(chunk: list[str]) -> bytes:
        body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in chunk)
        return f"{_HEAD}<urlset {_NS}>\n{body}</urlset>\n".encode()

    if len(chunks) == 1:
        return {"sitemap.xml": urlset(chunks[0])}
    files = {f"sitemap-{n}.xml": urlset(chunk) for n, chunk in enumerate(chunks, 1)}
    index = "".join(f"  <sitemap><loc>{escape(base + name)}</loc></sitemap>\n" for name in files)
    files["sitemap.xml"] = f"{_HEAD}<sitemapindex {_NS}>\n{index}</sitemapindex>\n".encode()
    return files


def write_sitemaps(site_dir: Path, page_urls: Iterable[str], site_url: str) -> list[Path]:
    written = []
    for name, data in build_sitemaps(page_urls, site_url).items():
        path = site_dir / name
        path.write_bytes(data)
        written.append(path)
    return written
