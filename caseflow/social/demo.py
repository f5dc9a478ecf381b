"""Demo data for the social inbox: a few posts per channel waiting for triage, and a rule.

Goes through ``ingest_posts`` like real deliveries, so threads, routing and usage events are
what the webhooks would have made.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.social.inbound import InboundPost
from caseflow.social.models import RoutingRule
from caseflow.social.services import create_rule, ingest_posts
from caseflow.units.models import Unit

POSTS = [
    ("facebook", "comment", "Karin S.", "Gatlyktan på Storgatan 12 är trasig sedan två veckor."),
    ("facebook", "post", "Erik L.", "Varför är cykelbanan vid ån inte plogad?"),
    ("messenger", "direct", None, "Hej! När öppnar återvinningscentralen på lördag?"),
    ("instagram", "comment", "asa.b", "Snöröjningen på Björkvägen har inte kommit än."),
    ("instagram", "direct", None, "Var lämnar jag in ansökan om parkeringstillstånd?"),
    ("x", "mention", "Olle Å.", "@kommunen Vägen vid ån är full av hål, när lagas den?"),
    ("x", "direct", "Olle Å.", "Ingen har tömt soptunnan på två veckor."),
]


def seed_social_demo(now: datetime) -> int:
    """Inbox items (and one rule) unless a rule already exists; returns items made."""
    if db.session.execute(sa.select(RoutingRule.id).limit(1)).first():
        return 0
    unit = db.session.execute(sa.select(Unit).where(Unit.prefix == "GSF")).scalar_one_or_none()
    if unit is not None:
        # Matches none of the posts below: the demo's case count stays what was asked for.
        create_rule(name="Halka", phrases=["halkbekämpning", "sandning"], unit=unit, priority=10)
    posts = []
    for n, (channel, kind, author, text) in enumerate(POSTS):
        external_id = f"demo-{channel}-{n}"
        author_id = f"demo-user-{n}"
        thread = f"dm:{author_id}" if kind == "direct" else external_id
        posts.append(
            InboundPost(
                channel=channel,
                external_id=external_id,
                kind=kind,
                thread_key=thread,
                text=text,
                posted_at=now - timedelta(hours=3 * (len(POSTS) - n)),
                author_external_id=author_id,
                author_name=author,
                thread_candidates=(thread,),
            )
        )
    return ingest_posts(posts)
