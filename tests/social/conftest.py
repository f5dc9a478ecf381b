"""Social channel fixtures: configured secrets, signed recorded payloads, a local Graph/X."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from intake.channels.meta.verify import sign as meta_sign
from intake.channels.x.verify import sign as x_sign

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
APP_SECRET = "3f1c0e6a9b8d7c6e5f4a3b2c1d0e9f8a"
VERIFY_TOKEN = "sundsvik-verifiera-2026"
PAGE_ID = "206070979425408"
INSTAGRAM_ID = "17841474524784050"
X_SECRET = "x-consumer-secret-for-tests-0123456789abcdef"
X_USER_ID = "2244994945"


def fixture_bytes(name: str) -> bytes:
    """A recorded payload exactly as the platform sends it (never re-serialised)."""
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def social_config(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    values = {
        "META_APP_SECRET": APP_SECRET,
        "META_VERIFY_TOKEN": VERIFY_TOKEN,
        "META_PAGE_ID": PAGE_ID,
        "META_PAGE_ACCESS_TOKEN": "EAAGtestpagetoken",
        "INSTAGRAM_ACCOUNT_ID": INSTAGRAM_ID,
        "X_CONSUMER_SECRET": X_SECRET,
        "X_USER_ID": X_USER_ID,
        "X_BEARER_TOKEN": "x-user-context-token",
        "SOCIAL_DM_UNIT": None,
        "SOCIAL_HTTP_TIMEOUT": 5,
    }
    for key, value in values.items():
        monkeypatch.setitem(app.config, key, value)
    yield app


@pytest.fixture
def platform(app: Flask, social_config: Flask, httpserver, monkeypatch: pytest.MonkeyPatch):
    """pytest-httpserver standing in for graph.facebook.com and api.x.com."""
    base = httpserver.url_for("/").rstrip("/")
    monkeypatch.setitem(app.config, "META_GRAPH_URL", base)
    monkeypatch.setitem(app.config, "META_GRAPH_VERSION", "v25.0")
    monkeypatch.setitem(app.config, "X_API_URL", base)
    return httpserver


@pytest.fixture
def post_meta(client, social_config):
    """POST raw bytes to the Meta webhook with a correct signature (or the given headers)."""

    def _post(raw: bytes | str, headers: dict[str, str] | None = None):
        if isinstance(raw, str):
            raw = fixture_bytes(raw)
        if headers is None:
            headers = {"X-Hub-Signature-256": meta_sign(raw, APP_SECRET)}
        return client.post(
            "/webhooks/meta", data=raw, headers={"Content-Type": "application/json", **headers}
        )

    return _post


@pytest.fixture
def post_x(client, social_config):
    def _post(raw: bytes | str, headers: dict[str, str] | None = None):
        if isinstance(raw, str):
            raw = fixture_bytes(raw)
        if headers is None:
            headers = {"X-Twitter-Webhooks-Signature": x_sign(raw, X_SECRET)}
        return client.post(
            "/webhooks/x", data=raw, headers={"Content-Type": "application/json", **headers}
        )

    return _post
