"""Graph API client: replies (comments, Messenger, Instagram) and comment moderation.

Base URL and version come from configuration so tests point them at a local server. Errors
follow Graph's ``{"error": {"code", "message", ...}}``: throttling codes (4, 17, 32, 613),
``is_transient`` and 5xx are transient and retried; the rest (190 token, 10/200
permissions, 551 unavailable, ...) are permanent and stored on the message.
"""

from __future__ import annotations

from typing import Any

import requests
from flask import current_app

from caseflow.messages.models import Message
from caseflow.messages.services import PermanentDeliveryError, TransientDeliveryError
from caseflow.social.models import ModerationAction, SocialItem
from caseflow.social.queries import messaging_window, reply_target_for_message
from caseflow.usage.services import record_usage

TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 368, 613}


def _url(path: str) -> str:
    config = current_app.config
    return f"{config['META_GRAPH_URL'].rstrip('/')}/{config['META_GRAPH_VERSION']}/{path}"


def _token() -> str:
    token = current_app.config.get("META_PAGE_ACCESS_TOKEN")
    if not token:
        raise PermanentDeliveryError("CASEFLOW_META_PAGE_ACCESS_TOKEN is not set")
    return str(token)


def call(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    """One Graph request; returns the JSON body or raises a delivery error."""
    headers = {"Authorization": f"Bearer {_token()}"}
    try:
        response = requests.request(
            method,
            _url(path),
            headers=headers,
            timeout=int(current_app.config.get("SOCIAL_HTTP_TIMEOUT") or 10),
            **kwargs,
        )
    except requests.RequestException as exc:
        raise TransientDeliveryError(f"Graph API unreachable: {type(exc).__name__}") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code < 400 and not (isinstance(body, dict) and "error" in body):
        return body if isinstance(body, dict) else {}
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    text = f"Graph {response.status_code}"
    if code is not None:
        text += f" (#{code}"
        if error.get("error_subcode"):
            text += f"/{error['error_subcode']}"
        text += f") {error.get('message', '')}".rstrip()
    if response.status_code >= 500 or code in TRANSIENT_CODES or error.get("is_transient"):
        raise TransientDeliveryError(text)
    raise PermanentDeliveryError(text)


def _target(message: Message) -> str:
    target = reply_target_for_message(message)
    if not target:
        raise PermanentDeliveryError("nothing to reply to on this channel")
    return target


def _sent(message: Message, platform_id: Any) -> str:
    if not platform_id:
        raise PermanentDeliveryError("Graph answered without an id")
    record_usage("social_outbound", channel=message.channel)
    return str(platform_id)


def send_facebook(message: Message) -> str:
    """Reply to a Page comment or visitor post: ``POST /{object-id}/comments``."""
    body = call("POST", f"{_target(message)}/comments", data={"message": message.body})
    return _sent(message, body.get("id"))


def _send_direct(message: Message, target: str) -> str:
    """Send API (Messenger and Instagram): RESPONSE within 24 h, HUMAN_AGENT within 7 days."""
    if not target.startswith("dm:"):
        raise PermanentDeliveryError(f"not a conversation: {target}")
    window = messaging_window(message.channel, target)
    if window is None:
        raise PermanentDeliveryError(
            "Utanför svarsfönstret (7 dagar efter medborgarens senaste meddelande); "
            "svara via e-post, telefon eller brev."
        )
    payload: dict[str, Any] = {
        "recipient": {"id": target.removeprefix("dm:")},
        "message": {"text": message.body},
    }
    if window == "RESPONSE":
        payload["messaging_type"] = "RESPONSE"
    else:
        payload["messaging_type"] = "MESSAGE_TAG"
        payload["tag"] = "HUMAN_AGENT"
    body = call("POST", "me/messages", json=payload)
    return _sent(message, body.get("message_id"))


def send_messenger(message: Message) -> str:
    return _send_direct(message, _target(message))


def send_instagram(message: Message) -> str:
    """Instagram: direct messages via the Send API, comments via ``/{comment-id}/replies``."""
    target = _target(message)
    if target.startswith("dm:"):
        return _send_direct(message, target)
    body = call("POST", f"{target}/replies", data={"message": message.body})
    return _sent(message, body.get("id"))


def moderate(action: ModerationAction, item: SocialItem) -> None:
    """Hide (``is_hidden``/``hide``) or delete a comment; Graph answers ``{"success": true}``."""
    if action.action == "remove":
        body = call("DELETE", item.external_id)
    elif item.channel == "instagram":
        body = call("POST", item.external_id, data={"hide": "true"})
    else:
        body = call("POST", item.external_id, data={"is_hidden": "true"})
    if body.get("success") is not True:
        raise PermanentDeliveryError(f"Graph did not confirm the {action.action}")
