"""The site in a real headless Chromium (Debian's, installed by `make test`), over real HTTP.

Screenshots of each page land in `test-artifacts/screenshots/` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from tests.publish.served import served

pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def site(crawled_db: Path):
    with served(crawled_db) as running:
        yield running.base, crawled_db


@pytest.fixture(scope="module")
def browser():
    # Not a skip: the test set-up installs Debian's chromium; its absence is a failure.
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "run `make test`: it installs chromium"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _visit(browser, url: str, name: str) -> str:
    browser.get(url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors
    return browser.page_source


def test_home_page_loads_without_console_errors(site, browser) -> None:
    base, _ = site
    page = _visit(browser, base + "/", "home")
    assert "Product launches from the tech press" in page and "Launches per week" in page


def test_launch_page_loads_without_console_errors(site, browser) -> None:
    base, db_path = site
    key = next(sqlite_utils.Database(db_path).query(
        "select story_key from launches where story_key like 'threads-%'"))["story_key"]
    page = _visit(browser, f"{base}/-/launch/{key}", "launch")
    assert "Timeline" in page and "Coverage" in page and "badge-launched" in page


def test_search_result_loads_without_console_errors(site, browser) -> None:
    base, db_path = site
    page = _visit(browser, f"{base}/{db_path.stem}/search?q=Threads", "search")
    assert "Threads goes live" in page or "Threads" in page.split("<table")[1]
    assert (SCREENSHOTS / "search.png").stat().st_size > 1000
