"""Imports every model module, so metadata (and Alembic) sees all tables."""

from app.accounts.models import LoginThrottle, Role, RoleGrant, User  # noqa: F401
from app.catalog.models import (  # noqa: F401
    Category,
    Certification,
    Producer,
    ProducerPhoto,
    Product,
    ProductPhoto,
    StockMovement,
)
from app.common.audit import AuditEntry  # noqa: F401
from app.cooperatives.models import Cooperative  # noqa: F401
from app.households.duplicate_model import DuplicateCheck  # noqa: F401
from app.households.models import (  # noqa: F401
    AnnualReview,
    HouseholdAccessLog,
    HouseholdGroup,
    HouseholdMember,
    OfficerAssignment,
    PovertyStandard,
    ProducerLink,
    RecognisedStatus,
    ReviewIndicator,
    StandardIndicator,
    SupportedHousehold,
    SupportKind,
    SupportRecord,
)
from app.livestreams.models import FeaturedProduct, Livestream, Reminder  # noqa: F401
from app.orders.models import (  # noqa: F401
    Cart,
    CartLine,
    Checkout,
    DeliveryPlan,
    LocalDeliveryZone,
    Order,
    OrderEvent,
    OrderLine,
    OrderNotice,
    PickupPoint,
    WeightBand,
)
from app.payments.models import BankAccount, Payout, StripeEvent  # noqa: F401
from app.places.models import Commune, Province  # noqa: F401
