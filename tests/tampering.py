"""What an auditor (or a forger) with write access to the database does, with the project's own
functions: the tests of the record's integrity play these against verify and recount.

Each helper commits, as a writer working on the database directly would."""
from sqlalchemy import select

from governance.audit import chain
from governance.audit.models import AuditEvent
from governance.extensions import db


def rehash_trail_from(seq: int) -> int:
    """Recompute every hash from event `seq` on, so that an edit there leaves a chain that
    holds. MACs stay as they are: the writer does not hold EXCOM_AUDIT_KEY. Answers the new
    head's seq."""
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq)))
    previous = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq - 1)) or chain.GENESIS
    # prev_hash is unique: move the tail out of the way first
    for event in events:
        event.prev_hash = f"{event.seq:064d}"
    db.session.flush()
    for event in events:
        event.prev_hash = previous
        event.hash = chain.link_hash(event.seq, previous, chain.content_digest(event.content()))
        previous = event.hash
        db.session.flush()
    db.session.commit()
    return events[-1].seq if events else seq - 1


def edit_event(seq: int, **fields) -> None:
    """Change an event's content in place (its hash left as it was)."""
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == seq))
    for name, value in fields.items():
        setattr(event, name, value)
    db.session.commit()


def event_of(action: str, subject_id: int | None = None) -> AuditEvent:
    query = select(AuditEvent).where(AuditEvent.action == action)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    return db.session.scalar(query.order_by(AuditEvent.seq.desc()).limit(1))


def cut_trail_after(seq: int) -> int:
    """Delete the newest events, after `seq`; answers how many went."""
    gone = db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq > seq)).rowcount
    db.session.commit()
    return gone


def head() -> str:
    seq, digest = db.session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc())
                                     .limit(1)).one()
    return f"{seq}:{digest}"


def reseal_poll(poll_id: int) -> dict:
    """Recompute a closed poll's stored result and ballots digest from its (changed) ballots, with
    the project's own functions, as a careful forger would; the audit events are left alone."""
    from dataclasses import replace

    from voting import results, seal
    from voting.models import Poll
    from voting.operations import poll_result
    from voting.queries import ballot_rows
    poll = db.session.get(Poll, poll_id)
    at_close = poll.quorum_at_close
    electorate = results.Electorate(eligible=poll.eligible_count, present=at_close["present"],
                                    quorate=at_close["quorate"])
    result = poll_result(poll, electorate, (poll.result or {}).get("casting_vote"))
    poll.ballots_digest = seal.ballots_digest(poll.id, ballot_rows(poll.id))
    result = replace(result, ballots_digest=poll.ballots_digest, digest_scheme=seal.DIGEST_SCHEME).as_json()
    poll.result = result
    db.session.commit()
    return result
