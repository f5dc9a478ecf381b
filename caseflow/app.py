"""The application factory: defaults, then ``CASEFLOW_*`` environment, then a test mapping."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from babel import Locale
from flask import Flask, request

from caseflow import config as settings
from caseflow import url_converters
from caseflow.extensions import api, babel, csrf, db, limiter, login_manager, migrate

LANGUAGES = ("sv", "en")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "CASEFLOW_INSTANCE_PATH"
    )
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path or None)
    url_converters.install(app)
    app.config.update(settings.load_settings(os.environ))
    if test_config:
        app.config.update(test_config)
    settings.finalise(app.config, app.instance_path)
    logging.getLogger("caseflow").setLevel(app.config["LOG_LEVEL"])

    _init_extensions(app)
    _register_models()
    _register_blueprints(app)

    from caseflow.errors import register_error_handlers

    register_error_handlers(app)

    from caseflow import input_guard

    input_guard.install(app)

    from caseflow.cli import register_cli

    register_cli(app)

    from caseflow.jobs import register_periodic, run_sweepers

    register_periodic(app, "sweep", run_sweepers, every_seconds=60, queue="intake")

    from caseflow.cases.setup import init_workflows

    init_workflows(app)

    from caseflow import messages, notifications, reports, social, web

    notifications.init_app(app)
    messages.init_app(app)
    social.init_app(app)
    reports.init_app(app)
    web.init_app(app)

    import intake

    intake.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
        elif db.engine.dialect.name == "postgresql":
            from caseflow import connections

            connections.watch(db.engine, app.config["DB_PING_AFTER_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    login_manager.init_app(app)
    from caseflow.auth.sessions import TokenAwareSessionInterface

    app.session_interface = TokenAwareSessionInterface()
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    api.init_app(app)
    url_converters.document(api)

    from caseflow.auth.loader import load_user, unauthorized
    from caseflow.cases.numbering import listen as listen_numbering

    with app.app_context():
        listen_numbering(db.engine)

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)


def select_locale() -> Locale:
    """``?lang=`` wins, then Accept-Language; Swedish by default."""
    lang = request.args.get("lang")
    if lang not in LANGUAGES:
        lang = request.accept_languages.best_match(LANGUAGES) or "sv"
    return _locale(lang)


@functools.cache
def _locale(lang: str) -> Locale:
    """One ``Locale`` per language (Flask-Babel would parse the code on every request)."""
    return Locale.parse(lang)


def _configure_sqlite(engine: sa.Engine) -> None:
    """Real transactions (and savepoints) on SQLite, and enforced foreign keys."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _register_models() -> None:
    """Import every model module so metadata (and Alembic) see the whole schema."""
    from caseflow import models  # noqa: F401
    from intake import models as intake_models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from caseflow.health import bp as health_bp

    app.register_blueprint(health_bp)

    from caseflow.eservices.api import blp as eservices_api
    from caseflow.tracking.views import bp as tracking_bp

    api.register_blueprint(eservices_api)
    app.register_blueprint(tracking_bp)
