"""The HTML report in a real headless Chromium: it renders, the filters work, and text from
documents stays text (a <script> in a slide never runs).

Needs Debian's chromium and chromium-driver (the ``driver`` fixture in tests/conftest.py
skips without them, or fails with CURRICLINT_BROWSER_TESTS=1, as in CI).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from curriclint.report import render

pytestmark = pytest.mark.browser


@pytest.fixture
def page(driver, run, ruleset, tmp_path):
    report = tmp_path / "report.html"
    report.write_text(render("html", run, ruleset), encoding="utf-8")
    driver.get(Path(report).resolve().as_uri())
    return driver


def _visible(driver) -> int:
    from selenium.webdriver.common.by import By

    return sum(1 for el in driver.find_elements(By.CSS_SELECTOR, "#findings .finding") if el.is_displayed())


def _count_label(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "shown-count").text


def _choose(driver, key: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, f"filter-{key}")).select_by_value(value)


def test_report_renders(page):
    from selenium.webdriver.common.by import By

    assert page.title == "curriclint report"
    assert page.find_element(By.ID, "total-findings").text == "4"
    assert len(page.find_elements(By.CSS_SELECTOR, "#summary svg")) == 4
    assert _visible(page) == 4
    assert _count_label(page) == "Showing 4 of 4 findings"
    assert page.find_element(By.ID, "banks").is_displayed()
    # suppressed findings sit in a closed <details>
    assert not any(el.is_displayed() for el in page.find_elements(By.CSS_SELECTOR, ".suppressed-finding"))


def test_filters_hide_findings_and_update_the_count(page):
    from selenium.webdriver.common.by import By

    _choose(page, "severity", "error")
    assert _visible(page) == 2
    assert _count_label(page) == "Showing 2 of 4 findings"
    _choose(page, "category", "stereotyped_vignette")
    assert _visible(page) == 0
    assert page.find_element(By.ID, "no-match").is_displayed()
    page.find_element(By.ID, "reset-filters").click()
    assert _visible(page) == 4
    _choose(page, "course", "heme")
    assert _visible(page) == 2
    assert _count_label(page) == "Showing 2 of 4 findings"
    # a file whose findings are all filtered out loses its heading too
    groups = page.find_elements(By.CSS_SELECTOR, "#findings .file-group")
    assert sum(1 for g in groups if g.is_displayed()) == 1


def test_document_script_never_runs(page):
    from selenium.webdriver.common.by import By

    assert page.execute_script("return typeof window.__pwned") == "undefined"
    assert "<script>window.__pwned = 1</script> Black patients feel less pain" in page.find_element(By.TAG_NAME, "body").text
    try:
        logs = page.get_log("browser")
    except Exception:  # noqa: BLE001 - log access is a driver feature, not the point of the test
        logs = []
    violations = [entry["message"] for entry in logs if "Content Security Policy" in entry.get("message", "")]
    assert not violations, violations
