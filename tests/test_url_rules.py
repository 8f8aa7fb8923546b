"""The suite's shortcut (tests/url_rules.py) builds every URL as Werkzeug itself would."""
from tests.url_rules import _compile, _compiled


def test_every_route_builds_the_same_url_through_the_shared_builders(app):
    assert _compiled, "the shared builders are in use"
    shared = 0
    for rule in app.url_map.iter_rules():
        values = {name: 7 for name in rule.arguments} | {"q": "a b/ü"}
        for append_unknown in (False, True):
            own = _compile(rule, append_unknown).__get__(rule, None)
            built = rule._build_unknown if append_unknown else rule._build
            assert built(**values) == own(**values), rule.rule
            shared += built.__func__ is not own.__func__
    assert shared > 200  # both builders of (nearly) every one of the 135 rules came from the cache
