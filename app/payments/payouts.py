"""Card money the site collects for producers, and what it has passed on to them.

Card payments land in the site's Stripe account; an admin transfers each producer their share
and records it here. What is owed is what the producer's card orders brought in (paid, and
neither refunded nor cancelled: that money goes back to the buyer) less the payouts recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import Role, User
from app.catalog.models import Producer
from app.common import audit
from app.common.errors import NotAllowed, RuleBroken
from app.common.i18n import current_language
from app.common.money import format_vnd
from app.common.timezone import utcnow
from app.extensions import db
from app.orders.models import Checkout, Order, OrderStatus, PaymentMethod
from app.payments.models import Payout


class PayoutRefused(RuleBroken):
    field = "amount"


@dataclass(frozen=True)
class Balance:
    producer_id: int
    producer_name: str
    collected_vnd: int
    paid_out_vnd: int

    @property
    def owed_vnd(self) -> int:
        return self.collected_vnd - self.paid_out_vnd


def _collected():
    return (
        sa.select(Order.producer_id, sa.func.sum(Order.total_vnd).label("amount"))
        .join(Checkout, Checkout.id == Order.checkout_id)
        .where(
            Checkout.payment_method == PaymentMethod.CARD,
            Order.paid_at.is_not(None),
            Order.status.not_in([OrderStatus.REFUNDED, OrderStatus.CANCELLED]),
        )
        .group_by(Order.producer_id)
        .subquery()
    )


def _paid_out():
    return (
        sa.select(Payout.producer_id, sa.func.sum(Payout.amount_vnd).label("amount"))
        .group_by(Payout.producer_id)
        .subquery()
    )


def balances(producer_id: int | None = None) -> list[Balance]:
    """Each producer with card money collected or paid out, by name: one query, however many."""
    collected, paid_out = _collected(), _paid_out()
    query = (
        sa.select(
            Producer.id,
            Producer.display_name,
            sa.func.coalesce(collected.c.amount, 0),
            sa.func.coalesce(paid_out.c.amount, 0),
        )
        .outerjoin(collected, collected.c.producer_id == Producer.id)
        .outerjoin(paid_out, paid_out.c.producer_id == Producer.id)
        .where(sa.or_(collected.c.amount.is_not(None), paid_out.c.amount.is_not(None)))
        .order_by(Producer.name_sort_key, Producer.id)
    )
    if producer_id is not None:
        query = query.where(Producer.id == producer_id)
    return [Balance(int(r[0]), r[1], int(r[2]), int(r[3])) for r in db.session.execute(query)]


def record_payout(actor: User, producer: Producer, amount_vnd: int, reference: str = "") -> Payout:
    """Record money passed on to a producer: more than zero, and no more than they are owed."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_l("Chỉ ban quản trị mới ghi khoản chi trả."))
    if amount_vnd <= 0:
        raise PayoutRefused(_l("Số tiền chi trả phải lớn hơn 0."))
    # Lock the producer's row (PostgreSQL) so two admins recording at once cannot both pay
    # out the same money.
    db.session.execute(sa.select(Producer.id).where(Producer.id == producer.id).with_for_update())
    found = balances(producer.id)
    owed = found[0].owed_vnd if found else 0
    if amount_vnd > owed:
        raise PayoutRefused(
            _l("Số tiền lớn hơn số còn nợ nhà vườn (%(owed)s).", owed=format_vnd(max(owed, 0), current_language()))
        )
    payout = Payout(
        producer_id=producer.id, amount_vnd=amount_vnd, reference=" ".join((reference or "").split())[:120],
        recorded_by_id=actor.id, paid_at=utcnow(),
    )
    db.session.add(payout)
    db.session.flush()
    audit.record(actor, "payout.recorded", payout,
                 {"producer_id": producer.id, "amount_vnd": amount_vnd, "reference": payout.reference})
    return payout


def recent_payouts(limit: int = 20) -> list[Payout]:
    return list(
        db.session.execute(
            sa.select(Payout)
            .options(joinedload(Payout.producer), joinedload(Payout.recorded_by))
            .order_by(Payout.paid_at.desc(), Payout.id.desc())
            .limit(limit)
        ).scalars()
    )
