"""A fresh install is exactly the lock (issue 10): the versions installed in the environment running the tests are
the ones `requirements/test.txt` pins, and every dependency `pyproject.toml` names is locked."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from conftest import REPO_ROOT
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = REPO_ROOT / "requirements"


def locked(path) -> dict[str, str]:
    """name → version of every pin in a lock file whose environment marker holds here."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(r"([A-Za-z0-9_.\-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if found and (found[3] is None or Marker(found[3]).evaluate()):
            pins[canonicalize_name(found[1])] = found[2]
    return pins


def test_every_locked_package_is_installed_at_its_locked_version() -> None:
    pins = locked(REQUIREMENTS / "test.txt")
    assert len(pins) > 50  # the parse found the lock's pins
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (version, installed.get(name)) for name, version in pins.items() if installed.get(name) != version}
    assert not wrong, f"installed versions differ from requirements/test.txt (locked, installed): {wrong}"


def test_the_site_lock_agrees_with_the_test_lock() -> None:
    site, test = locked(REQUIREMENTS / "site.txt"), locked(REQUIREMENTS / "test.txt")
    assert site.items() <= test.items()


def test_every_dependency_in_pyproject_is_locked() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    site, test = locked(REQUIREMENTS / "site.txt"), locked(REQUIREMENTS / "test.txt")
    for lock, requirements in ((site, project["dependencies"]),
                               (test, project["dependencies"] + project["optional-dependencies"]["test"])):
        for text in requirements:
            requirement = Requirement(text)
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{requirement.name} is in pyproject.toml but not locked: run `make lock`"
            assert requirement.specifier.contains(lock[name], prereleases=True), (
                f"{requirement.name} {lock[name]} in the lock is outside {requirement.specifier}: run `make lock`")
