"""Invitations to a meeting: each participant's personal access link, sent by e-mail in their
language with the agenda and an .ics file of the sessions (or printed as a QR code for the
room); who has opened their link; links revoked.

- `links.issue_link` is the one place a link is made (the platform's own link-issuing
  function; see there);
- `calendar.sessions_calendar` builds the .ics, a pure function;
- `letters.invitation_letter` writes the e-mail in a language;
- `operations` sends, records opening and revokes; `api` and governance/pages/invitations.py
  are the desk's routes.
"""


def init_app(app) -> None:
    """The invitation desk's API (its page is in governance.pages.invitations)."""
    from governance.extensions import api
    from governance.invitations import models  # noqa: F401  (tables)
    from governance.invitations.api import blp
    api.register_blueprint(blp)
