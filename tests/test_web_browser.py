"""`malbas serve` in a real headless browser: Debian's Chromium, driven by Playwright (no browser download).

The server runs as a user starts it (`malbas serve --port 0`, a subprocess) over the test database holding the 4
samples. Every page renders with no console error and no failed request, each chart draws (its Chart.js object
exists and its canvas has ink), and a number's link, and a bar of the chart, reach the line the number was read
from. With MALBAS_SCREENSHOTS=DIR the test saves the screenshots the README shows (docs/screenshots/).

A machine without Chromium or Playwright skips this test; in CI (CI=true) a missing browser fails it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.test_web import db  # noqa: F401 - the module fixture with the samples loaded

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = os.environ.get("MALBAS_SCREENSHOTS")


def _need_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright package (dev extras)"
    else:
        if CHROMIUM.exists():
            return
        missing = f"Chromium ({CHROMIUM}; tools/system_packages.sh installs it)"
    if os.environ.get("CI"):
        pytest.fail(f"{missing} is not installed, and CI must run the browser test")
    pytest.skip(f"{missing} is not installed on this machine")


@pytest.fixture(scope="module")
def server(db: Engine, database_url: str) -> Iterator[str]:  # noqa: F811
    """The base URL of `malbas serve` on a free port, started as a user starts it."""
    _need_browser()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("malbas")), "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = None
        assert process.stdout is not None
        for line in process.stdout:  # the server says where it listens, then serves
            if found := re.search(r"serving (http://\S+/)", line):
                url = found.group(1)
                break
        assert url, f"malbas serve did not start (exit {process.poll()})"
        yield url.rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:  # noqa: ANN001
    """A page that records every console error, script error and failed request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server, locale="sv-SE")
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(f"console: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(f"script: {e}"))
    tab.on("requestfailed", lambda r: tab.problems.append(f"request failed: {r.url}"))
    tab.on("response", lambda r: tab.problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    yield tab
    context.close()


def _open(page, path: str) -> None:  # noqa: ANN001
    response = page.goto(path)
    assert response is not None and response.ok, path
    page.wait_for_load_state("networkidle")


def _chart_draws(page) -> None:  # noqa: ANN001
    """A Chart.js chart exists on the page and its canvas holds drawn pixels, not a blank box."""
    assert page.evaluate("window.malbasCharts.length") >= 1
    inked = page.evaluate(
        """() => {
            const canvas = document.querySelector('canvas[data-chart]');
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let inked = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
            return inked / (canvas.width * canvas.height);
        }"""
    )
    assert inked > 0.01, f"the chart's canvas is nearly blank ({inked:.1%} drawn)"
    # and its points stand inside the plot: a bar or point for every value
    placed = page.evaluate(
        """() => {
            const chart = window.malbasCharts[0], area = chart.chartArea;
            let values = 0, inside = 0;
            chart.data.datasets.forEach((dataset, i) => dataset.data.forEach((value, j) => {
                if (value === null) return;
                values++;
                const element = chart.getDatasetMeta(i).data[j];
                if (element.x >= area.left && element.x <= area.right && element.y >= area.top - 1
                    && element.y <= area.bottom + 1) inside++;
            }));
            return [values, inside];
        }"""
    )
    assert placed[0] > 0 and placed[0] == placed[1], placed


def _shot(page, name: str, full_page: bool = False) -> None:  # noqa: ANN001
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)


def _index(db: Engine) -> int:  # noqa: F811
    with db.connect() as conn:
        return conn.execute(text("SELECT id FROM indikator WHERE namn = 'Aktivt Medskapandeindex'")).scalar_one()


def test_comparison_chart_draws_and_a_number_reaches_its_line(page, db):  # noqa: F811
    _open(page, f"/jamforelse?indikator={_index(db)}&period=2020-senaste")
    _chart_draws(page)
    labels = page.evaluate("window.malbasCharts[0].data.labels")
    assert labels == [["Hässelby-Vällingby", "VB 2020"], ["Rinkeby-Kista", "T1 2020"]]
    _shot(page, "jamforelse", full_page=True)
    # Hässelby-Vällingby's outcome for kvinnor, 80, printed on line 2394 of its VB 2020
    page.locator("table.indikatorer tr", has_text="Hässelby-Vällingby").locator("a.tal").nth(1).click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/kalla/\d+/2394\?v=80#L2394$", page.url)
    chosen = page.locator("span.rad.vald")
    assert chosen.get_attribute("id") == "L2394"
    assert "Aktivt Medskapandeindex" in chosen.inner_text()
    assert page.locator("span.rad.vald mark").inner_text() == "80"
    assert chosen.is_visible()
    _shot(page, "kalla")
    assert page.problems == []


def test_a_bar_of_the_chart_leads_to_its_line(page, db):  # noqa: F811
    _open(page, f"/jamforelse?indikator={_index(db)}&period=2020-senaste")
    # the first bar: Hässelby-Vällingby's total, 79 on line 2394
    x, y = page.evaluate(
        "(() => { const bar = window.malbasCharts[0].getDatasetMeta(0).data[0]; return [bar.x, bar.y + 20]; })()"
    )
    box = page.locator("canvas[data-chart]").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"/kalla/\d+/2394"))
    assert page.locator("span.rad.vald mark").inner_text() == "79"
    assert page.problems == []


def test_every_page_renders_without_errors(page, db):  # noqa: F811
    with db.connect() as conn:
        report = conn.execute(text("SELECT id FROM rapport WHERE kalla LIKE '001_%'")).scalar_one()
    pages = {
        "oversikt": ("/", False),
        "over-tid": (f"/over-tid?indikator={_index(db)}", True),
        "maluppfyllelse": ("/maluppfyllelse?period=2020-VB", True),
        "rapport": (f"/rapport/{report}", False),
        "sok": ("/sok?q=ekonomiskt+bistånd", False),
    }
    for name, (path, charted) in pages.items():
        _open(page, path)
        assert page.locator("h1").is_visible(), path
        if charted:
            _chart_draws(page)
        _shot(page, name)
    assert page.locator("ol.traffar li").count() >= 5
    assert page.problems == []


def test_a_picker_changes_the_period(page, db):  # noqa: F811
    _open(page, f"/jamforelse?indikator={_index(db)}&period=2020-senaste")
    page.select_option("select[name=period]", "2021-VB")
    page.wait_for_url(re.compile(r"period=2021-VB"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.malbasCharts[0].data.labels") == [["Norrmalm"]]
    assert page.problems == []
