"""Acceptance: a course director's path through `curriclint serve` in a real headless
Chromium. Start the command, open its link, choose a deck (then a zip of a course folder),
watch it being read, read the RBA001 finding at slide 4 (table r3c3) in the report, and
download the report and the annotated deck (whose speaker notes carry the finding).

With CURRICLINT_SCREENSHOTS=1 the report page is saved to docs/images/serve.png.
"""
from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import pytest
from pptx import Presentation
from serve_helpers import EXAMPLES, examples_zip, serving

from curriclint.extract import NOTES_HEADING

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "serve.png"
SCREENSHOT_LIMIT = 300 * 1024
WAIT = 120


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("serve")) as server:
        yield server
        assert server.stop() == 0
        assert list(server.tmpdir.iterdir()) == []


@pytest.fixture
def browser(driver, served):
    driver.set_window_size(1280, 860)
    driver.get(served.url)
    driver.get_log("browser")  # start each test with an empty console
    return driver


def _choose(driver, *paths: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))


def _report(driver):
    """Wait for the result page, then enter the report's frame."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(ec.frame_to_be_available_and_switch_to_it((By.ID, "report")))
    WebDriverWait(driver, WAIT).until(ec.presence_of_element_located((By.ID, "findings")))
    return driver


def _findings(driver) -> list[tuple[str, str, str]]:
    """(file, where, rule) of every finding shown in the report."""
    from selenium.webdriver.common.by import By

    shown = []
    for group in driver.find_elements(By.CSS_SELECTOR, "#findings .file-group"):
        path = group.find_element(By.TAG_NAME, "h3").text
        for finding in group.find_elements(By.CSS_SELECTOR, ".finding"):
            shown.append((path, finding.find_element(By.CSS_SELECTOR, ".where").text,
                          finding.get_attribute("data-rule")))
    return shown


def _policy_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]


def _downloaded(folder: Path, name: str) -> Path:
    deadline = time.monotonic() + WAIT
    target = folder / name
    while time.monotonic() < deadline:
        if target.exists() and not (folder / (name + ".crdownload")).exists():
            return target
        time.sleep(0.2)
    pytest.fail(f"{name} was not downloaded; the folder holds {sorted(p.name for p in folder.iterdir())}")


def test_a_deck_is_checked_in_the_browser(browser, browser_downloads):
    from selenium.webdriver.common.by import By

    _choose(browser, EXAMPLES / "renal-physiology.pptx")
    _report(browser)
    assert browser.find_element(By.ID, "total-findings").text == "4"
    assert ("renal-physiology.pptx", "slide 4 (table r3c3)", "RBA001") in _findings(browser)
    # the report's own script ran inside the frame (it reveals the reset button)
    assert browser.find_element(By.ID, "reset-filters").is_displayed()
    browser.switch_to.default_content()
    assert browser.find_element(By.ID, "result-summary").text == "4 findings in 1 file."
    browser.find_element(By.ID, "download-csv").click()
    rows = list(csv.DictReader(io.StringIO(_downloaded(browser_downloads, "curriclint-report.csv")
                                           .read_text(encoding="utf-8"))))
    assert {(r["rule_id"], r["index"], r["row"], r["col"]) for r in rows if r["part"] == "table"} == {("RBA001", "4", "3", "3")}
    browser.find_element(By.ID, "show-copies").click()
    browser.find_element(By.LINK_TEXT, "renal-physiology.curriclint.pptx").click()
    deck = Presentation(_downloaded(browser_downloads, "renal-physiology.curriclint.pptx"))
    notes = deck.slides[3].notes_slide.notes_text_frame.text
    assert NOTES_HEADING in notes and "RBA001" in notes and "× 1.159" in notes
    assert _policy_violations(browser) == []


def test_a_course_zip_is_checked_in_the_browser(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    course = tmp_path / "examples.zip"
    course.write_bytes(examples_zip())
    _choose(browser, course)
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, WAIT, poll_frequency=0.05).until(
        lambda d: "/jobs/" in d.current_url or status.text.startswith("Reading 4 files"))
    _report(browser)
    assert browser.find_element(By.ID, "total-findings").text == "11"
    shown = _findings(browser)
    assert ("examples.zip/examples/renal-physiology.pptx", "slide 4 (table r3c3)", "RBA001") in shown
    assert {path for path, _, _ in shown} == {f"examples.zip/examples/{p.name}" for p in EXAMPLES.iterdir()}
    browser.switch_to.default_content()
    browser.find_element(By.ID, "show-copies").click()
    copies = [link.text for link in browser.find_elements(By.CSS_SELECTOR, ".copies-list a.copy")]
    assert copies == ["case-vignettes.curriclint.docx", "pulmonary-function.curriclint.pdf",
                      "question-bank.curriclint-review.xlsx", "renal-physiology.curriclint.pptx"]
    if os.environ.get("CURRICLINT_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))
        assert SCREENSHOT.stat().st_size < SCREENSHOT_LIMIT
    assert _policy_violations(browser) == []


def test_a_refusal_is_shown_in_the_page(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from serve_helpers import zip_of

    bad = tmp_path / "course.zip"
    bad.write_bytes(zip_of({"../outside.txt": b"x"}))
    _choose(browser, bad)
    problem = browser.find_element(By.ID, "problem")
    WebDriverWait(browser, WAIT).until(lambda d: problem.is_displayed())
    assert "course.zip has a member outside the package" in problem.text
