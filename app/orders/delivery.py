"""How an order reaches its buyer, and what that costs: one rule, used by the cart, the checkout
page and the placing of the order.

A producer's own delivery plan applies; a member of a cooperative without one uses the
cooperative's. Pickup is free. Delivery to an address is the seller's own (a commune/ward they
serve, for its fee) when they serve the buyer's, otherwise by courier priced by weight band when
they ship nationwide. An order whose goods reach the plan's threshold travels free.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.catalog.models import Producer
from app.common.errors import RuleBroken
from app.extensions import db
from app.orders.models import DeliveryMethod, DeliveryPlan, PickupPoint

ADDRESS = "address"  # the buyer's choice "deliver to my address", as the checkout form posts it


class CannotDeliver(RuleBroken):
    """The seller cannot get this order to the place the buyer chose."""


@dataclass(frozen=True)
class ParcelLine:
    """What delivery needs to know of one line: its weight and its value."""

    name: str
    quantity: int
    net_weight_grams: int | None
    value_vnd: int


@dataclass(frozen=True)
class Quote:
    method: DeliveryMethod
    fee_vnd: int
    pickup_point: PickupPoint | None = None
    weight_grams: int | None = None
    free_because_over: bool = False


def _plan_query():
    return sa.select(DeliveryPlan).options(
        selectinload(DeliveryPlan.pickup_points),
        selectinload(DeliveryPlan.zones),
        selectinload(DeliveryPlan.weight_bands),
    )


def plans_for(producers: Iterable[Producer]) -> dict[int, DeliveryPlan | None]:
    """The plan each producer delivers by (their own, else their cooperative's), in one query."""
    producers = list(producers)
    producer_ids = {p.id for p in producers}
    cooperative_ids = {p.cooperative_id for p in producers if p.cooperative_id}
    conditions = [DeliveryPlan.producer_id.in_(producer_ids)]
    if cooperative_ids:
        conditions.append(DeliveryPlan.cooperative_id.in_(cooperative_ids))
    plans = list(db.session.execute(_plan_query().where(sa.or_(*conditions))).scalars()) if producers else []
    own = {plan.producer_id: plan for plan in plans if plan.producer_id}
    shared = {plan.cooperative_id: plan for plan in plans if plan.cooperative_id}
    return {p.id: own.get(p.id) or shared.get(p.cooperative_id) for p in producers}


def plan_for(producer: Producer) -> DeliveryPlan | None:
    return plans_for([producer])[producer.id]


def pickup_points(plan: DeliveryPlan | None) -> list[PickupPoint]:
    return [point for point in plan.pickup_points if point.active] if plan else []


def parcel_weight(lines: Iterable[ParcelLine]) -> int | None:
    """Grams in the parcel, or None when a line has no weight (it cannot go by weight band)."""
    total = 0
    for line in lines:
        if not line.net_weight_grams:
            return None
        total += line.net_weight_grams * line.quantity
    return total


def _free(plan: DeliveryPlan, goods_vnd: int) -> bool:
    return plan.free_over_vnd is not None and goods_vnd >= plan.free_over_vnd


def quote(plan: DeliveryPlan | None, choice: str, lines: list[ParcelLine], commune_id: int | None,
          *, field: str = "delivery", has_address: bool | None = None) -> Quote:
    """The way and the fee for one producer's part of a checkout, or CannotDeliver saying why.

    choice is ADDRESS or the id of a pickup point (as text, the way a form posts it).
    commune_id is None for an address in a commune the site does not list (has_address says
    one was given): only a courier can reach it.
    """
    if plan is None:
        raise CannotDeliver(_l("Người bán chưa cài đặt cách giao hàng, nên chưa nhận đặt hàng trực tuyến."), field)
    goods = sum(line.value_vnd for line in lines)
    if choice != ADDRESS:
        point = next((p for p in pickup_points(plan) if str(p.id) == str(choice)), None)
        if point is None:
            raise CannotDeliver(_l("Hãy chọn một điểm nhận hàng của người bán này."), field)
        return Quote(DeliveryMethod.PICKUP, 0, pickup_point=point)
    if commune_id is None and not has_address:
        raise CannotDeliver(_l("Hãy nhập địa chỉ giao hàng (tỉnh/thành phố và xã/phường)."), "commune")
    zone = next((z for z in plan.zones if z.commune_id == commune_id), None)
    if zone is not None:
        free = _free(plan, goods)
        return Quote(DeliveryMethod.LOCAL, 0 if free else zone.fee_vnd, free_because_over=free and zone.fee_vnd > 0)
    if not plan.ships_nationwide or not plan.weight_bands:
        raise CannotDeliver(
            _l("Người bán này chỉ giao trong khu vực của họ, không giao tới địa chỉ của bạn. "
               "Hãy chọn nhận tại điểm hẹn."),
            field,
        )
    weight = parcel_weight(lines)
    if weight is None:
        missing = next(line.name for line in lines if not line.net_weight_grams)
        raise CannotDeliver(
            _l("“%(name)s” chưa có khối lượng nên không gửi xa được. Hãy chọn nhận tại điểm hẹn.", name=missing), field
        )
    band = next((b for b in plan.weight_bands if weight <= b.up_to_grams), None)
    if band is None:
        kilograms = "%g" % (weight / 1000)
        raise CannotDeliver(_l("Đơn quá nặng để gửi xa (%(kg)s kg). Hãy chia nhỏ đơn hoặc nhận tại điểm hẹn.",
                               kg=kilograms), field)
    free = _free(plan, goods)
    return Quote(DeliveryMethod.COURIER, 0 if free else band.fee_vnd, weight_grams=weight,
                 free_because_over=free and band.fee_vnd > 0)
