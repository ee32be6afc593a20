"""Rules about places."""

from __future__ import annotations

from app.extensions import db
from app.places.models import Commune


def commune_in_province(commune_id: int | None, province_id: int | None) -> bool:
    """True when no commune is given, or the commune lies in the province given."""
    if commune_id is None:
        return True
    commune = db.session.get(Commune, commune_id)
    return commune is not None and commune.province_id == province_id
