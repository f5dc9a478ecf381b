"""Split an X Account Activity delivery into ``InboundPost``s.

Only posts that mention the subscribed account (or reply to it) and direct messages to it
become items; the account's own posts and DMs, retweets and other events are skipped.
Ids are always ``id_str`` (numeric ``id`` loses precision in JSON clients).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from caseflow.social.inbound import InboundPost


def _millis(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def parse_delivery(body: dict[str, Any], *, user_id: str | None) -> list[InboundPost]:
    account = str(body.get("for_user_id") or "")
    if not account or (user_id and account != user_id):
        return []
    posts: list[InboundPost] = []
    seen: set[str] = set()
    for tweet in body.get("tweet_create_events") or []:
        post = _mention(tweet, account) if isinstance(tweet, dict) else None
        if post is not None and post.external_id not in seen:
            seen.add(post.external_id)
            posts.append(post)
    users = body.get("users") or {}
    for event in body.get("direct_message_events") or []:
        post = _direct(event, account, users) if isinstance(event, dict) else None
        if post is not None and post.external_id not in seen:
            seen.add(post.external_id)
            posts.append(post)
    return posts


def _mentions_account(tweet: dict[str, Any], account: str) -> bool:
    if str(tweet.get("in_reply_to_user_id_str") or "") == account:
        return True
    entities = (tweet.get("extended_tweet") or {}).get("entities") or tweet.get("entities") or {}
    return any(str(m.get("id_str")) == account for m in entities.get("user_mentions") or [])


def _mention(tweet: dict[str, Any], account: str) -> InboundPost | None:
    user = tweet.get("user") or {}
    tweet_id = str(tweet.get("id_str") or "")
    if not tweet_id or str(user.get("id_str") or "") == account:
        return None  # our own post or reply
    if "retweeted_status" in tweet or not _mentions_account(tweet, account):
        return None
    text = (tweet.get("extended_tweet") or {}).get("full_text") or tweet.get("text") or ""
    parent = tweet.get("in_reply_to_status_id_str")
    return InboundPost(
        channel="x",
        external_id=tweet_id,
        kind="mention",
        thread_key=str(parent) if parent else tweet_id,
        parent_external_id=str(parent) if parent else None,
        text=str(text),
        posted_at=_millis(tweet.get("timestamp_ms")),
        author_external_id=str(user.get("id_str") or "") or None,
        author_name=user.get("name") or user.get("screen_name"),
        thread_candidates=(str(parent),) if parent else (),
        data={"screen_name": user.get("screen_name"), "lang": tweet.get("lang")},
    )


def _direct(event: dict[str, Any], account: str, users: dict[str, Any]) -> InboundPost | None:
    if event.get("type") != "message_create":
        return None
    create = event.get("message_create") or {}
    sender = str(create.get("sender_id") or "")
    event_id = str(event.get("id") or "")
    if not sender or not event_id or sender == account:
        return None  # our own DM, echoed back
    message_data = create.get("message_data") or {}
    attachment = message_data.get("attachment") or {}
    data: dict[str, Any] = {}
    if attachment:
        media = attachment.get("media") or {}
        data["attachments"] = [
            {"type": "image" if media.get("type") == "photo" else media.get("type") or "file"}
        ]
    user = users.get(sender) or {}
    return InboundPost(
        channel="x",
        external_id=event_id,
        kind="direct",
        thread_key=f"dm:{sender}",
        text=str(message_data.get("text") or ""),
        posted_at=_millis(event.get("created_timestamp")),
        author_external_id=sender,
        author_name=user.get("name") or user.get("screen_name"),
        thread_candidates=(f"dm:{sender}",),
        data=data,
    )
