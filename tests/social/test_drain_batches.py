"""Webhook deliveries are processed in batches by one drain job per channel."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from intake.drain import drain
from intake.models import IntakeItem, IntakeStatus
from tests.factories import make_unit
from tests.social.helpers import items, messages

PAGE = "206070979425408"
MESSENGER = (
    '{"object":"page","entry":[{"id":"%s","time":%d,"messaging":[{"sender":{"id":'
    '"55500011122%05d"},"recipient":{"id":"%s"},"timestamp":1764151200045,"message":'
    '{"mid":"%s","text":"Fr\\u00e5ga nummer %d om \\u00e5tervinning"}}]}]}'
)


def messenger(n: int, *, mid: str | None = None, time: int = 1764151200123) -> bytes:
    """A one-entry Messenger delivery with its own sender and ``mid`` (Swedish as escapes)."""
    fields = (PAGE, time, n, PAGE, mid or f"m_drain_{n:05d}", n)
    return (MESSENGER % fields).encode()


def register(raw: bytes) -> IntakeItem:
    """A delivery registered but not yet processed, as the webhook leaves it."""
    item = IntakeItem(channel="meta", external_id=f"test:{hash(raw)}", raw=raw, headers={})
    db.session.add(item)
    db.session.flush()
    return item


def test_one_drain_processes_every_waiting_delivery_and_keeps_a_bad_one_visible(social_config):
    good1 = register(messenger(1))
    bad = register(b'{"object":"page","entry":[{"id":"' + PAGE.encode())  # cut off in transit
    good2 = register(messenger(2))
    assert drain("meta") == 3
    for item in (good1, bad, good2):
        db.session.refresh(item)
    assert good1.status == good2.status == IntakeStatus.PROCESSED
    assert bad.status == IntakeStatus.FAILED
    assert bad.error.startswith("JSONDecodeError")
    assert bad.attempts == 1
    assert [i.text for i in items("messenger")] == [
        "Fråga nummer 1 om återvinning",
        "Fråga nummer 2 om återvinning",
    ]


def test_a_failed_delivery_rolls_back_only_its_own_rows(social_config, app, monkeypatch):
    """The failure happens after the processor has written rows: none of them survive.

    The drain first ingests the batch as a whole (the failure rolls all of it back), then
    one delivery at a time: only the second one fails.
    """
    from intake import processors
    from intake.channels.meta import processor

    first, second, third = (register(messenger(n)) for n in (1, 2, 3))
    one, many = processor.ingest_posts, processors.ingest_batch

    def ingest_then_fail_on_the_second(posts, *, intake_item_id=None):
        created = one(posts, intake_item_id=intake_item_id)
        if intake_item_id == second.id:
            raise RuntimeError("database went away mid-delivery")
        return created

    def batch_then_fail_with_the_second(groups):
        created = many(groups)
        db.session.flush()
        assert len(items("messenger")) == 3  # written, then rolled back
        if any(intake_item_id == second.id for intake_item_id, _posts in groups):
            raise RuntimeError("database went away mid-delivery")
        return created

    monkeypatch.setattr(processor, "ingest_posts", ingest_then_fail_on_the_second)
    monkeypatch.setattr(processors, "ingest_batch", batch_then_fail_with_the_second)
    drain("meta")
    assert [db.session.get(IntakeItem, i.id).status for i in (first, second, third)] == [
        IntakeStatus.PROCESSED,
        IntakeStatus.FAILED,
        IntakeStatus.PROCESSED,
    ]
    assert [i.text for i in items("messenger")] == [
        "Fråga nummer 1 om återvinning",
        "Fråga nummer 3 om återvinning",
    ]


def test_redelivered_event_in_the_same_batch_gives_one_message(social_config, app, monkeypatch):
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", make_unit().prefix)
    register(messenger(7))
    register(messenger(7, time=1764151299999))  # Meta's retry: other bytes, same mid
    drain("meta")
    assert len(items("messenger")) == 1
    assert [m.body for m in messages("messenger")] == ["Fråga nummer 7 om återvinning"]


def test_drain_takes_at_most_one_batch_and_asks_for_another(social_config, app, monkeypatch):
    monkeypatch.setitem(app.config, "INTAKE_DRAIN_BATCH", 2)
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # the next drain runs inline
    for n in range(5):
        register(messenger(n))
    drain("meta")  # 2, then inline follow-ups of 2 and 1 after each commit
    assert len(items("messenger")) == 5
    waiting = db.session.execute(
        sa.select(sa.func.count()).where(IntakeItem.status == IntakeStatus.RECEIVED)
    ).scalar()
    assert waiting == 0


def test_drain_takes_slices_and_leaves_the_rest_when_its_budget_is_spent(
    social_config, app, monkeypatch
):
    """Slices of about two deliveries; the clock moves 10 s per look, the budget is 15 s."""
    from intake import drain as drain_module

    ticks = iter(range(0, 10_000, 10))
    monkeypatch.setattr(drain_module.time, "monotonic", lambda: next(ticks))
    monkeypatch.setitem(app.config, "INTAKE_DRAIN_BUDGET_SECONDS", 15)
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # the next drain runs inline
    raws = [messenger(n) for n in range(5)]
    monkeypatch.setattr(drain_module, "SLICE_BYTES", len(raws[0]) * 2)
    for raw in raws:
        register(raw)
    assert drain("meta") == 4  # two slices, then the budget is spent; the next drain takes 1
    assert len(items("messenger")) == 5
    statuses = db.session.execute(sa.select(IntakeItem.status)).scalars()
    assert set(statuses) == {IntakeStatus.PROCESSED}


def test_a_drain_past_its_budget_still_handles_one_delivery(social_config, app, monkeypatch):
    """The batch fails after the budget is spent; one delivery is still handled, so a slow,
    failing batch cannot make every drain job give up without progress."""
    from intake import drain as drain_module
    from intake import processors

    def failing_batch(groups):
        raise RuntimeError("batch write failed")

    ticks = iter(range(0, 10_000, 10))
    monkeypatch.setattr(drain_module.time, "monotonic", lambda: next(ticks))
    monkeypatch.setattr(processors, "ingest_batch", failing_batch)
    monkeypatch.setitem(app.config, "INTAKE_DRAIN_BUDGET_SECONDS", 5)
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # the next drains run inline
    for n in range(3):
        register(messenger(n))
    assert drain("meta") == 1
    assert len(items("messenger")) == 3  # the follow-up drains took one each
    statuses = db.session.execute(sa.select(IntakeItem.status)).scalars()
    assert set(statuses) == {IntakeStatus.PROCESSED}


@pytest.mark.redis
def test_many_webhook_deliveries_wait_as_one_drain_job(
    post_meta, app, monkeypatch, rq_mode, run_worker
):
    from caseflow.jobs import get_queue

    monkeypatch.setitem(app.config, "INTAKE_DRAIN_BATCH", 4)
    for n in range(10):
        assert post_meta(messenger(n)).status_code == 200
    queue = get_queue("intake")
    (job,) = queue.get_jobs()
    assert job.func_name == "intake.tasks.drain_deliveries"
    assert job.args == ("meta",)
    run_worker()  # one batch of 4, then 4, then 2: each drain job enqueues the next
    assert len(items("messenger")) == 10
    assert queue.count == 0
    statuses = db.session.execute(
        sa.select(IntakeItem.status).where(IntakeItem.channel == "meta")
    ).scalars()
    assert set(statuses) == {IntakeStatus.PROCESSED}
    # The drain cleared its key: the next delivery asks for a new drain job.
    assert post_meta(messenger(10)).status_code == 200
    assert queue.count == 1
    run_worker()
    assert len(items("messenger")) == 11


@pytest.mark.postgres
@pytest.mark.real_commits
def test_drain_skips_deliveries_another_worker_has_locked(app, social_config):
    """``FOR UPDATE SKIP LOCKED``: rows a concurrent drain holds are left to it."""
    read_receipt = (
        '{"object":"page","entry":[{"id":"%s","time":1764151300123,"messaging":[{"sender":'
        '{"id":"6543210987654321"},"recipient":{"id":"%s"},"timestamp":1764151300045,'
        '"read":{"watermark":%d}}]}]}'
    )
    ids = []
    try:
        for n in range(2):
            item = register((read_receipt % (PAGE, PAGE, 1764151299000 + n)).encode())
            ids.append(item.id)
        db.session.commit()
        with db.engine.connect() as other:
            other.execute(sa.select(IntakeItem.id).where(IntakeItem.id == ids[0]).with_for_update())
            assert drain("meta") == 1
            other.rollback()
        statuses = [db.session.get(IntakeItem, i).status for i in ids]
        assert statuses == [IntakeStatus.RECEIVED, IntakeStatus.IGNORED]
    finally:
        db.session.rollback()
        db.session.execute(sa.delete(IntakeItem).where(IntakeItem.id.in_(ids)))
        db.session.commit()
