"""The one blueprint of the server-rendered pages ("pages": url_for("pages.meeting_page", ...)).

Every module of governance.pages and governance.views adds its routes to it; it imports
nothing of them, so none of them imports another to reach it.
"""
from flask import Blueprint

bp = Blueprint("pages", __name__)
