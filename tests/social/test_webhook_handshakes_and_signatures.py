"""Handshakes, CRC and signatures over the raw bytes; unconfigured channels answer 404."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

import pytest

from intake.models import IntakeItem
from tests.social.conftest import APP_SECRET, VERIFY_TOKEN, X_SECRET, fixture_bytes


def _deliveries() -> int:
    from caseflow.extensions import db

    return db.session.query(IntakeItem).filter(IntakeItem.kind == "delivery").count()


def test_meta_handshake_with_the_right_token_answers_the_bare_challenge(client, social_config):
    response = client.get(
        "/webhooks/meta",
        query_string={
            "hub.mode": "subscribe",
            "hub.challenge": "1158201444",
            "hub.verify_token": VERIFY_TOKEN,
        },
    )
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data() == b"1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": "fel-token"},
        {"hub.mode": "unsubscribe", "hub.challenge": "1", "hub.verify_token": VERIFY_TOKEN},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ],
)
def test_meta_handshake_with_a_wrong_token_or_mode_is_refused(client, social_config, params):
    assert client.get("/webhooks/meta", query_string=params).status_code == 403


def test_x_crc_answer_matches_an_independent_computation(client, social_config):
    token = "9b4507b1-6bd0-4b1b-8a3c-1d5f1a1b2c3d"
    response = client.get("/webhooks/x", query_string={"crc_token": token})
    assert response.status_code == 200
    expected = (
        "sha256="
        + base64.b64encode(
            hmac.new(X_SECRET.encode(), token.encode(), hashlib.sha256).digest()
        ).decode()
    )
    assert response.get_json() == {"response_token": expected}


def test_x_crc_without_token_is_a_400(client, social_config):
    assert client.get("/webhooks/x").status_code == 400


def test_meta_signature_is_checked_over_raw_bytes_with_unicode_escapes(post_meta):
    raw = fixture_bytes("meta/feed_comment.json")
    assert b"\\u00e5" in raw and b"\\/" in raw  # Meta's escaped form, as sent
    reserialised = json.dumps(json.loads(raw), ensure_ascii=False).encode()
    assert reserialised != raw
    good = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    wrong = "sha256=" + hmac.new(APP_SECRET.encode(), reserialised, hashlib.sha256).hexdigest()
    assert post_meta(raw, {"X-Hub-Signature-256": wrong}).status_code == 403
    assert _deliveries() == 0
    assert post_meta(raw, {"X-Hub-Signature-256": good}).status_code == 200
    assert _deliveries() == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"X-Hub-Signature-256": "sha256=" + "0" * 64}, 403),
        ({"X-Hub-Signature-256": "sha256=deadbeef"}, 403),
        ({"X-Hub-Signature-256": "md5=" + "0" * 64}, 403),
    ],
)
def test_meta_missing_or_wrong_signature_is_rejected(post_meta, headers, status):
    assert post_meta("meta/feed_comment.json", headers).status_code == status
    assert _deliveries() == 0


def test_meta_sha1_only_header_is_rejected(post_meta):
    raw = fixture_bytes("meta/feed_comment.json")
    sha1 = "sha1=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha1).hexdigest()
    assert post_meta(raw, {"X-Hub-Signature": sha1}).status_code == 401
    assert _deliveries() == 0


def test_rejection_is_logged_without_the_body(post_meta, caplog):
    with caplog.at_level(logging.WARNING):
        post_meta("meta/messenger_text.json", {"X-Hub-Signature-256": "sha256=" + "1" * 64})
    assert "signature mismatch" in caplog.text
    assert "tervinningscentralen" not in caplog.text
    assert "6543210987654321" not in caplog.text


def test_x_signature_over_raw_bytes(post_x):
    raw = fixture_bytes("x/tweet_mention.json")
    assert b"\\u00e4" in raw
    good = (
        "sha256="
        + base64.b64encode(hmac.new(X_SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    )
    assert post_x(raw, {}).status_code == 401
    assert post_x(raw, {"X-Twitter-Webhooks-Signature": "sha256=AAAA"}).status_code == 403
    assert _deliveries() == 0
    assert post_x(raw, {"x-twitter-webhooks-signature": good}).status_code == 200
    assert _deliveries() == 1


def test_channels_without_secrets_answer_404(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "META_APP_SECRET", None)
    monkeypatch.setitem(app.config, "X_CONSUMER_SECRET", None)
    raw = fixture_bytes("meta/feed_comment.json")
    assert client.post("/webhooks/meta", data=raw).status_code == 404
    assert client.get("/webhooks/meta", query_string={"hub.mode": "subscribe"}).status_code == 404
    assert client.get("/webhooks/x", query_string={"crc_token": "x"}).status_code == 404
    assert client.post("/webhooks/x", data=b"{}").status_code == 404


def test_start_up_says_which_channels_are_disabled(caplog):
    from caseflow import create_app

    with caplog.at_level(logging.WARNING):
        create_app(
            {"DATABASE_URL": "sqlite://", "META_APP_SECRET": None, "X_CONSUMER_SECRET": None}
        )
    assert "Meta webhook disabled" in caplog.text
    assert "X webhook disabled" in caplog.text
