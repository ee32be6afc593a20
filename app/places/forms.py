"""Address choices shared by every form that asks where something is."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.common.text import vietnamese_sort_key
from app.extensions import db
from app.places.models import Commune, Province


def fill_place_choices(form) -> None:
    """Province and commune options, in Vietnamese alphabetical order, on form.province_id and
    form.commune_id. Without JavaScript every commune is listed; the service checks the pair."""
    provinces = sorted(db.session.execute(sa.select(Province)).scalars(), key=lambda p: vietnamese_sort_key(p.name))
    communes = sorted(db.session.execute(sa.select(Commune)).scalars(), key=lambda c: vietnamese_sort_key(c.name))
    form.province_id.choices = [SelectChoice(0, _("— Chọn tỉnh/thành —"))] + [
        SelectChoice(p.id, p.name) for p in provinces
    ]
    form.commune_id.choices = [SelectChoice(0, _("— Chọn xã/phường —"))] + [
        SelectChoice(c.id, c.name) for c in communes
    ]


def default_province_id() -> int:
    """Huế: where the market's farmers are."""
    return db.session.execute(sa.select(Province.id).where(Province.slug == "hue")).scalar() or 0
