"""Shared fixtures. Real-world files are found through CURRICLINT_REALWORLD (set by
.ci/run); without it, tests that need them skip and say why. Browser tests drive Debian's
headless Chromium (packages chromium and chromium-driver); without it they skip, unless
CURRICLINT_BROWSER_TESTS=1 (set in CI), where a missing browser is a failure."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REALWORLD_ENV = "CURRICLINT_REALWORLD"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
BROWSER_REQUIRED_ENV = "CURRICLINT_BROWSER_TESTS"


@pytest.fixture(scope="session")
def realworld() -> Path:
    value = os.environ.get(REALWORLD_ENV)
    if not value:
        pytest.skip(f"{REALWORLD_ENV} is not set: real-world corpus tests need the shared "
                    "folder of real files (.ci/run sets it)")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"{REALWORLD_ENV}={value} is not a folder")
    return path


EGFR_RACE = "eGFR × 1.159 if African American"


def _long_deck(path: Path, with_race: bool = True) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    blank = prs.slide_layouts[6]
    for number in range(1, 61):
        slide = prs.slides.add_slide(blank)
        slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1)).text_frame.text = \
            f"Slide {number} content"
        if number == 14:
            table = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
            table.cell(0, 0).text, table.cell(0, 1).text = "Test", "Adjustment"
            table.cell(1, 0).text = "Serum marker"
            table.cell(1, 1).text = EGFR_RACE if with_race else "None"
        if number == 20:
            slide.notes_slide.notes_text_frame.text = (
                f"Remember: {EGFR_RACE}." if with_race else "Remember to check the units.")
    prs.save(path)
    return path


@pytest.fixture(scope="session")
def long_deck():
    """Build a 60-slide deck: slide 14 has a table whose r2c2 cell holds the eGFR race
    coefficient, slide 20 has it in the speaker notes (plain text instead with
    ``with_race=False``). Call it with a path."""
    return _long_deck


LOCAL_PACK = """\
pack: local-terms
version: 1.0.0
description: A site's own rule
rules:
  - id: LOC001
    name: outdated-term
    category: local_language
    severity: error
    message: "Outdated term ({match})"
    rationale: The curriculum committee retired this term.
    suggestion: Say what you mean instead.
    match:
      - phrases: [mongoloid idiocy]
    examples:
      flag: ["The old name was mongoloid idiocy."]
      pass: ["Trisomy 21 (Down syndrome)."]
"""


@pytest.fixture(scope="session")
def local_pack_text() -> str:
    """A site's own one-rule pack (LOC001, category local_language), as YAML text."""
    return LOCAL_PACK


@pytest.fixture(scope="session")
def manifest_fails(realworld):
    """Files of one folder that MANIFEST.md lists under "Files that fail to open"."""
    import re

    section = (realworld / "MANIFEST.md").read_text(encoding="utf-8").split("## Files that fail to open", 1)[1]
    return lambda folder: set(re.findall(rf"^\| `({folder}/[^`]+)`", section, re.MULTILINE))


@pytest.fixture(scope="session")
def read_realworld(realworld):
    """Read every file with one of these extensions under a real-world folder, as
    {relative path: (FileResult, segments)}."""
    from curriclint.config import Config
    from curriclint.discover import Target
    from curriclint.runner import read_target

    def read(folder: str, extensions) -> dict:
        return {path.relative_to(realworld).as_posix(): read_target(Target(path, str(path), True), Config())
                for path in sorted((realworld / folder).rglob("*")) if path.suffix.lower() in extensions}
    return read


def _browser_unavailable(reason: str):
    if os.environ.get(BROWSER_REQUIRED_ENV) == "1":
        pytest.fail(f"{reason} ({BROWSER_REQUIRED_ENV}=1 requires the browser tests to run)")
    pytest.skip(f"{reason}; install the Debian packages chromium and chromium-driver, "
                f"or set {BROWSER_REQUIRED_ENV}=1 to make this a failure")


@pytest.fixture(scope="session")
def browser_downloads(tmp_path_factory) -> Path:
    """The folder where the headless Chromium saves what it downloads."""
    return tmp_path_factory.mktemp("browser-downloads")


@pytest.fixture(scope="session")
def driver(tmp_path_factory, browser_downloads):
    """One headless Chromium for the session, driven with selenium."""
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _browser_unavailable("selenium is not installed")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            _browser_unavailable(f"{path} is missing")
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(browser_downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except WebDriverException as exc:
        _browser_unavailable(f"Chromium did not start: {str(exc).splitlines()[0]}")
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)
