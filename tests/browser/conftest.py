"""Browser tests: a live Caseflow on its own committed SQLite database, driven by Playwright
in the system's headless Chromium (``CASEFLOW_CHROMIUM`` or ``/usr/bin/chromium``).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from caseflow import create_app
from caseflow.extensions import db

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The README's screenshots are rewritten only on request (``make screenshots``), so an ordinary
# test run leaves the work tree clean; otherwise they go to an ignored artifacts folder.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("CASEFLOW_UPDATE_SCREENSHOTS") == "1"
    else ROOT / ".artifacts" / "screenshots"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.real_commits)


def chromium_path() -> str | None:
    return os.environ.get("CASEFLOW_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A separate app on its own SQLite file: the browser's requests commit for real."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}",
            "INSTANCE_PATH": str(folder),
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "REDIS_URL": None,
            "SECRET_KEY": "browser-test",
            "RATELIMIT_ENABLED": False,
            "JOBS_INLINE_RAISE": True,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live_app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield live_app.config["BASE_URL"]
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        if os.environ.get("CASEFLOW_REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is required for browser tests")
        pytest.skip("no Chromium (set CASEFLOW_CHROMIUM)")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def axe_violations(page, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")):
    """Run axe-core (from the npm registry, see package.json) in the page; return violations."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make node` (npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def screenshot(page, name: str) -> Path:
    """Save a screenshot the README shows (docs/screenshots/<name>.png on request)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
