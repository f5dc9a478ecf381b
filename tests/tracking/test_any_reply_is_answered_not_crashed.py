"""Whatever a citizen sends as a reply on the tracking page (any text, any file name, type
and bytes), the answer is the page again (303) or the form with its errors (400/422),
never a 500."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseflow.cases.models import Case
from caseflow.extensions import db
from tests.eservices.conftest import FORM, valid_form
from tests.factories import make_eservice, make_unit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
files = st.tuples(
    st.one_of(st.just(PNG), st.binary(max_size=64)),
    st.one_of(st.just("ritning.png"), st.text(max_size=30)),
    st.sampled_from(["image/png", "application/pdf", "text/html", "", "application/x-msdownload"]),
)
replies = st.fixed_dictionaries(
    {},
    optional={
        "meddelande": st.one_of(st.just("Här är ritningen."), st.text(max_size=80)),
        "bilagor": st.lists(files, max_size=4),
        "webbadress": st.sampled_from(["", "http://spam.example"]),  # the honeypot
    },
)


def _submitted(client) -> Case:
    """A new case per example: a refused reply may roll back rows made in the test's
    transaction."""
    unit = make_unit()
    eservice = make_eservice(unit, form=FORM)
    response = client.post(f"/e-tjanster/{eservice.slug}", data=valid_form())
    token = response.headers["Location"].rsplit("/", 1)[1]
    return db.session.execute(db.select(Case).where(Case.tracking_token == token)).scalar_one()


@settings(
    max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
@given(reply=replies)
def test_any_reply_is_answered(client, reply) -> None:
    case = _submitted(client)
    data = {k: v for k, v in reply.items() if k != "bilagor"}
    data["bilagor"] = [
        (io.BytesIO(content), name, mimetype)
        for content, name, mimetype in reply.get("bilagor", [])
    ]
    response = client.post(
        f"/arende/{case.tracking_token}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code in (303, 400, 422), (reply, response.status_code)
