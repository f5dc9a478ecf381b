"""X Account Activity checks: the CRC answer and ``x-twitter-webhooks-signature``.

Both are ``sha256=`` + base64 of an HMAC-SHA256 keyed with the consumer secret: over the
``crc_token`` for the CRC, over the raw request body for deliveries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SIGNATURE_HEADER = "X-Twitter-Webhooks-Signature"
PREFIX = "sha256="


def sign(message: bytes, consumer_secret: str) -> str:
    digest = hmac.new(consumer_secret.encode(), message, hashlib.sha256).digest()
    return PREFIX + base64.b64encode(digest).decode()


def crc_response(crc_token: str, consumer_secret: str) -> dict[str, str]:
    return {"response_token": sign(crc_token.encode(), consumer_secret)}


def signature_valid(raw: bytes, header: str | None, consumer_secret: str) -> bool:
    if not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(header.encode(), sign(raw, consumer_secret).encode())
