"""The seller's order forms: one per move, with a reason where the move needs one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from app.common.forms import Form, max_length


class MoveForm(Form):
    """A move of an order. Made with prefix=<move>, so the cancel and the refund forms on one page
    keep their own reason (posted as cancel-reason, refund-reason)."""

    reason = TextAreaField(_l("Lý do"), validators=[max_length(300)])
