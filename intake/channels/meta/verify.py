"""Meta's webhook checks: the GET handshake and ``X-Hub-Signature-256`` over the raw bytes.

Meta sends compact JSON with non-ASCII already escaped (``\\u00e5``) and signs exactly those
bytes; re-serialising the parsed JSON would change them, so only the raw body is verified.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(raw: bytes, app_secret: str) -> str:
    """The header value Meta sends for ``raw`` (used by tests and benchmarks too)."""
    return PREFIX + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


def signature_valid(raw: bytes, header: str | None, app_secret: str) -> bool:
    """Constant-time check of ``sha256=<64 lowercase hex>``; the legacy SHA-1 header is not
    accepted on its own."""
    if not header or not header.startswith(PREFIX) or len(header) != len(PREFIX) + 64:
        return False
    return hmac.compare_digest(header.encode(), sign(raw, app_secret).encode())


def handshake_ok(mode: str | None, token: str | None, verify_token: str) -> bool:
    return (
        mode == "subscribe"
        and token is not None
        and hmac.compare_digest(token.encode(), verify_token.encode())
    )
