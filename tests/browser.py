"""A real browser for the tests: Debian's Chromium, driven by Selenium (the report) or Playwright (the review page).

Skips with the reason when either is missing (`apt install chromium chromium-driver`).
"""

import contextlib
import shutil

import pytest


def chromium():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("no Chromium with chromedriver on this machine (Debian: apt install chromium chromium-driver): "
                    "the report was not opened in a browser")
    try:
        from selenium import webdriver
    except ImportError:
        pytest.skip("selenium is not installed (./setup.sh installs it): the report was not opened in a browser")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2000"):
        options.add_argument(flag)  # --no-sandbox: Chromium refuses to run as root with its own sandbox
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))


def table_rows(driver, table_id: str) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    table = driver.find_element(By.ID, table_id)
    return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def check_report(path, checks: int, top_mistake: str, top_count: int) -> None:
    """Open report.html offline; find the per-check table and the mistake ranking; sort the students."""
    from selenium.webdriver.common.by import By

    driver = chromium()
    try:
        driver.get(path.resolve().as_uri())
        assert "course report" in driver.title
        rows = table_rows(driver, "check-table")
        assert len(rows) == checks and all(r[5].endswith("%") for r in rows)
        mistakes = table_rows(driver, "mistake-table")
        assert mistakes[0][1] == top_mistake and int(mistakes[0][0]) == top_count
        assert [int(m[0]) for m in mistakes] == sorted((int(m[0]) for m in mistakes), reverse=True)
        assert driver.find_elements(By.CSS_SELECTOR, "div.charts svg"), "the charts are inline SVG"
        header = next(th for th in driver.find_elements(By.CSS_SELECTOR, "#student-table th") if th.text.startswith("total"))
        header.click()
        totals = [float(r[-2]) for r in table_rows(driver, "student-table")]
        assert totals == sorted(totals, reverse=True), totals
        header.click()
        totals = [float(r[-2]) for r in table_rows(driver, "student-table")]
        assert totals == sorted(totals), totals
    finally:
        driver.quit()


@contextlib.contextmanager
def playwright_chromium():
    """Debian's Chromium driven by Playwright (launched by its path: Playwright downloads no browser here)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip("no Chromium on this machine (Debian: apt install chromium): the review page was not driven")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (./setup.sh installs it): the review page was not driven")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=browser, args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()
