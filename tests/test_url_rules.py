"""The suite's shortcut (tests/url_rules.py) builds every URL as Werkzeug itself would."""
from werkzeug.routing import Map, Rule

from tests.url_rules import _compile, _compiled, _shape


def _same_as_werkzeug(rule: Rule, values: dict) -> int:
    """Asserts that both builders of a bound `rule` give what Werkzeug's own compilation gives
    for `values`; answers how many of the two came from the shared cache."""
    shared = 0
    for append_unknown in (False, True):
        own = _compile(rule, append_unknown).__get__(rule, None)
        built = rule._build_unknown if append_unknown else rule._build
        assert built(**values) == own(**values), rule.rule
        shape = _shape(rule, append_unknown)
        try:
            shared += shape is not None and built.__func__ is _compiled.get(shape)
        except TypeError:  # an unhashable default: compiled for this rule alone
            pass
    return shared


def test_every_route_builds_the_same_url_through_the_shared_builders(app):
    shared = sum(_same_as_werkzeug(rule, {name: 7 for name in rule.arguments} | {"q": "a b/ü"})
                 for rule in app.url_map.iter_rules())
    assert shared > 200  # both builders of (nearly) every one of the 135 rules came from the cache


def test_rules_of_one_shape_share_a_builder_yet_keep_their_own_converters_and_domains():
    """The rules the app does not have yet: converter arguments, subdomains, hosts, defaults."""
    rules = [Rule("/a/<int:x>", endpoint="plain"), Rule("/a/<int(fixed_digits=4):x>", endpoint="fixed"),
             Rule("/b/<x>", subdomain="<city>", endpoint="city"), Rule("/b/<x>", subdomain="www", endpoint="www"),
             Rule("/c/", defaults={"page": 1}, endpoint="first"), Rule("/c/<int:page>", endpoint="page"),
             Rule("/e/<int:page>", defaults={"page": 3}, endpoint="own-default"),
             Rule("/f/", defaults={"tags": [1]}, endpoint="unhashable")]
    urls = Map(rules, default_subdomain="www").bind("example.org", subdomain="www")
    for rule in rules:
        _same_as_werkzeug(rule, {"x": 7, "page": 2, "city": "nairobi", "q": "a b"})
    assert rules[0]._build.__func__ is rules[1]._build.__func__  # one shape, one compiled builder
    assert (urls.build("plain", {"x": 7}), urls.build("fixed", {"x": 7})) == ("/a/7", "/a/0007")
    assert urls.build("city", {"x": 1, "city": "nairobi"}) == "http://nairobi.example.org/b/1"
    assert urls.build("www", {"x": 1}, force_external=True) == "http://www.example.org/b/1"
    assert (urls.build("first", {}), urls.build("page", {"page": 2}), urls.build("own-default", {})) \
        == ("/c/", "/c/2", "/e/3")
    hosts = Map([Rule("/h/<x>", host="<city>.example.org", endpoint="city"),
                 Rule("/h/<x>", host="static.example.org", endpoint="static")], host_matching=True)
    urls = hosts.bind("static.example.org")
    assert urls.build("city", {"x": 1, "city": "kyiv"}) == "http://kyiv.example.org/h/1"
    assert urls.build("static", {"x": 1}) == "/h/1"
