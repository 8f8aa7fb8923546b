"""With EXCOM_AUDIT_KEY (held outside the database) every event carries a MAC: a writer
without the key can recompute the public hashes after an edit, not the MACs."""
import pytest

from governance.cli import main
from tests import tampering

# the key is the deployment's: the demo is loaded under it, so not from the shared unkeyed base
# both databases: the trail's rows and a database writer's tampering
pytestmark = [pytest.mark.committed, pytest.mark.both_databases]

KEY = "a key kept in the deployment's environment, never in the database"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "EXCOM_AUDIT_KEY": KEY}


def _verify(runner, **env):
    result = runner.invoke(main, ["audit", "verify"], env=env)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_a_keyed_trail_holds_and_says_so(demo, runner):
    code, output = _verify(runner)
    assert code == 0 and "keyed: every event from 1 on carries a valid MAC" in output


def test_an_edit_with_the_chain_recomputed_is_caught_by_the_key_alone(demo, app, runner):
    with app.app_context():
        event = tampering.event_of("member.created")
        tampering.edit_event(event.seq, after={**event.after, "status": "terminated"})
        tampering.rehash_trail_from(event.seq)
        seq = event.seq
    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at event {seq}: its MAC does not match" in output


def test_macs_stripped_from_the_whole_trail_are_caught(demo, app, runner):
    from governance.audit.models import AuditEvent
    from governance.extensions import db
    with app.app_context():
        db.session.execute(AuditEvent.__table__.update().values(mac=None))
        db.session.commit()
    code, output = _verify(runner)
    assert code == 1 and "no event carries a MAC although EXCOM_AUDIT_KEY is set" in output


def test_another_key_does_not_verify(demo, app, runner):
    app.config["EXCOM_AUDIT_KEY"] = "not the key"
    code, output = _verify(runner)
    assert code == 1 and "BROKEN at event 1: its MAC does not match" in output
    app.config["EXCOM_AUDIT_KEY"] = ""
    code, output = _verify(runner)
    assert code == 0 and "carry a MAC that was NOT checked: EXCOM_AUDIT_KEY is not set" in output
