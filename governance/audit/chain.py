"""The audit chain's hashing rules, as pure functions (no Flask, no database).

The same rules check the trail in the database (`excom audit verify`) and a chain segment
inside a meeting archive (`excom archive verify`), so they take plain values.

Hash schemes (an event's `scheme` column says which one hashed it; a trail never goes back
to an older scheme once a newer one appears, so a rewrite cannot fall back to a weaker form):

- **1** (events written before the canonical form): SHA-256 over the JSON of the event's
  fields and `prev_hash`, `created_at` written by Python's `isoformat()` of the value as it
  was given, in whatever offset that was. A legacy event whose time was hashed in a local
  offset (the played demo did this, at +05:00) still holds if the same instant written in some
  whole-quarter-hour offset gives its hash: the instant is the same, so nothing is laundered.
- **2** (canonical): the *content digest* is SHA-256 over the canonical JSON (`canonical_json`)
  of the content, `created_at` as UTC with a fixed format (`canonical_time`); the event's
  *hash* is SHA-256 over ``"excom-audit/2\\n{seq}\\n{prev_hash}\\n{content digest}"``. A link
  can therefore be shown and checked without its content (the archive does so for other
  meetings' events), yet any change of content changes the hash.

Optional key (`EXCOM_AUDIT_KEY`, kept outside the database): each event written while the key
is set also carries ``mac = HMAC-SHA256(key, "excom-audit-mac/1\\n{seq}\\n{hash}")``. Whoever can
write to the database but does not hold the key can recompute the public hashes after an edit
but not the MACs; once one event carries a MAC every later one must, up to the newest.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

GENESIS = "0" * 64
LEGACY, CANONICAL = 1, 2
CURRENT_SCHEME = CANONICAL
SCHEMES = (LEGACY, CANONICAL)
CONTENT_FIELDS = ("seq", "created_at", "actor_id", "meeting_id", "action", "subject_type", "subject_id",
                  "before", "after")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def canonical_json(value) -> str:
    """One JSON text per value: sorted keys, no spaces, ASCII only, no NaN.

    Raises TypeError / ValueError for anything JSON cannot hold (a datetime, NaN)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def json_value(value):
    """`value` as it comes back from a JSON column: tuples become lists, integer keys strings.

    What `record` stores is what it hashes, so the hash never depends on Python types that
    the database does not keep."""
    return None if value is None else json.loads(json.dumps(value, allow_nan=False))


def canonical_time(moment: datetime) -> str:
    """An aware datetime as UTC with microseconds: ``2024-09-20T09:00:00.000000Z``.

    Raises ValueError for a naive datetime (its instant is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no instant to hash")
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_canonical_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def content_digest(content: dict) -> str:
    """SHA-256 of an event's content (`CONTENT_FIELDS`, `created_at` already canonical)."""
    return hashlib.sha256(canonical_json({name: content[name] for name in CONTENT_FIELDS}).encode()).hexdigest()


def link_hash(seq: int, prev_hash: str, digest: str) -> str:
    """Scheme 2: the hash that chains an event to the one before it."""
    return hashlib.sha256(f"excom-audit/2\n{seq}\n{prev_hash}\n{digest}".encode()).hexdigest()


def mac(key: bytes, seq: int, event_hash: str) -> str:
    return hmac.new(key, f"excom-audit-mac/1\n{seq}\n{event_hash}".encode(), hashlib.sha256).hexdigest()


def legacy_hash(content: dict, prev_hash: str, created_at: str) -> str:
    """Scheme 1, as versions before the canonical form computed it."""
    fields = {name: content[name] for name in CONTENT_FIELDS}
    fields.update(created_at=created_at, prev_hash=prev_hash)
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode()).hexdigest()


def _legacy_times(instant: datetime) -> Iterable[str]:
    """The instant written as `isoformat()` in UTC first, then in every quarter-hour offset."""
    yield instant.isoformat()
    for quarters in range(-12 * 4, 14 * 4 + 1):
        if quarters:
            yield instant.astimezone(timezone(timedelta(minutes=15 * quarters))).isoformat()


def legacy_holds(content: dict, prev_hash: str, expected: str) -> tuple[bool, bool]:
    """(holds, hashed in a local offset) for a scheme-1 event; `content["created_at"]` canonical."""
    instant = parse_canonical_time(content["created_at"])
    for number, written in enumerate(_legacy_times(instant)):
        if legacy_hash(content, prev_hash, written) == expected:
            return True, number > 0
    return False, False


@dataclass(frozen=True)
class Link:
    """One event of a chain as the rules see it.

    `content` is the event's content with `created_at` canonical (`canonical_time`), or None
    for a link shown without its content; then `digest` must be given (scheme 2) and only the
    chaining is checked."""

    seq: int
    prev_hash: str
    hash: str
    scheme: int = CURRENT_SCHEME
    mac: str | None = None
    content: dict | None = None
    digest: str | None = None


@dataclass
class Walk:
    """What walking a chain found. `broken_at` is the seq of the first link that does not hold."""

    events: int = 0
    head_seq: int = 0
    head: str = GENESIS
    broken_at: int | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    anchor_problems: list[str] = field(default_factory=list)
    first_mac: int | None = None
    unchecked_macs: int = 0
    legacy_events: int = 0    # hashed in scheme 1, by a version before the canonical form
    opaque_legacy: int = 0    # of which shown without content: only their place was checked
    local_offsets: int = 0    # of which hashed their time in a local offset (same instant)

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.anchor_problems


def parse_anchor(text: str) -> tuple[int, str]:
    """``"SEQ:HASH"`` (as printed in a memorandum) → (seq, hash). Raises ValueError."""
    seq, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not seq.strip().isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"an anchor is SEQ:HASH with a 64-digit hex hash, not {text!r}")
    return int(seq), digest


def walk(links: Iterable[Link], *, key: bytes | None = None, start_seq: int = 1, start_hash: str = GENESIS,
         anchors: Iterable[tuple[int, str]] = (), mac_required: bool = True) -> Walk:
    """Walk `links` oldest first from (`start_seq`, `start_hash`) and check every rule.

    Stops at the first broken link; anchors (seq, hash) copied from outside the database are
    compared with the chain as far as it holds. With a `key`, every link from the first one
    carrying a MAC on must carry a valid one, and (`mac_required`) some link must carry one:
    a whole trail stripped of its MACs and rehashed would otherwise pass."""
    wanted = sorted(set(anchors))  # two anchors may name one event (and differ)
    wanted_seqs = {seq for seq, _ in wanted}
    seen: dict[int, str] = {}
    report = Walk(head_seq=start_seq - 1, head=start_hash)
    previous_hash, expected_seq, highest_scheme = start_hash, start_seq, LEGACY
    for link in links:
        problem = _check(link, expected_seq, previous_hash, highest_scheme, key, report)
        if problem:
            report.broken_at, report.problem = link.seq if link.seq == expected_seq else expected_seq, problem
            break
        report.events += 1
        if link.scheme == LEGACY:
            report.legacy_events += 1
        highest_scheme = max(highest_scheme, link.scheme)
        if link.seq in wanted_seqs:
            seen[link.seq] = link.hash
        previous_hash, expected_seq = link.hash, expected_seq + 1
        report.head_seq, report.head = link.seq, link.hash
    if report.broken_at is None and key is not None and mac_required and report.events and report.first_mac is None:
        report.broken_at = report.head_seq
        report.problem = ("no event carries a MAC although EXCOM_AUDIT_KEY is set: the MACs were removed, "
                          "or nothing was written since the key was set")
    for seq, anchored in wanted:
        if seq in seen:
            if seen[seq] != anchored:
                report.anchor_problems.append(
                    f"anchor {seq}:{anchored[:12]}… does not match: event {seq} now hashes to {seen[seq][:12]}…, "
                    f"so the trail was rewritten at or before event {seq}")
        elif report.broken_at is not None and seq >= report.broken_at:
            report.anchor_problems.append(f"anchor {seq}:{anchored[:12]}… lies beyond the broken link at event "
                                          f"{report.broken_at}")
        elif seq < start_seq:
            report.anchor_problems.append(f"anchor {seq}:{anchored[:12]}… lies before this chain segment "
                                          f"(it starts at event {start_seq})")
        else:
            report.anchor_problems.append(
                f"anchor {seq}:{anchored[:12]}… names event {seq} but the trail ends at event {report.head_seq}: "
                f"events were cut off")
    return report


def _check(link: Link, expected_seq: int, previous_hash: str, highest_scheme: int, key: bytes | None,
           report: Walk) -> str | None:
    if link.seq != expected_seq:
        return f"event {expected_seq} is missing (found {link.seq} next)"
    if link.prev_hash != previous_hash:
        return "does not follow the event before it (deleted, inserted or reordered)"
    if link.scheme not in SCHEMES:
        return f"names an unknown hash scheme {link.scheme}"
    if link.scheme < highest_scheme:
        return (f"is hashed in the older scheme {link.scheme} after events in scheme {highest_scheme}: "
                "the trail was rewritten from here")
    if link.scheme == CANONICAL:
        digest = content_digest(link.content) if link.content is not None else link.digest
        if digest is None or link_hash(link.seq, link.prev_hash, digest) != link.hash:
            return "its content was changed after it was written"
    elif link.content is None:
        report.opaque_legacy += 1  # a legacy link without content: only its place in the chain is checked
    else:
        holds, local = legacy_holds(link.content, link.prev_hash, link.hash)
        if not holds:
            return "its content was changed after it was written"
        if local:
            report.local_offsets += 1
    if link.mac is not None and report.first_mac is None:
        report.first_mac = link.seq
    if key is None:
        if link.mac is not None:
            report.unchecked_macs += 1
        return None
    if report.first_mac is not None:
        if link.mac is None:
            return (f"carries no MAC although the events since {report.first_mac} do: written without "
                    "EXCOM_AUDIT_KEY, or rewritten by someone who does not hold it")
        if not hmac.compare_digest(link.mac, mac(key, link.seq, link.hash)):
            return ("its MAC does not match: changed after it was written, or EXCOM_AUDIT_KEY is not the key it was "
                    "written with")
    return None
