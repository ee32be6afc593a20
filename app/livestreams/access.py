"""Who may host lives: a cooperative's managers for the cooperative, whoever manages a producer for the producer.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.catalog.access import may_manage_producer, producers_managed_by
from app.catalog.models import Producer
from app.common.errors import NotAllowed
from app.cooperatives.access import managed_by, may_edit_cooperative
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.models import (
    Livestream,
)

Host = Cooperative | Producer


def may_host(user: User | None, host: Host) -> bool:
    """A cooperative's lives are run by its managers; a producer's by whoever manages the producer."""
    if isinstance(host, Cooperative):
        return may_edit_cooperative(user, host)
    return may_manage_producer(user, host)


def may_manage(user: User | None, live: Livestream) -> bool:
    return may_host(user, live.host)


def require_host(user: User | None, host: Host) -> None:
    if not may_host(user, host):
        raise NotAllowed(_l("Bạn không có quyền quản lý livestream của %(host)s.", host=str(host)))


def hosts_for(user: User) -> list[Host]:
    """The cooperatives and producers this person may run lives for, cooperatives first."""
    if user.has_role(Role.ADMIN):
        cooperatives = list(db.session.execute(sa.select(Cooperative).order_by(Cooperative.name)).scalars())
    else:
        cooperatives = managed_by(user)
    return [*cooperatives, *producers_managed_by(user)]


def host_key(host: Host) -> str:
    """How a host is named in a form or a URL: "c12" for a cooperative, "p7" for a producer."""
    return f"{'c' if isinstance(host, Cooperative) else 'p'}{host.id}"


def host_by_key(key: str | None) -> Host | None:
    if not key or len(key) < 2 or key[0] not in "cp" or not key[1:].isdigit():
        return None
    model = Cooperative if key[0] == "c" else Producer
    return db.session.get(model, int(key[1:]))
