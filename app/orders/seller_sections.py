"""What orders add to the seller pages of the domains it builds on, registered with the
seller_orders blueprint: the count of new orders on the catalogue's dashboard, and what a live
sold on the host's management page (livestreams.sales). Each runs a fixed number of queries.
"""

from __future__ import annotations

from flask import Flask, render_template, url_for
from markupsafe import Markup

from app.catalog.sections import seller_dashboard
from app.livestreams.sales import LiveSales, SoldOrder, live_sales
from app.orders import codes, queries
from app.orders.status import STATUS_LABELS


def dashboard_orders(user, producers) -> Markup | None:
    if not producers:
        return None
    count = queries.new_order_count([producer.id for producer in producers])
    return Markup(render_template("orders/_dashboard_orders.html", new_orders=count))


def sales_of_live(live, user) -> LiveSales:
    """Counted over the producers this person manages now, so a host sees only their own sellers'
    orders even when a member has left the cooperative since."""
    sold = queries.sales_of_live(live.id, queries.managed_producer_ids(user))
    return LiveSales(
        orders=sold.orders,
        revenue_vnd=sold.revenue_vnd,
        recent=[
            SoldOrder(
                code=codes.display(order.code),
                url=url_for("seller_orders.order_detail", code=order.code),
                status=str(STATUS_LABELS[order.status]),
                amount_vnd=amount,
                placed_at=order.created_at,
            )
            for order, amount in sold.recent
        ],
    )


def register(app: Flask) -> None:
    seller_dashboard.add(app, dashboard_orders)
    live_sales.add(app, sales_of_live)
