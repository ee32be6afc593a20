"""Imports every model module, so metadata (and Alembic) sees all tables."""

from app.accounts.models import LoginThrottle, Role, RoleGrant, User  # noqa: F401
from app.catalog.models import (  # noqa: F401
    Category,
    Certification,
    Producer,
    ProducerPhoto,
    Product,
    ProductPhoto,
)
from app.common.audit import AuditEntry  # noqa: F401
from app.cooperatives.models import Cooperative  # noqa: F401
from app.livestreams.models import FeaturedProduct, Livestream, Reminder  # noqa: F401
from app.places.models import Commune, Province  # noqa: F401
