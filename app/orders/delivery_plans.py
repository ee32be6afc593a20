"""Keeping a delivery plan: who may change which, what a plan may hold, and saving it.

A producer keeps the plan of their own profile; a cooperative's managers keep the cooperative's
plan (which its members without one of their own deliver by) and their members' plans; an admin
any. The quote rule that reads the plans is app.orders.delivery.

Functions here check access, validate everything before changing anything, flush and write the
audit entry, and never commit. A broken rule names the value at fault as "<list>.<row>.<part>"
(row counted among the rows given), "weight_bands", "free_over" or "ways".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, User
from app.catalog.access import cooperatives, managed_cooperative_ids, may_manage_producer, producers_managed_by
from app.catalog.models import Producer, Product, ProductStatus
from app.catalog.units import format_weight
from app.common import audit
from app.common.errors import NotAllowed, RuleBroken
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.orders.models import DeliveryPlan, LocalDeliveryZone, PickupPoint, WeightBand
from app.places.models import Commune

MAX_FEE_VND = 5_000_000  # for one delivery; more is a typing mistake
MAX_FREE_OVER_VND = 100_000_000
MAX_BAND_GRAMS = 1_000_000  # one tonne, as for a product's weight
MAX_NAME = 120
MAX_ADDRESS = 250
MAX_HOURS = 120


class InvalidDeliveryPlan(RuleBroken):
    """A value the plan cannot hold; the message says which and why."""


@dataclass(frozen=True)
class PickupPointValues:
    name: str
    address: str
    hours: str = ""
    point_id: int | None = None  # an existing point of this plan, to change or stop
    # Stop offering it: the row stays, inactive, because past orders point at it.
    remove: bool = False


@dataclass(frozen=True)
class ZoneValues:
    commune_id: int | None
    fee_vnd: int | None


@dataclass(frozen=True)
class WeightBandValues:
    up_to_grams: int | None
    fee_vnd: int | None


@dataclass
class DeliveryPlanValues:
    """A whole plan as its keeper entered it; rows left empty on the form are not given."""

    pickup_points: list[PickupPointValues] = field(default_factory=list)
    zones: list[ZoneValues] = field(default_factory=list)
    ships_nationwide: bool = False
    weight_bands: list[WeightBandValues] = field(default_factory=list)
    free_over_vnd: int | None = None


@dataclass(frozen=True)
class PlanOwner:
    """The producer or the cooperative a plan belongs to."""

    producer: Producer | None = None
    cooperative: Cooperative | None = None

    @property
    def name(self) -> str:
        return self.producer.display_name if self.producer else self.cooperative.name

    @property
    def province_id(self) -> int | None:
        return (self.producer or self.cooperative).province_id

    def plan_condition(self):
        if self.producer is not None:
            return DeliveryPlan.producer_id == self.producer.id
        return DeliveryPlan.cooperative_id == self.cooperative.id

    def new_plan(self) -> DeliveryPlan:
        if self.producer is not None:
            return DeliveryPlan(producer_id=self.producer.id)
        return DeliveryPlan(cooperative_id=self.cooperative.id)


# --- Who may --------------------------------------------------------------------------------


def may_edit_plan(user: User | None, owner: PlanOwner) -> bool:
    if owner.producer is not None:
        return may_manage_producer(user, owner.producer)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_role(Role.ADMIN) or owner.cooperative.id in managed_cooperative_ids(user)


def _require(user: User, owner: PlanOwner) -> None:
    if not may_edit_plan(user, owner):
        raise NotAllowed(_l("Bạn không có quyền sửa cách giao hàng này."))


# --- Reading --------------------------------------------------------------------------------


def _with_rows(query):
    return query.options(
        selectinload(DeliveryPlan.pickup_points),
        selectinload(DeliveryPlan.zones).joinedload(LocalDeliveryZone.commune),
        selectinload(DeliveryPlan.weight_bands),
    )


def plan_of(owner: PlanOwner) -> DeliveryPlan | None:
    """The owner's own plan, with its rows."""
    return db.session.execute(_with_rows(sa.select(DeliveryPlan)).where(owner.plan_condition())).scalar_one_or_none()


@dataclass(frozen=True)
class PlanEntry:
    """One line of the list of plans a person keeps."""

    owner: PlanOwner
    plan: DeliveryPlan | None
    # For a member without a plan of their own: the cooperative's, which applies instead.
    cooperative_plan: DeliveryPlan | None = None


def plans_kept_by(user: User) -> tuple[list[PlanEntry], list[PlanEntry]]:
    """(cooperatives, producers) whose plans user may change, each with its plan: in three
    queries and the plans' row loads, however many there are."""
    producers = producers_managed_by(user)
    coops = list(cooperatives().managed(user))
    coop_ids = {c.id for c in coops} | {p.cooperative_id for p in producers if p.cooperative_id}
    conditions = [DeliveryPlan.producer_id.in_([p.id for p in producers])]
    if coop_ids:
        conditions.append(DeliveryPlan.cooperative_id.in_(coop_ids))
    plans = list(db.session.execute(_with_rows(sa.select(DeliveryPlan)).where(sa.or_(*conditions))).scalars())
    own = {plan.producer_id: plan for plan in plans if plan.producer_id}
    shared = {plan.cooperative_id: plan for plan in plans if plan.cooperative_id}
    return (
        [PlanEntry(PlanOwner(cooperative=c), shared.get(c.id)) for c in coops],
        [PlanEntry(PlanOwner(producer=p), own.get(p.id), shared.get(p.cooperative_id)) for p in producers],
    )


def products_without_weight(owner: PlanOwner) -> list[Product]:
    """Products on sale that deliver by owner's plan and have no net weight, so a courier
    cannot price them: a producer's own, or those of the cooperative's members without a plan
    of their own. One query."""
    query = (
        sa.select(Product)
        .join(Product.producer)
        .where(Product.status == ProductStatus.ON_SALE, Product.net_weight_grams.is_(None))
        .options(joinedload(Product.producer))
        .order_by(Producer.display_name, Product.name)
    )
    if owner.producer is not None:
        query = query.where(Product.producer_id == owner.producer.id)
    else:
        with_own_plan = sa.select(DeliveryPlan.producer_id).where(DeliveryPlan.producer_id.is_not(None))
        query = query.where(Producer.cooperative_id == owner.cooperative.id, Producer.id.not_in(with_own_plan))
    return list(db.session.execute(query).scalars())


# --- Checking -------------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def check_fee(fee_vnd: int | None, where: str) -> int:
    if fee_vnd is None:
        raise InvalidDeliveryPlan(_l("Hãy nhập phí (ghi 0 nếu miễn phí)."), where)
    if fee_vnd < 0:
        raise InvalidDeliveryPlan(_l("Phí không được âm."), where)
    if fee_vnd > MAX_FEE_VND:
        raise InvalidDeliveryPlan(_l("Phí tối đa 5.000.000 ₫ cho một lần giao."), where)
    return fee_vnd


def _checked_pickups(plan: DeliveryPlan | None, rows: list[PickupPointValues]) -> list[PickupPointValues]:
    known = {p.id for p in plan.pickup_points if p.active} if plan else set()
    seen: set[int] = set()
    checked = []
    for index, row in enumerate(rows):
        where = f"pickup_points.{index}"
        if row.point_id is not None and (row.point_id not in known or row.point_id in seen):
            raise InvalidDeliveryPlan(_l("Điểm nhận này không còn trong cách giao của bạn."), f"{where}.name")
        if row.point_id is not None:
            seen.add(row.point_id)
        if row.remove:
            if row.point_id is not None:
                checked.append(row)
            continue
        name, address, hours = _clean(row.name), _clean(row.address), _clean(row.hours)
        if not name:
            raise InvalidDeliveryPlan(_l("Hãy đặt tên cho điểm nhận, ví dụ “Tại vườn” hoặc “Sạp chợ Đông Ba”."),
                                      f"{where}.name")
        if len(name) > MAX_NAME:
            raise InvalidDeliveryPlan(_l("Tối đa %(max)d ký tự.", max=MAX_NAME), f"{where}.name")
        if not address:
            raise InvalidDeliveryPlan(_l("Hãy ghi địa chỉ để người mua tìm đến."), f"{where}.address")
        if len(address) > MAX_ADDRESS:
            raise InvalidDeliveryPlan(_l("Tối đa %(max)d ký tự.", max=MAX_ADDRESS), f"{where}.address")
        if len(hours) > MAX_HOURS:
            raise InvalidDeliveryPlan(_l("Tối đa %(max)d ký tự.", max=MAX_HOURS), f"{where}.hours")
        checked.append(PickupPointValues(name, address, hours, row.point_id))
    return checked


def _checked_zones(rows: list[ZoneValues]) -> dict[int, int]:
    ids = {row.commune_id for row in rows if row.commune_id is not None}
    names: dict[int, str] = {}
    if ids:
        rows_found = db.session.execute(sa.select(Commune.id, Commune.name).where(Commune.id.in_(ids)))
        names = {found.id: found.name for found in rows_found}
    fees: dict[int, int] = {}
    for index, row in enumerate(rows):
        where = f"zones.{index}"
        if row.commune_id is None:
            raise InvalidDeliveryPlan(_l("Hãy chọn xã/phường cho phí này."), f"{where}.commune")
        if row.commune_id not in names:
            raise InvalidDeliveryPlan(_l("Xã/phường này không có trong danh sách."), f"{where}.commune")
        if row.commune_id in fees:
            raise InvalidDeliveryPlan(
                _l("%(name)s đã có ở dòng trên: mỗi xã/phường chỉ ghi một lần.", name=names[row.commune_id]),
                f"{where}.commune",
            )
        fees[row.commune_id] = check_fee(row.fee_vnd, f"{where}.fee")
    return fees


def _checked_bands(rows: list[WeightBandValues]) -> dict[int, int]:
    fees: dict[int, int] = {}
    previous = None
    for index, row in enumerate(rows):
        where = f"weight_bands.{index}"
        up_to = row.up_to_grams
        if up_to is None:
            raise InvalidDeliveryPlan(_l("Hãy ghi khối lượng của mức này, ví dụ 5 kg."), f"{where}.up_to")
        if not 0 < up_to <= MAX_BAND_GRAMS:
            raise InvalidDeliveryPlan(_l("Khối lượng phải từ 1 g đến 1.000 kg."), f"{where}.up_to")
        if previous is not None and up_to == previous:
            raise InvalidDeliveryPlan(_l("Mức %(weight)s đã có ở dòng trên.", weight=format_weight(up_to)),
                                      f"{where}.up_to")
        if previous is not None and up_to < previous:
            raise InvalidDeliveryPlan(
                _l("Các mức phải tăng dần: mức này phải nặng hơn %(weight)s ở dòng trên.",
                   weight=format_weight(previous)),
                f"{where}.up_to",
            )
        fees[up_to] = check_fee(row.fee_vnd, f"{where}.fee")
        previous = up_to
    return fees


# --- Saving ---------------------------------------------------------------------------------


def save_plan(actor: User, owner: PlanOwner, values: DeliveryPlanValues) -> DeliveryPlan:
    """Create or change owner's plan to hold values, all or nothing."""
    _require(actor, owner)
    plan = plan_of(owner)
    pickups = _checked_pickups(plan, values.pickup_points)
    zones = _checked_zones(values.zones)
    bands = _checked_bands(values.weight_bands)
    if values.ships_nationwide and not bands:
        raise InvalidDeliveryPlan(_l("Để gửi xa, hãy ghi ít nhất một mức khối lượng và phí của nó."), "weight_bands")
    free_over = values.free_over_vnd
    if free_over is not None and not 0 < free_over <= MAX_FREE_OVER_VND:
        raise InvalidDeliveryPlan(
            _l("Hãy ghi số tiền từ 1 ₫ đến 100.000.000 ₫, hoặc để trống nếu không miễn phí giao."), "free_over"
        )
    untouched = {p.id for p in plan.pickup_points if p.active} - {r.point_id for r in pickups} if plan else set()
    kept_points = [row for row in pickups if not row.remove]
    if not (kept_points or untouched or zones or (values.ships_nationwide and bands)):
        raise InvalidDeliveryPlan(
            _l("Hãy có ít nhất một cách giao: một điểm nhận hàng, một xã/phường tự giao, "
               "hoặc gửi xa với ít nhất một mức khối lượng."),
            "ways",
        )

    created = plan is None
    if created:
        plan = owner.new_plan()
        db.session.add(plan)
    changes = audit.diff(plan, {"ships_nationwide": values.ships_nationwide, "free_over_vnd": free_over})
    changes.update(_apply_pickups(plan, pickups))
    changes.update(_apply_zones(plan, zones))
    changes.update(_apply_bands(plan, bands))
    db.session.flush()
    # Reload the rows in their declared order (the quote rule reads the bands lightest first).
    db.session.expire(plan, ["pickup_points", "zones", "weight_bands"])
    if created or changes:
        audit.record(actor, "delivery_plan.created" if created else "delivery_plan.updated", plan, changes)
    return plan


def save_producer_plan(actor: User, producer: Producer, values: DeliveryPlanValues) -> DeliveryPlan:
    return save_plan(actor, PlanOwner(producer=producer), values)


def save_cooperative_plan(actor: User, cooperative: Cooperative, values: DeliveryPlanValues) -> DeliveryPlan:
    return save_plan(actor, PlanOwner(cooperative=cooperative), values)


def _apply_pickups(plan: DeliveryPlan, rows: list[PickupPointValues]) -> dict:
    points = {p.id: p for p in plan.pickup_points}
    added, changed, stopped = [], [], []
    for row in rows:
        point = points.get(row.point_id) if row.point_id is not None else None
        if row.remove:
            point.active = False
            stopped.append(point.id)
        elif point is None:
            plan.pickup_points.append(PickupPoint(name=row.name, address=row.address, hours=row.hours))
            added.append(row.name)
        elif (point.name, point.address, point.hours) != (row.name, row.address, row.hours):
            point.name, point.address, point.hours = row.name, row.address, row.hours
            changed.append(point.id)
    summary = {"added": added, "changed": changed, "stopped": stopped}
    return {"pickup_points": {k: v for k, v in summary.items() if v}} if any(summary.values()) else {}


def _apply_zones(plan: DeliveryPlan, fees: dict[int, int]) -> dict:
    # Keyed by commune and changed in place: (plan, commune) is unique, so a zone deleted and
    # added again in one flush could collide.
    before = sorted((z.commune_id, z.fee_vnd) for z in plan.zones)
    for zone in list(plan.zones):
        if zone.commune_id not in fees:
            plan.zones.remove(zone)
        else:
            zone.fee_vnd = fees.pop(zone.commune_id)
    for commune_id, fee in fees.items():
        plan.zones.append(LocalDeliveryZone(commune_id=commune_id, fee_vnd=fee))
    after = sorted((z.commune_id, z.fee_vnd) for z in plan.zones)
    return {"zones": [before, after]} if before != after else {}


def _apply_bands(plan: DeliveryPlan, fees: dict[int, int]) -> dict:
    before = sorted((b.up_to_grams, b.fee_vnd) for b in plan.weight_bands)
    for band in list(plan.weight_bands):
        if band.up_to_grams not in fees:
            plan.weight_bands.remove(band)
        else:
            band.fee_vnd = fees.pop(band.up_to_grams)
    for up_to, fee in fees.items():
        plan.weight_bands.append(WeightBand(up_to_grams=up_to, fee_vnd=fee))
    after = sorted((b.up_to_grams, b.fee_vnd) for b in plan.weight_bands)
    return {"weight_bands": [before, after]} if before != after else {}
