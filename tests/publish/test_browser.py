"""The site in a real headless Chromium (Debian's, installed by `make test`), over real HTTP.

Screenshots of each page land in `test-artifacts/screenshots/` for a person to look at. The
reader pages are checked with axe-core, which `make test` installs from package-lock.json into
node_modules (#16): none may have a serious or critical accessibility violation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from tests.publish.served import served

pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


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


def _axe_violations(browser) -> list[dict]:
    """axe-core's serious and critical violations on the page the browser shows."""
    # Not a skip: `make test` runs `npm ci`, so its absence is a failure too.
    assert AXE.exists(), "run `make test`: it installs axe-core with npm ci"
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    results = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations)).catch(e => done([{id: String(e)}]));")
    return [{"id": v["id"], "impact": v.get("impact"), "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in results if v.get("impact") in BLOCKING or "impact" not in v]


def test_home_page_loads_without_console_errors(site, browser) -> None:
    base, _ = site
    page = _visit(browser, base + "/", "home")
    assert "Product launches from the tech press" in page and "Launches per week" in page
    assert "Latest launches" in page and "Figures that disagree" in page
    assert _axe_violations(browser) == []


def test_launch_page_loads_without_console_errors(site, browser) -> None:
    base, db_path = site
    key = next(sqlite_utils.Database(db_path).query(
        "select story_key from launches where story_key like 'threads-%'"))["story_key"]
    page = _visit(browser, f"{base}/-/launch/{key}", "launch")
    assert "Timeline" in page and "Coverage" in page and "badge-launched" in page
    assert _axe_violations(browser) == []


def test_search_result_loads_without_console_errors(site, browser) -> None:
    base, db_path = site
    page = _visit(browser, f"{base}/-/search?q=Threads", "search")
    assert "<mark>Threads</mark> goes live" in page
    assert (SCREENSHOTS / "search.png").stat().st_size > 1000
    assert _axe_violations(browser) == []


def test_entity_page_is_accessible(site, browser) -> None:
    base, db_path = site
    meta = next(sqlite_utils.Database(db_path).query(
        "select id from entities where name = 'Meta' and label = 'COMPANY'"))["id"]
    page = _visit(browser, f"{base}/{db_path.stem}/entities/{meta}", "entity")
    assert "Apps and products" in page and "Threads" in page and "Figures over time" in page
    assert _axe_violations(browser) == []


def test_sources_page_is_accessible(site, browser) -> None:
    base, _ = site
    page = _visit(browser, base + "/-/sources", "sources")
    assert "About the sources" in page and "health-" in page
    assert _axe_violations(browser) == []


def test_table_page_is_accessible(site, browser) -> None:
    """Datasette's table page too, with a facet and a filter: launchwire labels its filter
    form and underlines the links its table cells and facets hold (#16)."""
    base, db_path = site
    page = _visit(browser, f"{base}/{db_path.stem}/launches?modality=launched"
                           "&_facet=first_source", "table")
    assert "About the columns" in page and 'aria-label="Column to filter"' in page
    assert _axe_violations(browser) == []
