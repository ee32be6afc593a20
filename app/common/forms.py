"""Form helpers shared by every domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length


def max_length(limit: int) -> Length:
    """A length check whose message is in the visitor's language (WTForms has no Vietnamese)."""
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự.", max=limit))
