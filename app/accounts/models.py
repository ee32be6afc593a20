from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.database import stored_enum as _enum
from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db


class Role(enum.Enum):
    BUYER = "buyer"
    PRODUCER = "producer"
    COOPERATIVE_MANAGER = "cooperative_manager"
    OFFICER = "officer"  # programme officer (cán bộ giảm nghèo)
    ADMIN = "admin"



class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="email_or_phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # Stored lower-cased; the unique index keeps one account per address.
    email: Mapped[str | None] = mapped_column(String(254), unique=True, info={"sensitive": True})
    # Stored as +84 followed by nine digits, whatever way the person typed it.
    phone: Mapped[str | None] = mapped_column(String(16), unique=True, info={"sensitive": True})
    password_hash: Mapped[str] = mapped_column(String(255), info={"sensitive": True})
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # When the person agreed, at registration, to their personal data being processed
    # (Law 91/2025/QH15). Empty for accounts made by an administrator on someone's behalf.
    privacy_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {grant.role for grant in self.role_grants}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def login_name(self) -> str:
        return self.email or self.phone or ""

    def __repr__(self) -> str:
        return f"<User {self.id}>"  # no email or phone: a repr ends up in logs and error reports


class RoleGrant(db.Model):
    """One role held by one person; a person may hold several."""

    __tablename__ = "role_grants"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_grants")


class LoginThrottle(db.Model):
    """Failed logins counted per account and per client address, to slow password guessing."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # "account:12", "address:203.0.113.5"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
