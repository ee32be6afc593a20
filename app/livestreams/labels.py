"""What a live's status is called on every page, in the visitor's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.livestreams.models import Status

STATUS_LABELS = {
    Status.UPCOMING: _l("Sắp diễn ra"),
    Status.LIVE: _l("Đang phát"),
    Status.ENDED: _l("Đã kết thúc"),
    Status.CANCELLED: _l("Đã huỷ"),
}
