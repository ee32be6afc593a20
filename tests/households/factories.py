"""Households for tests: officers with their communes, admins, and households made directly.

Most tests make households through the registry service, as the site does; the factory here is
for tests about reading and access, where how the row was made does not matter.
"""

from __future__ import annotations

import factory
from sqlalchemy import select

from app.accounts.models import Role
from app.common.text import fold
from app.extensions import db
from app.households.models import AreaType, HouseholdGroup, OfficerAssignment, SupportedHousehold
from app.households.registry import HouseholdValues
from tests.factories import BaseFactory, UserFactory, commune, hue

OTHER_COMMUNE = "xa-binh-dien"  # an officer of Phường Hương Trà does not cover it


def group(code: str = "ho_ngheo_can_ngheo") -> HouseholdGroup:
    return db.session.execute(select(HouseholdGroup).filter_by(code=code)).scalar_one()


def officer(*communes):
    """An officer assigned to the communes given (slugs or Commune rows); Phường Hương Trà by default."""
    user = UserFactory(roles=[Role.OFFICER])
    for place in communes or ("phuong-huong-tra",):
        place = commune(place) if isinstance(place, str) else place
        db.session.add(OfficerAssignment(user_id=user.id, commune_id=place.id))
    db.session.flush()
    return user


def admin():
    return UserFactory(roles=[Role.ADMIN])


class HouseholdFactory(BaseFactory):
    class Meta:
        model = SupportedHousehold

    code = factory.Sequence(lambda n: f"HT-{n:04d}")
    head_name = factory.Sequence(lambda n: f"Hồ Văn Lộc {n}")
    head_name_key = factory.LazyAttribute(lambda o: fold(o.head_name))
    province = factory.LazyFunction(hue)
    commune = factory.LazyFunction(commune)
    village = "Thôn Quang Lộc"
    area_type = AreaType.RURAL
    group = factory.LazyFunction(group)


def household_values(**changes):
    """What an officer types for a household in Phường Hương Trà, with changes."""
    place = commune(changes.pop("commune", "phuong-huong-tra"))
    fields = dict(
        code="HT-0001", head_name="Hồ Thị Mai", province_id=place.province_id, commune_id=place.id,
        area_type="rural", group_id=group().id, village="Thôn Quang Lộc", street="12 kiệt 5 Lý Thái Tổ",
        phone="0912 345 678", notes="Chồng mất năm 2024",
    )
    fields.update(changes)
    return HouseholdValues(**fields)
