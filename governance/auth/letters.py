"""The e-mail the accounts send, in the recipient's language (English or Russian)."""
from flask_babel import force_locale
from flask_babel import gettext as _

from governance.auth.models import User
from governance.registry.models import Organisation


def password_reset_letter(user: User, link: str, *, minutes: int, language: str) -> tuple[str, str]:
    """(subject, text) of the password reset e-mail carrying `link` (valid `minutes`)."""
    organisation = Organisation.current()
    name = organisation.name if organisation is not None else "EXCOM"
    with force_locale(language):
        subject = _("Reset your password – %(organisation)s", organisation=name)
        text = "\n\n".join([
            _("Dear %(name)s,", name=user.name),
            _("Somebody (we hope you) asked to reset the password of your account. To choose a new "
              "password, open this link within %(minutes)s minutes; it works once:", minutes=minutes),
            link,
            _("If you did not ask for this, ignore this message: your password stays as it is."),
            _("The Secretariat"),
        ]) + "\n"
    return subject, text
