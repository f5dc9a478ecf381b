"""Split a Meta delivery (Page feed, Messenger, Instagram) into ``InboundPost``s.

Our own Page's posts and comments (``from.id`` = Page id), Instagram comments by our account
and Messenger/Instagram echoes never become items. Feed and Instagram comment times are Unix
seconds; messaging timestamps are milliseconds. ``from`` may be missing (privacy).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from caseflow.social.inbound import Event, InboundPost

FEED_ADD = {"add"}
FEED_EDIT = {"edit", "edited", "update"}
FEED_REMOVE = {"remove", "delete"}
VISITOR_POST_ITEMS = {"post", "status", "photo", "video", "share"}


def _seconds(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def _millis(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def parse_delivery(
    body: dict[str, Any], *, page_id: str | None, instagram_id: str | None
) -> list[InboundPost]:
    """Every item a delivery holds, in order; duplicates within it are kept out."""
    obj = body.get("object")
    posts: list[InboundPost] = []
    seen: set[tuple[str, str, str]] = set()
    for entry in body.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        for post in _entry_posts(obj, entry, page_id, instagram_id):
            key = (post.channel, post.external_id, post.event)
            if key not in seen:
                seen.add(key)
                posts.append(post)
    return posts


def _entry_posts(
    obj: Any, entry: dict[str, Any], page_id: str | None, instagram_id: str | None
) -> Iterator[InboundPost]:
    own_ids = {str(entry.get("id") or ""), page_id or "", instagram_id or ""} - {""}
    for change in entry.get("changes") or []:
        field, value = change.get("field"), change.get("value") or {}
        if obj == "page" and field == "feed":
            post = _feed(value, own_ids)
        elif obj == "instagram" and field == "comments":
            post = _instagram_comment(value, own_ids, _seconds(entry.get("time")))
        else:
            post = None
        if post is not None:
            yield post
    channel = "instagram" if obj == "instagram" else "messenger"
    for event in entry.get("messaging") or []:
        post = _message(channel, event, own_ids)
        if post is not None:
            yield post


def _feed(value: dict[str, Any], own_ids: set[str]) -> InboundPost | None:
    sender = value.get("from") or {}
    if str(sender.get("id") or "") in own_ids:
        return None  # our own Page's post, comment or reply
    verb = value.get("verb")
    event = (
        Event.ADD
        if verb in FEED_ADD
        else Event.EDIT
        if verb in FEED_EDIT
        else Event.REMOVE
        if verb in FEED_REMOVE
        else None
    )
    if event is None:
        return None  # hide/unhide/block/reactions: nothing to register
    item, post_id = value.get("item"), str(value.get("post_id") or "")
    data: dict[str, Any] = {}
    if (value.get("post") or {}).get("permalink_url"):
        data["permalink_url"] = value["post"]["permalink_url"]
    if value.get("photo"):
        data["attachments"] = [{"type": "image", "url": value["photo"]}]
    if item == "comment":
        comment_id = str(value.get("comment_id") or "")
        parent = str(value.get("parent_id") or post_id)
        if not comment_id:
            return None
        top_level = parent == post_id
        return InboundPost(
            channel="facebook",
            external_id=comment_id,
            kind="comment",
            thread_key=comment_id if top_level else parent,
            parent_external_id=parent,
            text=str(value.get("message") or ""),
            posted_at=_seconds(value.get("created_time")),
            event=event,
            author_external_id=str(sender["id"]) if sender.get("id") else None,
            author_name=sender.get("name"),
            thread_candidates=(post_id,) if top_level else (parent, post_id),
            data={**data, "post_id": post_id},
        )
    if item in VISITOR_POST_ITEMS and post_id:
        return InboundPost(
            channel="facebook",
            external_id=post_id,
            kind="post",
            thread_key=post_id,
            text=str(value.get("message") or ""),
            posted_at=_seconds(value.get("created_time")),
            event=event,
            author_external_id=str(sender["id"]) if sender.get("id") else None,
            author_name=sender.get("name"),
            thread_candidates=(),
            data=data,
        )
    return None


def _instagram_comment(
    value: dict[str, Any], own_ids: set[str], at: datetime
) -> InboundPost | None:
    sender = value.get("from") or {}
    if str(sender.get("id") or "") in own_ids:
        return None
    comment_id = str(value.get("id") or "")
    if not comment_id:
        return None
    parent = value.get("parent_id")
    media = value.get("media") or {}
    return InboundPost(
        channel="instagram",
        external_id=comment_id,
        kind="comment",
        thread_key=str(parent) if parent else comment_id,
        parent_external_id=str(parent) if parent else None,
        text=str(value.get("text") or ""),
        posted_at=at,
        author_external_id=str(sender["id"]) if sender.get("id") else None,
        author_name=sender.get("username"),
        thread_candidates=(str(parent),) if parent else (),
        data={"media_id": media.get("id"), "media_product_type": media.get("media_product_type")},
    )


def _message(channel: str, event: dict[str, Any], own_ids: set[str]) -> InboundPost | None:
    message = event.get("message")
    if not isinstance(message, dict) or message.get("is_echo"):
        return None  # deliveries, reads, postbacks and our own echoes
    sender = str((event.get("sender") or {}).get("id") or "")
    mid = str(message.get("mid") or "")
    if not sender or not mid or sender in own_ids:
        return None
    if message.get("is_deleted"):
        return InboundPost(
            channel=channel,
            external_id=mid,
            kind="direct",
            thread_key=f"dm:{sender}",
            text="",
            posted_at=_millis(event.get("timestamp")),
            event=Event.REMOVE,
        )
    attachments = [
        {"type": a.get("type"), "url": (a.get("payload") or {}).get("url")}
        for a in message.get("attachments") or []
        if isinstance(a, dict)
    ]
    data: dict[str, Any] = {"attachments": attachments} if attachments else {}
    reply_to = (message.get("reply_to") or {}).get("mid")
    if reply_to:
        data["reply_to"] = reply_to
    return InboundPost(
        channel=channel,
        external_id=mid,
        kind="direct",
        thread_key=f"dm:{sender}",
        text=str(message.get("text") or ""),
        posted_at=_millis(event.get("timestamp")),
        author_external_id=sender,
        thread_candidates=(f"dm:{sender}",),
        data=data,
    )
