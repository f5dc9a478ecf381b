"""Settings with safe embedded defaults, overridable by ``CASEFLOW_*`` environment variables.

Every setting here is listed in the README's configuration table. Values are read when
``create_app`` runs, never at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

DEFAULT_SECRET_KEY = "dev-insecure-change-me"

#: name -> (default, type, description). ``None`` default means "unset".
SETTINGS: dict[str, tuple[Any, type, str]] = {
    "ENV": ("development", str, "`production` refuses the default secret key"),
    "DATABASE_URL": (None, str, "SQLAlchemy URL; default: SQLite file in the instance folder"),
    "REDIS_URL": (None, str, "Redis URL for RQ and rate limits; unset: jobs run inline"),
    "INSTANCE_PATH": (None, str, "Folder for the embedded SQLite file and uploads"),
    "UPLOAD_FOLDER": (None, str, "Where attachments are stored (default: instance/uploads)"),
    "SECRET_KEY": (DEFAULT_SECRET_KEY, str, "Session and CSRF signing key"),
    "BASE_URL": ("http://127.0.0.1:5000", str, "Public base URL used in receipts and links"),
    "TIMEZONE": ("Europe/Stockholm", str, "Display time zone (storage is UTC)"),
    "REFERENCE_PATTERN": (
        "{unit} {yyyy}/{seq:04}",
        str,
        "Default diarienummer pattern (a unit may override it)",
    ),
    "SWEEP_AFTER_SECONDS": (
        60,
        int,
        "Age after which work still unprocessed or unsent (intake, mail, replies, moderation)"
        " is re-enqueued",
    ),
    "SWEEP_BATCH": (500, int, "Items one sweeper re-enqueues per run at most, oldest first"),
    "MAIL_GIVE_UP_DAYS": (
        7,
        int,
        "Days after which a mail still unsent is marked failed (0: never)",
    ),
    "INTAKE_DRAIN_BATCH": (100, int, "Webhook deliveries one drain job claims at a time"),
    "INTAKE_DRAIN_BUDGET_SECONDS": (20, int, "Time after which a drain job hands over to the next"),
    "JOB_RETRY_INTERVALS": ("10,30,120,600,1800", str, "Retry back-off (s) for network jobs"),
    "JOBS_INLINE_RAISE": (False, bool, "Re-raise inline job errors (tests)"),
    "QUEUE_PREFIX": ("caseflow", str, "Prefix of the RQ queue names"),
    "MAX_CONTENT_LENGTH": (10 * 1024 * 1024, int, "Request size limit in bytes"),
    "LOG_LEVEL": ("INFO", str, "Python log level"),
    "SESSION_COOKIE_SECURE": (False, bool, "Send the session cookie over HTTPS only"),
    "DB_PREPARED_STATEMENTS": (
        True,
        bool,
        "PostgreSQL: let psycopg prepare repeated statements (off behind a transaction pooler)",
    ),
    "DB_PING_AFTER_IDLE_SECONDS": (
        30,
        int,
        "PostgreSQL: ping a pooled connection idle this long at checkout (0: every checkout)",
    ),
    # --- social media (issue 5): a channel without its secret answers 404 ---
    "META_APP_SECRET": (None, str, "Meta app secret: verifies X-Hub-Signature-256"),
    "META_VERIFY_TOKEN": (None, str, "Token Meta echoes in the webhook GET handshake"),
    "META_PAGE_ID": (None, str, "The municipality's Facebook Page id (own posts are skipped)"),
    "META_PAGE_ACCESS_TOKEN": (None, str, "Page access token for replies and moderation"),
    "INSTAGRAM_ACCOUNT_ID": (None, str, "Instagram professional account id (own posts skipped)"),
    "META_GRAPH_URL": ("https://graph.facebook.com", str, "Graph API base URL"),
    "META_GRAPH_VERSION": ("v25.0", str, "Graph API version used in request paths"),
    "X_CONSUMER_SECRET": (None, str, "X consumer secret: CRC and webhook signatures"),
    "X_USER_ID": (None, str, "The municipality's X user id (own posts and DMs are skipped)"),
    "X_BEARER_TOKEN": (None, str, "X user-context OAuth 2.0 token for replies and DMs"),
    "X_API_URL": ("https://api.x.com", str, "X API base URL"),
    "SOCIAL_DM_UNIT": (None, str, "Unit prefix where direct messages open a `fraga` case"),
    "SOCIAL_HTTP_TIMEOUT": (10, int, "Timeout (s) of calls to the Graph and X APIs"),
    # Goal tracking and reports
    "VISIT_ORIGINS": ("", str, "Origins allowed to send the visit beacon, comma-separated"),
    "VISIT_RATE_LIMIT": ("60 per minute", str, "Beacon requests allowed per client address"),
    "MATOMO_URL": (None, str, "Matomo base URL for the daily visits import (unset: no import)"),
    "MATOMO_SITE_ID": (None, str, "Matomo idSite of the municipality's website"),
    "MATOMO_TOKEN": (None, str, "Matomo token_auth (sent in the POST body, never logged)"),
    "ROLLUP_EVERY_SECONDS": (3600, int, "Interval of the scheduled rollup and Matomo import"),
}


def _coerce(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(value)
    return value


def load_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Build the Flask config mapping: defaults, then ``CASEFLOW_*`` from ``environ``."""
    config: dict[str, Any] = {}
    for name, (default, kind, _doc) in SETTINGS.items():
        raw = environ.get(f"CASEFLOW_{name}")
        config[name] = _coerce(raw, kind) if raw not in (None, "") else default
    # Settings that other issues add (channel secrets, SMTP, Matomo, ...) are passed through.
    for key, value in environ.items():
        if key.startswith("CASEFLOW_"):
            config.setdefault(key.removeprefix("CASEFLOW_"), value)
    return config


def finalise(config: dict[str, Any], instance_path: str) -> None:
    """Derive Flask/extension keys from Caseflow settings and enforce production rules."""
    if not config.get("DATABASE_URL"):
        os.makedirs(instance_path, exist_ok=True)
        config["DATABASE_URL"] = "sqlite:///" + os.path.join(instance_path, "caseflow.sqlite3")
    if not config.get("UPLOAD_FOLDER"):
        config["UPLOAD_FOLDER"] = os.path.join(instance_path, "uploads")
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["DATABASE_URL"])
    config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(config["SQLALCHEMY_DATABASE_URI"], config["DB_PREPARED_STATEMENTS"]),
    )
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config["RATELIMIT_STORAGE_URI"] = config.get("REDIS_URL") or "memory://"
    config.setdefault("BABEL_DEFAULT_LOCALE", "sv")
    config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(translation_directories()))
    config.setdefault("BABEL_DEFAULT_TIMEZONE", config["TIMEZONE"])
    config.setdefault("API_TITLE", "Caseflow API")
    config.setdefault("API_VERSION", "v1")
    config.setdefault("OPENAPI_VERSION", "3.0.3")
    config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    if config["ENV"] == "production" and config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError(
            "CASEFLOW_SECRET_KEY must be set to a secret value when CASEFLOW_ENV=production"
        )


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def engine_options(url: str, prepared_statements: bool = True) -> dict[str, Any]:
    """PostgreSQL connections are checked at checkout by ``caseflow.connections`` (no round
    trip unless needed) and recycled after half an hour, and psycopg prepares repeated
    statements unless ``prepared_statements`` is off (a pooler in transaction mode hands each
    transaction another server connection); SQLite files need no check; any other server gets
    SQLAlchemy's ``pool_pre_ping``."""
    if url.startswith("postgresql"):
        options: dict[str, Any] = {"pool_recycle": 1800}
        if not prepared_statements:
            options["connect_args"] = {"prepare_threshold": None}
        return options
    if url.startswith("sqlite"):
        return {}
    return {"pool_pre_ping": True}


def translation_directories() -> list[str]:
    """Each area keeps its own catalog (``<package>/translations/<area>/en/LC_MESSAGES``);
    Flask-Babel merges them. Source strings are Swedish; the catalogs add English."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = []
    for package in ("caseflow", "intake"):
        base = os.path.join(root, package, "translations")
        if os.path.isdir(base):
            found += sorted(
                os.path.join(base, area)
                for area in os.listdir(base)
                if os.path.isdir(os.path.join(base, area))
            )
    return found or [os.path.join(root, "caseflow", "translations")]
