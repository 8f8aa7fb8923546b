from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model, db
from governance.names import name_key, tidy


class MemberStatus(StrEnum):
    """A member's standing in the registry (`members.status`); membership motions move it."""

    APPLICANT = "applicant"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"


MEMBER_STATUSES = tuple(status.value for status in MemberStatus)  # plain strings for the CHECK constraint
MEMBER_CATEGORIES = ("city", "institution", "corporate")
# The languages the pages can speak (governance/translations); an organisation offers some of them.
PAGE_LANGUAGES = ("en", "ru")
DEFAULT_RESOLUTION_FORMAT = "{reference}/R{n}"


class Member(Model):
    """A member of the organisation: a city, an institution or a corporate."""

    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint(f"status IN {MEMBER_STATUSES}", name="status"),
        CheckConstraint(f"category IN {MEMBER_CATEGORIES}", name="category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # the name as people read it (governance.names): unique, so no two members print alike
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(20), default="city")
    status: Mapped[str] = mapped_column(String(20), default="applicant")
    excom: Mapped[bool] = mapped_column(default=False)  # holds a seat on the Executive Committee
    office: Mapped[str | None] = mapped_column(String(120))  # President, Executive Vice-President...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @validates("name")
    def _keep_name_key(self, _key, value: str) -> str:
        value = tidy(value)
        self.name_key = name_key(value)
        return value

    @property
    def is_voting(self) -> bool:
        """Only active EXCOM members vote; a suspended member keeps its seat but not its vote."""
        return self.excom and self.status == "active"

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.name} ({self.status})>"


class Organisation(Model):
    """The one organisation this installation serves: its name, current logo, the languages
    its pages offer, the time zone new meetings start from, and how resolutions are numbered.

    The logo is kept as bytes here (not as a reference to a logo motion's candidate) so
    that the core does not depend on the motions package that adopts it.
    """

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_mimetype: Mapped[str | None] = mapped_column(String(40))
    # the PNG drawn from an SVG logo on upload; None when the logo is itself a PNG or JPEG
    logo_picture: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    secretariat_city: Mapped[str] = mapped_column(String(120), default="")
    # the page languages offered, the first one being the default (a subset of PAGE_LANGUAGES)
    languages: Mapped[list] = mapped_column(JSON, default=lambda: list(PAGE_LANGUAGES))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # governance.numbering: "{reference}/R{n}" gives "EXCOM 2024/R3"
    resolution_format: Mapped[str] = mapped_column(String(80), default=DEFAULT_RESOLUTION_FORMAT)

    @property
    def shown_logo(self) -> tuple[bytes, str] | None:
        """(bytes, mimetype) of the logo as pages and the memorandum show it: a PNG or JPEG, or
        the PNG drawn from an SVG; None when there is nothing safe to show."""
        if self.logo_picture is not None:
            return self.logo_picture, "image/png"
        if self.logo is not None and self.logo_mimetype in ("image/png", "image/jpeg"):
            return self.logo, self.logo_mimetype
        return None

    @classmethod
    def current(cls) -> "Organisation":
        """The stored organisation, or an unsaved stand-in before `excom demo` or set-up named it."""
        return db.session.get(cls, 1) or cls(id=1, name="Organisation", short_name="", languages=list(PAGE_LANGUAGES),
                                             timezone="UTC", resolution_format=DEFAULT_RESOLUTION_FORMAT)

    @classmethod
    def ensure(cls) -> "Organisation":
        organisation = db.session.get(cls, 1)
        if organisation is None:
            organisation = cls(id=1, name="Organisation", short_name="")
            db.session.add(organisation)
            db.session.flush()
        return organisation
