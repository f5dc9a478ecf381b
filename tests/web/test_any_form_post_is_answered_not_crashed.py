"""Every HTML form endpoint, posted anything by a signed-in admin: the answer is a page, a
redirect or an error page (4xx), never a 500. The routes are read from the app's URL map
(every POST outside the JSON API and the webhooks), their path parts name real rows, and the
fields are the names the templates and views use, with drawn values."""

from __future__ import annotations

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_unit, make_user
from tests.fuzzing import FUZZ_SETTINGS, real_rows

FIELDS = [
    "action",
    "active",
    "api_key",
    "assignee",
    "assignee_id",
    "assignee_user",
    "back",
    "bilagor",
    "body",
    "case",
    "cases",
    "channel",
    "email",
    "eservice",
    "file",
    "form",
    "handling_days",
    "main_reference",
    "meddelande",
    "message",
    "name",
    "next",
    "note",
    "password",
    "phrases",
    "prefix",
    "priority",
    "reason",
    "reason_text",
    "reference_pattern",
    "role",
    "service_code",
    "slug",
    "state",
    "status",
    "title",
    "title_en",
    "title_sv",
    "transition",
    "unit",
    "units",
    "workflow_key",
]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "2147483648", "99999999999999999999", "none", "on", "me"]),
    st.sampled_from(["register", "close", "reject", "admin", "handlaggare", "high", "spam"]),
)
forms = st.dictionaries(st.sampled_from(FIELDS), st.lists(values, min_size=1, max_size=2))


def _real_rows() -> dict[str, str]:
    """Path parts that name existing rows, so the posts reach the views' own checks."""
    rows = real_rows()
    return {
        "reference": rows.case.reference_key,
        "token": rows.case.tracking_token,
        "slug": rows.eservice.slug,
        "item_id": str(rows.social_item_id),
        "user_id": str(make_user("handlaggare", units=[rows.unit]).id),
        "token_id": "1",
        "action": "publish",
        "fmt": "json",
    }


def test_no_form_post_gets_a_server_error(app: Flask, client_as) -> None:
    admin = make_user("admin", units=[make_unit()])
    real = _real_rows()
    rules = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and not rule.rule.startswith(("/api/", "/webhooks/"))
        and rule.endpoint != "auth.logout"
    )
    assert len(rules) > 20
    failures: list[str] = []
    for rule in rules:
        path = rule
        for name, value in real.items():
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        _prober(client_as(admin), path, failures)()
    assert not failures, "\n".join(sorted(set(failures)))


def _prober(client, path: str, failures: list[str]):
    @given(form=forms)
    @FUZZ_SETTINGS
    def probe(form) -> None:
        response = client.post(path, data=form)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} POST {path} {form!r}")

    return probe
