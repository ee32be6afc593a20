"""The officer's answer to a likely duplicate: "checked, not the same household". Never a merge.

Both households go through the access rule: either one outside the officer's communes is 404,
with the refusal logged and committed.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import TextAreaField
from wtforms.validators import Length

from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.extensions import db
from app.households import duplicates
from app.households.access import HouseholdNotFound, require_household
from app.households.models import AccessAction

bp = Blueprint("household_duplicates", __name__, url_prefix="/ho-ho-tro")
declare(bp, Audience.OFFICER)

SEE_OTHER = 303


class NotDuplicateForm(FlaskForm):
    note = TextAreaField(validators=[Length(max=duplicates.NOTE_LIMIT)])


def _household(household_id: int):
    try:
        return require_household(current_user, household_id, AccessAction.UPDATE)
    except HouseholdNotFound:
        db.session.commit()  # the refusal's log entry
        abort(404)


@bp.post("/<int:household_id>/trung/<int:other_id>")
def mark_not_duplicate(household_id: int, other_id: int):
    household = _household(household_id)
    other = _household(other_id)
    back = redirect(url_for("households.household_detail", household_id=household.id, _anchor="trung"), SEE_OTHER)
    form = NotDuplicateForm()
    if not form.validate():
        db.session.rollback()
        flash(_("Ghi chú tối đa %(limit)d ký tự.", limit=duplicates.NOTE_LIMIT), "error")
        return back
    try:
        duplicates.mark_not_duplicate(current_user, household, other, form.note.data or "")
        db.session.commit()
    except RuleBroken as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return back
    except IntegrityError:
        db.session.rollback()  # another officer recorded the same pair a moment before: it is done
    flash(_("Đã ghi: %(code)s không trùng với %(other)s.", code=household.code, other=other.code), "success")
    return back
