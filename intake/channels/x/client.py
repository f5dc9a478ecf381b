"""X API v2 client: replies (``POST /2/tweets``), DMs and hiding replies.

429 is transient and honours ``x-rate-limit-reset`` (Unix seconds); 5xx is transient; other
errors (401 token, 403 not allowed, e.g. the reply restriction) are permanent. Error bodies
come in three shapes (problem object, ``errors`` array, bare ``title``); all are read.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from flask import current_app

from caseflow.messages.models import Message
from caseflow.messages.services import PermanentDeliveryError, TransientDeliveryError
from caseflow.social.models import ModerationAction, SocialItem
from caseflow.social.queries import reply_target_for_message
from caseflow.usage.services import record_usage


def _describe(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"X {response.status_code}"
    if not isinstance(body, dict):
        return f"X {response.status_code}"
    if body.get("errors") and isinstance(body["errors"], list):
        first = body["errors"][0] if isinstance(body["errors"][0], dict) else {}
        detail = first.get("message") or first.get("detail") or ""
        return f"X {response.status_code}: {detail}".rstrip(": ")
    detail = body.get("detail") or body.get("title") or ""
    return f"X {response.status_code}: {detail}".rstrip(": ")


def _retry_after(response: requests.Response) -> int | None:
    reset = response.headers.get("x-rate-limit-reset")
    if reset is None:
        return None
    try:
        return max(1, int(reset) - int(time.time()))
    except ValueError:
        return None


def call(method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    token = current_app.config.get("X_BEARER_TOKEN")
    if not token:
        raise PermanentDeliveryError("CASEFLOW_X_BEARER_TOKEN is not set")
    url = f"{current_app.config['X_API_URL'].rstrip('/')}/{path}"
    try:
        response = requests.request(
            method,
            url,
            json=payload,
            headers={"Authorization": f"Bearer {token}"},
            timeout=int(current_app.config.get("SOCIAL_HTTP_TIMEOUT") or 10),
        )
    except requests.RequestException as exc:
        raise TransientDeliveryError(f"X API unreachable: {type(exc).__name__}") from exc
    if response.status_code == 429:
        raise TransientDeliveryError(_describe(response), retry_after=_retry_after(response))
    if response.status_code >= 500:
        raise TransientDeliveryError(_describe(response))
    if response.status_code >= 400:
        raise PermanentDeliveryError(_describe(response))
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise PermanentDeliveryError(_describe(response))
    data: dict[str, Any] = body["data"]
    return data


def send(message: Message) -> str:
    """A reply to the citizen's post, or a DM for ``dm:<user id>`` targets."""
    target = reply_target_for_message(message)
    if not target:
        raise PermanentDeliveryError("nothing to reply to on X")
    if target.startswith("dm:"):
        user_id = target.removeprefix("dm:")
        data = call("POST", f"2/dm_conversations/with/{user_id}/messages", {"text": message.body})
        platform_id = data.get("dm_event_id")
    else:
        data = call(
            "POST", "2/tweets", {"text": message.body, "reply": {"in_reply_to_tweet_id": target}}
        )
        platform_id = data.get("id")
    if not platform_id:
        raise PermanentDeliveryError("X answered without an id")
    record_usage("social_outbound", channel="x")
    return str(platform_id)


def moderate(action: ModerationAction, item: SocialItem) -> None:
    """Hide a reply (``PUT /2/tweets/:id/hidden``); X does not let us delete others' posts."""
    if action.action != "hide":
        raise PermanentDeliveryError("X only allows hiding replies")
    data = call("PUT", f"2/tweets/{item.external_id}/hidden", {"hidden": True})
    if data.get("hidden") is not True:
        raise PermanentDeliveryError("X did not confirm hiding the reply")
