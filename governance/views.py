"""Server-rendered pages. The full set (delegate, chair, secretariat, observer, screen) is
built on this blueprint; the landing page tells a newcomer where things are."""
from flask import Blueprint, render_template

from governance.extensions import db
from governance.meetings.models import Meeting
from governance.registry.models import Organisation

bp = Blueprint("pages", __name__)


@bp.route("/")
def index():
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc())).all()
    return render_template("index.html", organisation=Organisation.current(), meetings=meetings)
