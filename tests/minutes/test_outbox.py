"""The memorandum's outbox (minutes/outbox.py): a sender that dies mid-send is covered by the
lease (at-least-once), senders running at once never send one message twice, and `excom serve`'s
background sender sends right after a distribution commits."""
import threading
from datetime import timedelta

import pytest

from governance.dbtypes import utcnow
from governance.extensions import db
from minutes import outbox
from minutes.models import Distribution
from tests.factories import PASSWORD

pytestmark = pytest.mark.both_databases  # claims with a lease (SKIP LOCKED on PostgreSQL, the write lock on SQLite)


def _distribute(app, api, small_meeting, smtp_server, audience="all"):
    """The secretariat builds the memorandum and distributes it; the rows come back queued."""
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    body = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": audience}).get_json()
    assert {r["status"] for r in body["recipients"]} == {"queued"}
    return [r["email"] for r in body["recipients"]]


def _rows(app):
    with app.app_context():
        rows = {d.email: (d.status, d.attempts) for d in db.session.scalars(db.select(Distribution))}
        db.session.rollback()
    return rows


def test_a_message_whose_sender_died_mid_send_is_sent_again_once_its_lease_runs_out(app, api, small_meeting,
                                                                                   smtp_server):
    recipients = _distribute(app, api, small_meeting, smtp_server, audience="excom")

    # a sender claims one message, sends it, and is killed before it can record that it did
    with app.app_context():
        [job] = outbox.claim(limit=1)
        db.session.commit()
    mailer = outbox.mailer_for(app)
    mailer.send(job.message)
    mailer.close()
    assert len(smtp_server.to(job.email)) == 1
    assert _rows(app)[job.email] == ("sending", 1)

    # the next pass sends the others and leaves the claimed one alone while its lease holds
    report = outbox.drain(app)
    assert (report.sent, report.failed) == (len(recipients) - 1, 0)
    assert len(smtp_server.to(job.email)) == 1
    assert _rows(app)[job.email] == ("sending", 1)

    # past the lease nobody has confirmed it: it is sent again (at least once, never lost)
    report = outbox.drain(app, now=utcnow() + outbox.LEASE + timedelta(minutes=1))
    assert (report.sent, report.failed) == (1, 0)
    assert len(smtp_server.to(job.email)) == 2
    rows = _rows(app)
    assert rows[job.email] == ("sent", 2)
    assert all(rows[address] == ("sent", 1) for address in recipients if address != job.email)
    assert all(len(smtp_server.to(address)) == 1 for address in recipients if address != job.email)


@pytest.mark.committed  # two senders, two connections at once
@pytest.mark.timeout(60)  # without SKIP LOCKED, B would wait for A's locks, and A for B: a hang
def test_a_second_sender_skips_the_rows_another_is_claiming(app, api, small_meeting, smtp_server):
    """PostgreSQL: two `excom serve` processes drain at the same moment (SKIP LOCKED)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time: two claims cannot overlap there")
    recipients = _distribute(app, api, small_meeting, smtp_server)

    with app.app_context():
        # sender A has locked three rows and not yet committed its claim...
        first = outbox.claim(limit=3)
        # ...when sender B drains the outbox (its own app context, session and connection)
        report = outbox.drain(app)
        assert (report.sent, report.failed) == (len(recipients) - 3, 0)
        assert all(smtp_server.to(job.email) == [] for job in first)
        db.session.commit()  # A's claim
        mailer = outbox.mailer_for(app)
        mine = outbox.DrainReport()
        outbox.deliver(first, mailer, mine)
        mailer.close()
    assert (mine.sent, mine.failed) == (3, 0)
    assert all(len(smtp_server.to(address)) == 1 for address in recipients)
    assert len(smtp_server.messages) == len(recipients)
    assert set(_rows(app).values()) == {("sent", 1)}


def test_senders_draining_at_the_same_time_send_each_message_once(app, api, small_meeting, smtp_server):
    recipients = _distribute(app, api, small_meeting, smtp_server)
    start = threading.Barrier(3)
    reports = []

    def sender():
        start.wait()
        reports.append(outbox.drain(app, batch=1))

    senders = [threading.Thread(target=sender) for _ in range(3)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    assert sum(r.sent for r in reports) == len(recipients) and sum(r.failed for r in reports) == 0
    assert all(len(smtp_server.to(address)) == 1 for address in recipients)
    assert set(_rows(app).values()) == {("sent", 1)}


def test_the_servers_sender_mails_right_after_the_distribution_commits(app, api, small_meeting, smtp_server):
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    sender = outbox.start_sender(app, interval=3600)  # no sweep during the test: only the wake-up
    try:
        assert sender.wait_for_pass(0)  # the sweep at start found nothing to send
        assert smtp_server.messages == []
        recipients = _distribute(app, api, small_meeting, smtp_server, audience="excom")
        assert sender.wait_for_pass(1)  # woken by the distribution's commit
    finally:
        sender.stop()
    assert all(len(smtp_server.to(address)) == 1 for address in recipients)
    assert set(_rows(app).values()) == {("sent", 1)}
