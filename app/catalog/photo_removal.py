"""Removing a photo from a listing or a profile: asked first, on a page that works without JavaScript.

A removed photo is gone for good (the seller must choose and upload it again over a slow network),
so "Xoá ảnh" on the edit forms opens a page that shows the photo and says what is lost; only its
POST, carrying CONFIRM_REMOVAL, removes it. A POST without it shows that page again and changes
nothing. The views in catalog.manage load the product or producer and check access; this module
holds what the two kinds of photo share.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.common.errors import RuleBroken
from app.extensions import db

CONFIRM_REMOVAL = "xoa-anh"


def confirmation_page(subject, name: str, photo_id: int, *, form_url: str, action_url: str, status: int = 200):
    """The page that asks; a photo no longer there sends the seller back to the form, told why."""
    photos = list(subject.photos)
    photo = next((p for p in photos if p.id == photo_id), None)
    if photo is None:
        flash(_("Không tìm thấy ảnh này."), "error")
        return redirect(form_url, 303)
    return render_template(
        "manage/photo_remove.html",
        photo=photo,
        name=name,
        is_cover=photo is photos[0],
        is_last=len(photos) == 1,
        form_url=form_url,
        action_url=action_url,
        confirm=CONFIRM_REMOVAL,
    ), status


def remove_if_confirmed(remove: Callable, subject, name: str, photo_id: int, *, form_url: str, action_url: str):
    """Remove the photo when the POST carries the confirmation; otherwise ask again (400)."""
    if request.form.get("confirm") != CONFIRM_REMOVAL:
        return confirmation_page(subject, name, photo_id, form_url=form_url, action_url=action_url, status=400)
    try:
        remove(current_user, subject, photo_id)
    except RuleBroken as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Đã xoá ảnh."), "success")
    return redirect(form_url, 303)
