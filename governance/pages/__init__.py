"""The server-rendered pages, split by who uses them.

All routes live on one blueprint, `governance.pages.blueprint.bp` ("pages"); the modules
only add to it, and share what every page needs through `common` (sign in first, the
meeting one may see or 404, the agenda, the page frame). `governance.views`: the landing
page and signing in and out; `i18n` sets up Flask-Babel, the language switch and time
formatting in the meeting's time zone; `meeting` holds the delegate/observer page, the
chair's console, the secretariat's desk and the projector screen; `setup`, `calendar`,
`organisation`, `registry`: the secretariat's pages; `account`, `first_run`,
`invitations`, `after_meeting`.
"""


def init_app(app) -> None:
    """Every page module adds its routes to the blueprint on import; then it is registered."""
    from governance import views  # noqa: F401
    from governance.pages import (  # noqa: F401
        account,
        after_meeting,
        calendar,
        first_run,
        i18n,
        invitations,
        meeting,
        organisation,
        registry,
        setup,
    )
    from governance.pages.blueprint import bp
    app.register_blueprint(bp)
