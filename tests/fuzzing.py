"""What the whole-app fuzz tests share: their Hypothesis settings and the real rows their
paths point at, so generated requests reach the views' own checks instead of a 404."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from hypothesis import HealthCheck, settings

from caseflow.cases.models import Case
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.social.inbound import InboundPost
from caseflow.social.ingest import ingest_posts
from caseflow.units.models import Unit
from tests.factories import make_case, make_citizen, make_eservice, make_unit
from tests.social.helpers import item

#: Examples per operation or route (``CASEFLOW_FUZZ_EXAMPLES``; raise it to hunt).
EXAMPLES = int(os.environ.get("CASEFLOW_FUZZ_EXAMPLES", "15"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@dataclass(frozen=True)
class RealRows:
    unit: Unit
    case: Case
    eservice: EService
    social_item_id: int


def real_rows() -> RealRows:
    """A unit with a case (with a citizen), an e-service and a Facebook comment."""
    unit = make_unit()
    case = make_case(unit, citizen=make_citizen())
    eservice = make_eservice(unit)
    ingest_posts(
        [
            InboundPost(
                channel="facebook",
                external_id="fuzz_1",
                kind="comment",
                thread_key="fuzz_post",
                text="Gatlyktan är trasig",
                posted_at=datetime(2026, 11, 1, tzinfo=UTC),
                author_external_id="fuzz_author",
                author_name="Greta",
            )
        ]
    )
    db.session.flush()
    return RealRows(unit, case, eservice, item("facebook", "fuzz_1").id)
