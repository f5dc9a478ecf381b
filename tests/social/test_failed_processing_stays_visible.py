"""A signed delivery the job cannot read is kept and its failure is visible, never lost."""

from __future__ import annotations

from caseflow.extensions import db
from intake.models import IntakeItem, IntakeStatus


def test_signed_but_unreadable_delivery_is_registered_and_marked_failed(
    post_meta, app, monkeypatch
):
    monkeypatch.setitem(app.config, "JOBS_INLINE_RAISE", False)
    raw = b'{"object":"page","entry":[{"id":"206070979425408",'  # cut off in transit
    assert post_meta(raw).status_code == 200
    (delivery,) = db.session.query(IntakeItem).filter_by(channel="meta").all()
    assert delivery.raw == raw
    assert delivery.status == IntakeStatus.FAILED
    assert delivery.error.startswith("JSONDecodeError")


def test_delivery_with_nothing_to_act_on_is_ignored(post_meta):
    raw = (
        b'{"object":"page","entry":[{"id":"206070979425408","time":1764151300123,"messaging":'
        b'[{"sender":{"id":"6543210987654321"},"recipient":{"id":"206070979425408"},'
        b'"timestamp":1764151300045,"read":{"watermark":1764151299000}}]}]}'
    )
    assert post_meta(raw).status_code == 200
    (delivery,) = db.session.query(IntakeItem).filter_by(channel="meta").all()
    assert delivery.status == IntakeStatus.IGNORED
