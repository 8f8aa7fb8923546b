"""Names compared as people read them: two members never print alike on a ballot, and one
e-mail address is one person, however it is typed."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from governance.extensions import db
from governance.names import name_key, tidy

SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2003", "\n"])
words = st.lists(st.text(alphabet=st.characters(categories=("L", "M", "N")), min_size=1, max_size=8),
                 min_size=1, max_size=4)


@pytest.mark.parametrize("one, other", [
    ("São Paulo", unicodedata.normalize("NFD", "São Paulo")),
    ("São Paulo", "SÃO PAULO"),
    ("São Paulo", "  São   Paulo "),
    ("Beyoğlu", "BEYOĞLU".lower().title()),
    ("Straße", "STRASSE"),
    ("Seberang Perai", "seberang\u00a0perai"),
])
def test_spellings_that_read_alike_have_one_key(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize("one, other", [("Seoul", "Seo ul"), ("Abuja", "Abujа"),  # Cyrillic а: another letter
                                        ("Cali", "Calí")])
def test_names_that_read_differently_keep_apart(one, other):
    assert name_key(one) != name_key(other)


@given(st.text(max_size=40))
def test_the_key_is_stable(text):
    assert name_key(name_key(text)) == name_key(text)
    assert name_key(tidy(text)) == name_key(text)
    assert unicodedata.is_normalized("NFC", name_key(text))


@given(st.text(max_size=40))
def test_composition_does_not_matter(text):
    assert name_key(unicodedata.normalize("NFD", text)) == name_key(text)
    assert name_key(unicodedata.normalize("NFC", text)) == name_key(text)


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_capitals_do_not_matter(text):
    assert name_key(text.upper()) == name_key(text.lower()) == name_key(text)


@given(words, st.lists(SPACES, min_size=5, max_size=5), SPACES, SPACES)
def test_runs_of_white_space_are_one_space(parts, gaps, before, after):
    spaced = before + "".join(part + gaps[n % len(gaps)] for n, part in enumerate(parts[:-1])) + parts[-1] + after
    assert name_key(spaced) == name_key(" ".join(parts))
    assert tidy(spaced) == tidy(" ".join(parts))
    assert "  " not in tidy(spaced) and tidy(spaced) == tidy(spaced).strip()


# --- through the API and in the database ---------------------------------------------------

@pytest.fixture
def desk(app, make, api):
    with app.app_context():
        make.user(email="desk@example.org", roles=["secretariat"])
    return api.as_user("desk@example.org")


def test_a_member_whose_name_reads_like_another_s_is_refused(app, desk):
    created = desk.post("/members", json={"name": "São  Paulo ", "excom": True, "status": "active"})
    assert created.status_code == 201 and created.get_json()["name"] == "São Paulo"
    for spelling in (unicodedata.normalize("NFD", "São Paulo"), "SÃO PAULO", "são\tpaulo"):
        refused = desk.post("/members", json={"name": spelling})
        assert refused.status_code == 409, spelling
        error = refused.get_json()["error"]
        assert error["code"] == "name_taken" and error["fields"] == {"name": ["taken"]}
        assert "São Paulo" in error["message"]
    other = desk.post("/members", json={"name": "Seoul"}).get_json()
    renamed = desk.patch(f"/members/{other['id']}", json={"name": "SAO PAULO".replace("A", "Ã", 1)})
    assert (renamed.status_code, renamed.get_json()["error"]["code"]) == (409, "name_taken")
    assert desk.patch(f"/members/{other['id']}", json={"name": "SEOUL"}).status_code == 200  # its own name
    blank = desk.post("/members", json={"name": " \u00a0 "})
    assert (blank.status_code, blank.get_json()["error"]["code"]) == (422, "invalid")
    names = sorted(m["name"] for m in desk.get("/members").get_json())
    assert names == ["SEOUL", "São Paulo"]


def test_the_database_itself_refuses_a_second_spelling(app):
    """The check in Python answers clearly; the unique key holds when two desks race it."""
    from governance.auth.models import User
    from governance.registry.models import Member
    with app.app_context():
        db.session.add(Member(name="Makati", country="", category="city", status="active", excom=True))
        db.session.commit()
        db.session.add(Member(name="MAKATI", country="", category="city", status="active", excom=True))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(User(name="A", email="strasse@example.org", roles=[]))
        db.session.commit()
        db.session.add(User(name="B", email="STRAßE@example.org", roles=[]))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_an_e_mail_address_is_one_person_however_it_is_typed(app, desk, api):
    made = desk.post("/users", json={"name": "Anna", "email": "anna.strasse@example.org", "password": "long enough pw"})
    assert made.status_code == 201
    for spelling in ("Anna.Strasse@Example.org", "anna.straße@example.org", " ANNA.STRASSE@EXAMPLE.ORG"):
        refused = desk.post("/users", json={"name": "Other", "email": spelling.strip(), "password": "long enough pw"})
        assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "email_taken"), spelling
    # and the person signs in however they type it
    assert api.as_user("ANNA.STRAßE@example.org", "long enough pw").token


def test_the_migration_keys_the_names_already_there(app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text
    with app.app_context():
        downgrade(revision="0004_outbox")
        db.session.execute(text("INSERT INTO members (name, country, category, status, excom, created_at) "
                                "VALUES ('São Paulo', '', 'city', 'active', true, CURRENT_TIMESTAMP)"))
        db.session.execute(text("INSERT INTO users (name, email, title, affiliation, roles, active, created_at) "
                                "VALUES ('A', 'a.b@example.org', '', '', '[]', true, CURRENT_TIMESTAMP)"))
        db.session.commit()
        db.session.remove()
        upgrade()
        assert db.session.execute(text("SELECT name_key FROM members")).scalar_one() == "são paulo"
        assert db.session.execute(text("SELECT email_key FROM users")).scalar_one() == "a.b@example.org"
        db.session.remove()
