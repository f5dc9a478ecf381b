"""The caseworker web UI and the case JSON API: sign-in, inbox, case page, administration."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this area's models, blueprints, search sync, token auth and CLI."""
    from caseflow import read_only
    from caseflow.auth.tokens import load_user_from_request
    from caseflow.auth.views import bp as auth_bp
    from caseflow.cli import cli
    from caseflow.extensions import api, login_manager
    from caseflow.web import (
        models,  # noqa: F401
        page_cache,
        search,
    )
    from caseflow.web.account import bp as account_bp
    from caseflow.web.account import create_token_command
    from caseflow.web.admin import bp as admin_bp
    from caseflow.web.api import blp as cases_api
    from caseflow.web.assets import bp as assets_bp
    from caseflow.web.fragments import FragmentCache
    from caseflow.web.social import bp as social_bp
    from caseflow.web.views import bp as web_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(assets_bp)
    app.register_blueprint(social_bp)
    api.register_blueprint(cases_api)
    login_manager.request_loader(load_user_from_request)
    cli.add_command(create_token_command)
    search.listen(app)
    page_cache.listen()
    read_only.listen()
    app.add_template_filter(_localtime, "localtime")
    app.jinja_env.add_extension(FragmentCache)


def _localtime(moment: datetime | None) -> str:
    """A stored UTC moment as local time (Europe/Stockholm by default)."""
    from caseflow.timeutil import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
