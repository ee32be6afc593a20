"""What a live sold, on its host's management page.

Orders build on livestreams, so livestreams cannot ask them directly: app.orders registers a
function at `live_sales` when its blueprint is registered. The function takes the live and the
person looking, and returns a LiveSales counted over the orders of the producers that person
manages, or None. Without one registered (orders not installed) the page shows no figures.
Nothing of it is public: only the host's management page asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.common.extension_points import ExtensionPoint

live_sales = ExtensionPoint(
    "livestreams.live_sales",
    "A function (live, user) -> LiveSales | None: the orders that hold a product added from the live.",
)


@dataclass(frozen=True)
class SoldOrder:
    """One order as the live's page lists it: already worded and linked by orders."""

    code: str
    url: str
    status: str
    amount_vnd: int  # what the live's products came to in this order
    placed_at: datetime


@dataclass(frozen=True)
class LiveSales:
    orders: int
    revenue_vnd: int
    recent: list[SoldOrder] = field(default_factory=list)  # latest first; maybe fewer than `orders`


def sales_for(live, user) -> LiveSales | None:
    provider = live_sales.first()
    return provider(live, user) if provider is not None else None
