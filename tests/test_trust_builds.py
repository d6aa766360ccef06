"""Builds you can rely on: byte-identical from one build to the next (the whole tree: pages, Pagefind, SQLite,
zip), atomic (a crash mid-build leaves the previous site byte for byte), raw YAML equal to the source and to
SHA256SUMS, a read-only checkout builds, and nothing is written outside the output folder (the build uses no
validation cache, in the checkout or elsewhere: issue 16)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, copy_register
from trust_helpers import tree_snapshot


def build_in_subprocess(root: Path, site_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`procure build` in a fresh process, as a publisher runs it (Pagefind's random hash seed differs each time)."""
    return subprocess.run([sys.executable, "-m", "site_builder", "build", "--root", str(root), "--site-dir", str(site_dir)],
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The demonstration register built twice, in two processes, from one private (writable) copy; with the copy's
    tree before the builds and after them (the other tests here reuse these builds instead of building again)."""
    work = tmp_path_factory.mktemp("twice")
    root = copy_register(REPO_ROOT, work / "register")
    before = tree_snapshot(root)
    # a copy has no git history: the commit date comes from here; a cache, if a build kept one, would go to cache-home
    env = {"SOURCE_DATE_EPOCH": "1767225600", "PROCURE_CACHE_DIR": str(work / "cache-home")}
    sites = []
    for name in ("one", "two"):
        run = build_in_subprocess(root, work / name / "site", env)
        assert run.returncode == 0, run.stderr
        assert sorted(p.name for p in (work / name).iterdir()) == ["site"]  # only the site, no work folders
        sites.append(work / name / "site")
    return root, sites[0], sites[1], before, tree_snapshot(root)


def copy_of_site(site: Path, target: Path) -> Path:
    """A private copy of a built site (to publish over, or fail to), with its files' modes and times."""
    shutil.copytree(site, target, symlinks=True)
    return target


def test_two_builds_are_byte_identical_across_the_whole_tree(two_builds):
    _, one, two, _, _ = two_builds
    first, second = digests(one), digests(two)
    assert any(k.startswith("pagefind/") and k.endswith(".pf_filter") for k in first)  # Pagefind is included
    assert {"data/register.sqlite", "data/records.zip", "data/SHA256SUMS"} <= first.keys()
    assert first.keys() == second.keys(), sorted(first.keys() ^ second.keys())[:10]
    assert [k for k in first if first[k] != second[k]] == []


def test_raw_yaml_equals_the_source_and_its_checksum(two_builds):
    root, site, _, _, _ = two_builds
    sums: dict[str, str] = {}
    for line in (site / "data" / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.lstrip("*")] = digest
    sources = sorted((root / "records").rglob("*.yaml"))
    assert len(sources) > 100
    for source in sources:
        folder = source.parent.name
        raw = site / "data" / "records" / folder / source.name
        assert raw.read_bytes() == source.read_bytes(), source.name
        expected = hashlib.sha256(source.read_bytes()).hexdigest()  # of the SOURCE, not of the copy
        listed = [d for name, d in sums.items() if name.endswith(f"records/{folder}/{source.name}")]
        assert listed == [expected], source.name
    # and every line of SHA256SUMS is right about the file it names
    for name, digest in sums.items():
        assert hashlib.sha256((site / "data" / name).read_bytes()).hexdigest() == digest, name


def test_a_crash_mid_build_leaves_the_old_site_byte_identical(two_builds, tmp_path, monkeypatch):
    from site_builder import pipeline
    from site_builder.build import build_site

    built_root, built_site, _, _, _ = two_builds
    root = copy_register(built_root, tmp_path / "register")
    site = copy_of_site(built_site, tmp_path / "out" / "site")  # the published site the failed build must keep
    before = tree_snapshot(site)
    assert len(before) > 400

    def crash(*args, **kwargs):  # half-way: pages are written, the exports have started
        (Path(args[1]) / "partial.csv").parent.mkdir(parents=True, exist_ok=True)
        (Path(args[1]) / "partial.csv").write_text("half a file")
        raise RuntimeError("injected crash in the export stage")

    monkeypatch.setattr(pipeline, "place_exports", crash)
    with pytest.raises(RuntimeError, match="injected crash"):
        build_site(root, tmp_path / "out" / "site", search=False)
    assert tree_snapshot(site) == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]  # no staging folder left behind


def test_an_invalid_record_leaves_the_old_site_byte_identical(two_builds, tmp_path):
    built_root, built_site, _, _, _ = two_builds
    root = copy_register(built_root, tmp_path / "register")
    site = copy_of_site(built_site, tmp_path / "out" / "site")  # published by a build of this very register
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    before = tree_snapshot(site)
    award = sorted((root / "records" / "awards").glob("*.yaml"))[0]
    award.write_text(award.read_text(encoding="utf-8").replace("status: active", "status: nonsense", 1)
                     + "date_signed: 2025-02-30\n", encoding="utf-8")
    run = build_in_subprocess(root, site, env)
    assert run.returncode == 1
    assert f"records/awards/{award.name}:" in run.stderr and "Traceback" not in run.stderr
    assert tree_snapshot(site) == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]


def test_a_read_only_checkout_builds_and_nothing_is_written_outside_the_output(tmp_path):
    root = copy_register(REPO_ROOT, tmp_path / "checkout")
    # the cache folder cannot be made: a file sits where it would go (root ignores permissions, this does not)
    (root / ".cache").write_text("not a folder\n")
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    scratch.mkdir()
    checkout_before = tree_snapshot(root)
    try:
        run = build_in_subprocess(root, out / "site", {"SOURCE_DATE_EPOCH": "1767225600", "TMPDIR": str(scratch),
                                                       "HOME": str(scratch)})
        assert run.returncode == 0, run.stderr
        assert tree_snapshot(root) == checkout_before  # not one byte, mode or file added in the checkout
        assert sorted(p.name for p in out.iterdir()) == ["site"]  # only the site beside it, no work folders
        assert list(scratch.rglob("*")) == []  # temporary files, if any, were removed
        assert (out / "site" / "index.html").is_file() and (out / "site" / "pagefind" / "bundles.json").is_file()
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_writable_checkout_gets_nothing_written_into_it(two_builds):
    root, _, _, before, after = two_builds  # the copy as it was before its two builds, and after them
    assert after == before  # no cache, no work folder, nothing
    assert not (root.parent / "cache-home").exists()  # and the build keeps no validation cache anywhere else either
