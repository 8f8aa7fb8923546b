"""Links sent by e-mail carry the installation's public address (EXCOM_PUBLIC_URL), never the
Host header of the request that caused them: an invitation's link carries a one-time sign-in
code, and a forged or internal Host would send that code to another site (or to an address
the invited person cannot reach)."""
import re

from governance.extensions import db
from governance.mail.models import MailMessage
from tests.factories import PASSWORD
from tests.minutes.conftest import small_meeting  # noqa: F401  (fixture)

PUBLIC = "https://excom.example.org"


def _bodies(app) -> list[str]:
    with app.app_context():
        bodies = list(db.session.scalars(db.select(MailMessage.body)))
        db.session.rollback()
    return bodies


def test_an_invitation_s_link_is_on_the_public_address_whatever_the_host_header(app, api, small_meeting):  # noqa: F811
    app.config["EXCOM_PUBLIC_URL"] = PUBLIC + "/"
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    answer = staff.post(f"/meetings/{small_meeting['meeting']}/invitations", json={"group": "all"},
                        headers={"Host": "attacker.example"})
    assert answer.status_code == 201, answer.get_json()
    links = [link for body in _bodies(app) for link in re.findall(r"\S+/login/link/\S+", body)]
    assert links and all(link.startswith(PUBLIC + "/login/link/") for link in links), links


def test_a_reset_link_is_on_the_public_address_whatever_the_host_header(app, client, make):
    app.config["EXCOM_PUBLIC_URL"] = PUBLIC
    with app.app_context():
        make.user("Ann", email="ann@example.org")
    answer = client.post("/api/v1/auth/password-reset", json={"email": "ann@example.org"}, buffered=True,
                         headers={"Host": "attacker.example"})
    assert answer.status_code == 202
    [body] = _bodies(app)
    assert re.search(r"\S+/password/reset/\S+", body).group(0).startswith(PUBLIC + "/password/reset/")
