"""Front-end packages served from ``node_modules`` (installed by ``make node``; no CDN)."""

from __future__ import annotations

import os

from flask import Blueprint, Response, abort, current_app, send_file

bp = Blueprint("web_assets", __name__, url_prefix="/assets")

#: name -> path under node_modules (pinned by package-lock.json)
FILES = {"htmx.min.js": ("htmx.org", "dist", "htmx.min.js")}


def node_modules() -> str:
    return current_app.config.get("NODE_MODULES") or os.path.join(
        os.path.dirname(current_app.root_path), "node_modules"
    )


@bp.route("/htmx.min.js")
def htmx() -> Response:
    """HTMX, when installed; pages work without it (plain links and forms)."""
    path = os.path.join(node_modules(), *FILES["htmx.min.js"])
    if not os.path.isfile(path):
        abort(404)
    return send_file(path, mimetype="text/javascript", max_age=86400)
