"""One document attached to one agenda item. The bytes live on disk under their SHA-256
(governance.documents.storage); the row says what they are and who put them there."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.auth.models import User
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model


class ItemDocument(Model):
    __tablename__ = "item_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # the name it was uploaded under, made safe, with the extension of its real type
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()
    item = relationship("AgendaItem", back_populates="documents")

    @property
    def url(self) -> str:
        return f"/api/v1/documents/{self.id}"
