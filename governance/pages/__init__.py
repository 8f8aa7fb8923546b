"""The server-rendered pages, split by who uses them.

All routes live on `governance.views.bp` (the one pages blueprint); these modules only add
to it. `i18n` sets up Flask-Babel, the language switch and time formatting in the meeting's
time zone; `meeting` holds the delegate/observer page, the chair's console, the
secretariat's desk and the projector screen.
"""
