"""Pure rules of the memorandum's wording and of the template sandbox, with hypothesis: a Phrase
reads as its English and says itself in Russian wherever it travels; a template reaches nothing
but the keys of the dictionaries it is given."""
import pickle
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import SecurityError

from minutes.template import MemorandumSandbox
from minutes.wording import N_, Phrase, say, speaking

MESSAGES = ["%(name)s was elected.", "Round %(n)s (tie-break)", "Required: %(rule)s. Abstentions are not votes cast.",
            "%(first)s and %(last)s", "Eliminated: %(names)s."]
texts = st.text(alphabet=string.ascii_letters + " -–'’ÄöЖж", max_size=20)


@st.composite
def phrases(draw, depth=2):
    message = draw(st.sampled_from(MESSAGES))
    names = [part.split(")")[0] for part in message.split("%(")[1:]]
    values = {}
    for name in names:
        if depth and draw(st.booleans()):
            values[name] = draw(phrases(depth=depth - 1))
        else:
            values[name] = draw(st.one_of(texts, st.integers(0, 10_000)))
    return N_(message, **values)


def _english(phrase) -> str:
    if not isinstance(phrase, Phrase):
        return str(phrase)
    return phrase.msgid % {name: _english(value) for name, value in phrase.params.items()}


@given(phrases())
def test_a_phrase_reads_as_its_english_and_survives_pickling(phrase):
    assert phrase == _english(phrase)
    travelled = pickle.loads(pickle.dumps(phrase))
    assert travelled == phrase and isinstance(travelled, Phrase)
    for language in ("en", "ru"):
        with speaking(language):
            assert say(travelled) == say(phrase)
    with speaking("en"):
        assert say(phrase) == phrase


@given(phrases())
def test_in_russian_the_data_stays_and_the_fixed_words_go(phrase):
    """Every parameter that is data (a name, a number) is in the Russian text unchanged; the
    English words of the messages used are not (each message here is translated)."""
    with speaking("ru"):
        russian = say(phrase)
    stack = [phrase]
    while stack:
        current = stack.pop()
        for value in current.params.values():
            if isinstance(value, Phrase):
                stack.append(value)
            else:
                assert str(value) in russian
    for word in ("elected", "tie-break", "Required", "Abstentions", "Eliminated"):
        if word in phrase and not any(word in str(v) for v in _data(phrase)):
            assert word not in russian


def _data(phrase):
    for value in phrase.params.values():
        if isinstance(value, Phrase):
            yield from _data(value)
        else:
            yield value


def test_speaking_a_language_not_offered_is_refused():
    with pytest.raises(ValueError), speaking("de"):
        pass


identifiers = st.from_regex(r"\A_{0,2}[A-Za-z][A-Za-z0-9_]{0,15}\Z", fullmatch=True)


@settings(max_examples=200)
@given(identifiers, st.sampled_from(["text", 7, 2.5, ["a"], True, None]))
def test_no_attribute_of_any_value_is_reachable_from_a_template(name, value):
    """Whatever the name (`__class__`, `upper`, `mro`, …), an attribute of a value a template is
    given is refused; only a dictionary's own keys are there."""
    environment = MemorandumSandbox()
    with pytest.raises(SecurityError):
        environment.from_string(f"{{{{ value.{name} }}}}").render(value=value)
    with pytest.raises(SecurityError):
        environment.from_string(f"{{{{ value['{name}'] }}}}").render(value=value)


@given(identifiers, texts)
def test_a_dictionary_gives_its_keys_and_nothing_else(name, text):
    environment = MemorandumSandbox()
    assert environment.from_string(f"{{{{ d.{name} }}}}").render(d={name: text}) == \
        environment.from_string("{{ t }}").render(t=text)
    if name not in ("items", "keys", "values", "get"):
        with pytest.raises(Exception):  # noqa: B017 (StrictUndefined or SecurityError: either refuses)
            environment.from_string(f"{{{{ d.{name} }}}}").render(d={"other": text})
