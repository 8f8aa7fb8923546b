"""Werkzeug's URL rules, compiled once per test process rather than once per test app.

Werkzeug turns each rule into a small Python function that builds its URL (`Rule._compile_builder`:
an AST compiled with `compile()`) every time a rule is bound to a map, i.e. for every app. The
suite builds about a thousand apps of the same 135 rules, and that compilation was three quarters
of each app's build (35 of 45 ms, `python -m cProfile` over `create_app`). The function depends only
on the rule's parts and defaults (it reaches the rule's converters through its first argument, the
rule itself), so one compiled function serves every rule of the same shape.
"""
from werkzeug.routing.rules import Rule

_compile = Rule._compile_builder
_compiled: dict[tuple, object] = {}


def _shape(rule: Rule, append_unknown: bool) -> tuple | None:
    defaults = rule.defaults or {}
    if any(is_dynamic and data in defaults for is_dynamic, data in rule._trace):
        return None  # a default resolved through the rule's own converter: not shared
    try:
        return (append_unknown, tuple(rule._trace), tuple(sorted(defaults.items())))
    except TypeError:  # a default that cannot be sorted or hashed
        return None


def _compile_builder(self: Rule, append_unknown: bool = True):
    shape = _shape(self, append_unknown)
    if shape is None:
        return _compile(self, append_unknown)
    try:
        return _compiled[shape]
    except KeyError:
        built = _compiled[shape] = _compile(self, append_unknown)
        return built
    except TypeError:
        return _compile(self, append_unknown)


def compile_once() -> None:
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]
