"""Mail an order change owes the buyer and the seller: queued with the change, sent by a job.

`queue` adds a row in the request's transaction, so a change that rolls back owes nothing.
The sending side (`send_due`, behind `flask send-order-mail`) lives in orders.mailing.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.common.timezone import utcnow
from app.extensions import db
from app.orders.models import NoticeKind, Order, OrderNotice


def queue(order: Order, kind: NoticeKind, recipient: str) -> None:
    """Owe one message; owing the same one twice keeps one (a unique row per order, kind, party)."""
    pending = {(n.kind, n.recipient) for n in db.session.new if isinstance(n, OrderNotice) and n.order is order}
    if (kind, recipient) in pending:
        return
    if order.id is not None:
        exists = db.session.execute(
            sa.select(OrderNotice.id).where(
                OrderNotice.order_id == order.id, OrderNotice.kind == kind, OrderNotice.recipient == recipient
            )
        ).first()
        if exists:
            return
    db.session.add(OrderNotice(order=order, kind=kind, recipient=recipient, created_at=utcnow()))
