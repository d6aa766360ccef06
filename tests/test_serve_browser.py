"""`procure serve` as an officer uses it, in headless Chromium: the open page follows the edits without a reload
by hand, and shows the validator's message while a record is broken. The site's own Content-Security-Policy stays
in force (the reload script is a file from the same origin), so no CSP violation may be logged.

Values are read off the fixture register (tests/fixtures/export_register) by hand.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_serve import AWARD_TITLE, answers, fetch, free_port, make_register, running, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_open_page_follows_edits_and_shows_errors(browser, tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    # as the demonstration register does: with a palette set, Material writes no inline script of its own, so any
    # CSP violation would be the preview server's
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("  palette:\n    primary: indigo\n")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    page_url = base + "awards/AW-2025-001/"
    log = tmp_path / "server.log"
    award = root / "records" / "awards" / "AW-2025-001.yaml"
    source = award.read_text("utf-8")
    command = [sys.executable, "-m", "site_builder", "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"]
    with running(command, root, log) as proc:
        wait_until(answers(page_url), proc, log, "answering")
        printed = log.read_text("utf-8")
        assert f"Serving the register at {base} (press Ctrl+C to stop)" in printed  # the address, first
        assert re.search(r"\n  validate\b", printed), printed  # the first build's progress, stage by stage
        assert "built 14 records into 14 record pages" in printed

        context = browser.new_context()
        tab = context.new_page()
        messages: list[str] = []
        tab.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        tab.on("pageerror", lambda e: messages.append(f"page error: {e}"))
        tab.goto(page_url)
        heading = tab.locator("article h1").first
        expect(heading).to_have_text(AWARD_TITLE)
        tab.evaluate("window.procureMark = 'not reloaded'")

        # 1. an edit: the open page reloads by itself and shows the new title
        started = time.monotonic()
        award.write_text(source.replace(AWARD_TITLE, "Grounds maintenance: north and east"), "utf-8")
        expect(heading).to_have_text("Grounds maintenance: north and east", timeout=30_000)
        took = time.monotonic() - started
        assert tab.evaluate("window.procureMark === undefined")  # a new document: the page really reloaded
        # the one-record path, not a full build (its line is written before the page is told to reload)
        assert "updated awards/AW-2025-001/ and" in log.read_text("utf-8")
        print(f"edit to page shown in {took:.1f} s")

        # 2. a broken record: the open page shows the validator's message, with file, line and field
        award.write_text(source.replace("status: active", "status: finished", 1), "utf-8")
        alert = tab.locator("#procure-live")
        alert.wait_for(state="visible", timeout=30_000)
        text = alert.inner_text()
        assert "The register has 1 error, so the site was not updated." in text
        assert "records/awards/AW-2025-001.yaml:6:9: error[schema/enum] /status: 'finished' is not one of" in text
        assert tab.get_attribute("#procure-live", "role") == "alert"
        tab.screenshot(path=str(tmp_path / "serve-error.png"))

        # ... and a change to another record saved meanwhile is not lost once the register is valid again
        tender = root / "records" / "tenders" / "T-2025-001.yaml"
        tender.write_text(tender.read_text("utf-8").replace("verges & open spaces", "verges and commons"), "utf-8")
        wait_until(lambda: log.read_text("utf-8").count("the site was not updated") >= 2, proc, log,
                   "reporting the register still invalid after the tender's change")

        # 3. fixed: the message goes and the page shows the corrected record
        award.write_text(source.replace(AWARD_TITLE, "Grounds maintenance: north and west"), "utf-8")
        expect(heading).to_have_text("Grounds maintenance: north and west", timeout=30_000)
        assert tab.locator("#procure-live").count() == 0
        wait_until(lambda: "verges and commons" in fetch(base + "tenders/T-2025-001/")[1], proc, log,
                   "showing the tender's change saved while the award was broken")
        csp = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
        assert csp == [], "\n".join(messages)
        assert not [m for m in messages if m.startswith("page error")], messages
        context.close()
