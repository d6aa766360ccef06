"""Fail a pull request that changes anything outside records/ until a maintainer approves it (label
"maintainer-approved"). Run from the base branch's checkout, so a pull request cannot change this policy for itself.

Usage: needs_maintainer.py CHANGED_FILES_LIST   (one path per line; APPROVED=true when the label is present)
"""

from __future__ import annotations

import os
import sys

#: what an officer's pull request may change without a maintainer: record files only
RECORDS_ONLY = ("records/",)


def needs_review(paths: list[str]) -> list[str]:
    """The changed paths that run code or change the rules (everything but a record file)."""
    return sorted({p for p in paths if not (p.startswith(RECORDS_ONLY) and p.endswith(".yaml") and ".." not in p)})


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        paths = [line.strip() for line in handle if line.strip()]
    flagged = needs_review(paths)
    if not flagged:
        print(f"{len(paths)} changed file(s), all records: the validator's check is enough")
        return 0
    for path in flagged:
        print(f"::warning file={path}::changes outside records/ need a maintainer's review")
    if os.environ.get("APPROVED") == "true":
        print(f"{len(flagged)} file(s) outside records/; approved by a maintainer (label maintainer-approved)")
        return 0
    print(f"::error::{len(flagged)} changed file(s) outside records/ (code, schemas, workflows, mkdocs.yml, pages) "
          "run when the site is built: a maintainer must review them and add the label 'maintainer-approved'")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
