"""The chain's hashing rules as pure functions: canonical forms, and every kind of change found."""
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.audit import chain

KEY = b"held outside the database"

json_scalars = st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(max_size=12) \
    | st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                        timezones=st.just(UTC))
offsets = st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))


def _content(seq, moment, after):
    return {"seq": seq, "created_at": chain.canonical_time(moment), "actor_id": 1, "meeting_id": 2,
            "action": "poll.closed", "subject_type": "Poll", "subject_id": seq, "before": None, "after": after}


def _chain(contents, key=None):
    links, previous = [], chain.GENESIS
    for content in contents:
        digest = chain.content_digest(content)
        hashed = chain.link_hash(content["seq"], previous, digest)
        links.append(chain.Link(content["seq"], previous, hashed, chain.CANONICAL,
                                chain.mac(key, content["seq"], hashed) if key else None, content))
        previous = hashed
    return links


def _rehash(links, start, key=None):
    """What a writer with the project's code does after editing link `start`: recompute every
    hash from there (and the MACs, if they hold the key)."""
    out = links[:start]
    previous = out[-1].hash if out else chain.GENESIS
    for link in links[start:]:
        hashed = chain.link_hash(link.seq, previous, chain.content_digest(link.content))
        out.append(chain.Link(link.seq, previous, hashed, link.scheme,
                              chain.mac(key, link.seq, hashed) if key else link.mac, link.content))
        previous = hashed
    return out


trails = st.lists(json_values, min_size=2, max_size=8).flatmap(
    lambda afters: st.tuples(st.just(afters), instants))


def _build(afters, start, key=None):
    return _chain([_content(n, start + timedelta(seconds=n), {"v": after}) for n, after in
                   enumerate(afters, start=1)], key)


@given(instants, offsets)
def test_one_instant_has_one_canonical_time_whatever_its_offset(moment, offset):
    assert chain.canonical_time(moment.astimezone(offset)) == chain.canonical_time(moment)
    assert chain.parse_canonical_time(chain.canonical_time(moment)) == moment


def test_a_naive_time_cannot_be_hashed():
    with pytest.raises(ValueError):
        chain.canonical_time(datetime(2024, 9, 20, 9, 0))


@given(json_values)
def test_what_is_stored_is_what_is_hashed(value):
    stored = chain.json_value({"v": value, 3: (1, 2)})
    assert json.loads(json.dumps(stored)) == stored  # a JSON column gives back the same
    assert chain.canonical_json(stored) == chain.canonical_json(json.loads(json.dumps(stored)))


@given(trails, st.data())
@settings(max_examples=60)
def test_an_intact_chain_holds_and_any_edited_event_is_found(trail, data):
    afters, start = trail
    links = _build(afters, start)
    assert chain.walk(links).intact
    index = data.draw(st.integers(0, len(links) - 1))
    link = links[index]
    edit = data.draw(st.sampled_from(["after", "created_at", "actor_id", "action"]))
    changed = dict(link.content)
    changed[edit] = {"after": {"v": "forged"}, "actor_id": 99, "action": "poll.opened",
                     "created_at": chain.canonical_time(start - timedelta(days=1))}[edit]
    if changed == link.content:
        return
    links[index] = chain.Link(link.seq, link.prev_hash, link.hash, link.scheme, None, changed)
    report = chain.walk(links)
    assert report.broken_at == link.seq and "changed" in report.problem


@given(trails, st.data())
@settings(max_examples=60)
def test_a_rewrite_after_an_edit_is_found_by_an_anchor_after_it_or_by_the_key(trail, data):
    afters, start = trail
    links = _build(afters, start, KEY)
    index = data.draw(st.integers(0, len(links) - 1))
    anchor = (links[-1].seq, links[-1].hash)  # the head printed in a memorandum
    forged = dict(links[index].content, after={"v": "forged"})
    links[index] = chain.Link(links[index].seq, links[index].prev_hash, "", chain.CANONICAL, links[index].mac,
                              forged)
    rewritten = _rehash(links, index)  # the writer recomputes the public chain, but holds no key
    assert chain.walk(rewritten).intact  # unkeyed, unanchored: the rewrite passes (documented)
    assert not chain.walk(rewritten, anchors=[anchor]).intact
    keyed = chain.walk(rewritten, key=KEY)
    assert keyed.broken_at == links[index].seq and "MAC" in keyed.problem


@given(trails, st.integers(1, 7))
def test_cut_off_events_are_found_by_an_anchor_only(trail, cut):
    afters, start = trail
    links = _build(afters, start, KEY)
    cut = min(cut, len(links) - 1)
    anchor = (links[-1].seq, links[-1].hash)
    assert chain.walk(links[:-cut], key=KEY).intact
    report = chain.walk(links[:-cut], key=KEY, anchors=[anchor])
    assert not report.intact and "cut off" in report.anchor_problems[0]


def test_a_link_shown_without_its_content_still_binds_the_chain():
    links = _build(["a", "b", "c"], datetime(2024, 9, 20, tzinfo=UTC))
    opaque = [chain.Link(x.seq, x.prev_hash, x.hash, x.scheme, None, None, chain.content_digest(x.content))
              if x.seq == 2 else x for x in links]
    assert chain.walk(opaque).intact
    # a forged digest for the hidden event cannot keep its hash
    forged = [chain.Link(x.seq, x.prev_hash, x.hash, x.scheme, None, None, "0" * 64) if x.seq == 2 else x
              for x in opaque]
    assert chain.walk(forged).broken_at == 2


def test_the_key_must_hold_from_the_first_mac_to_the_newest_event():
    moment = datetime(2024, 9, 20, tzinfo=UTC)
    plain = _build(["a", "b"], moment)  # written before the key was set
    keyed = _chain([_content(3, moment, {"v": "c"}), _content(4, moment, {"v": "d"})], KEY)
    joined = _rehash(plain + keyed, 2, KEY)
    report = chain.walk(joined, key=KEY)
    assert report.intact and report.first_mac == 3
    assert chain.walk(joined, key=b"another key").broken_at == 3
    stripped = [chain.Link(x.seq, x.prev_hash, x.hash, x.scheme, None, x.content) for x in joined]
    assert chain.walk(stripped, key=KEY).broken_at is not None  # MACs removed all along
    tail_stripped = joined[:3] + [chain.Link(4, joined[3].prev_hash, joined[3].hash, 2, None, joined[3].content)]
    assert chain.walk(tail_stripped, key=KEY).broken_at == 4
    unchecked = chain.walk(joined)
    assert unchecked.intact and unchecked.unchecked_macs == 2


def test_a_legacy_event_hashed_in_a_local_offset_holds_and_its_edit_does_not():
    moment = datetime(2024, 9, 20, 9, 0, 12, 345678, tzinfo=UTC)
    content = _content(1, moment, {"status": "adopted"})
    almaty = moment.astimezone(timezone(timedelta(hours=5)))
    # as the version before the canonical form computed it, given Almaty's clock
    fields = {**content, "created_at": almaty.isoformat(), "prev_hash": chain.GENESIS}
    legacy = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    import hashlib
    link = chain.Link(1, chain.GENESIS, hashlib.sha256(legacy.encode()).hexdigest(), chain.LEGACY, None, content)
    report = chain.walk([link])
    assert report.intact and report.legacy_events == 1 and report.local_offsets == 1
    edited = chain.Link(1, link.prev_hash, link.hash, chain.LEGACY, None, {**content, "after": {"status": "no"}})
    assert chain.walk([edited]).broken_at == 1


def test_no_rewrite_in_the_older_scheme_after_the_canonical_one():
    links = _build(["a", "b"], datetime(2024, 9, 20, tzinfo=UTC))
    downgraded = links[:1] + [chain.Link(2, links[1].prev_hash, links[1].hash, chain.LEGACY, None, None)]
    report = chain.walk(downgraded)
    assert report.broken_at == 2 and "older scheme" in report.problem


@pytest.mark.parametrize("text", ["12", "12:abc", "x:" + "0" * 64, "3:" + "g" * 64])
def test_a_malformed_anchor_is_refused(text):
    with pytest.raises(ValueError):
        chain.parse_anchor(text)


def test_two_anchors_naming_one_event_are_both_checked():
    links = _build(["a", "b"], datetime(2024, 9, 20, tzinfo=UTC))
    report = chain.walk(links, anchors=[(2, links[1].hash), (2, "f" * 64)])
    assert not report.intact and len(report.anchor_problems) == 1
    assert chain.walk(links, anchors=[(2, "f" * 64), (2, links[1].hash)]).anchor_problems == report.anchor_problems
