"""The seller's side of the catalogue: producers and cooperative managers edit listings here.

Each view loads, checks access, calls catalog.listing or catalog.profiles and commits once. A rule
broken in a service comes back as an error on the form field concerned, with everything typed kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Role
from app.catalog import access, listing, photo_removal, profiles, queries, stock
from app.catalog.forms import ProducerForm, ProductForm
from app.catalog.models import (
    Category,
    Certification,
    Producer,
    Product,
    ProductStatus,
    SellingUnit,
    mask_to_months,
)
from app.catalog.sections import seller_dashboard
from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.common.i18n import current_language
from app.common.pagination import page_number, paginate
from app.extensions import db
from app.media.kept import ChosenPhotos
from app.media.rejections import ImageRejected
from app.places.forms import default_province_id, fill_place_choices

bp = Blueprint("manage", __name__, url_prefix="/quan-ly")
# Buyers and officers who open it get the page that says how to start selling (main.errors).
declare(bp, Audience.SELLER)

DASHBOARD_PAGE_SIZE = 50

# Service rules name the field they concern; these are the form's names for them.
FIELD_NAMES = {"category": "category_id", "commune": "commune_id"}


# What a seller can get wrong on a form with photos; shown on the form, never a 500.
FORM_ERRORS = (RuleBroken, ImageRejected)


def _chosen_photos(form) -> ChosenPhotos:
    return ChosenPhotos(form.photos, current_user.id, listing.MAX_PHOTOS)


def _keep_photos_of_failed_form(form, photos: ChosenPhotos) -> int:
    """The form goes back with errors: keep the photos that passed the checks, so the seller
    does not choose and upload them again. Returns the status to answer with."""
    photos.explain()
    if not (form.errors or form.form_errors):
        return 200
    photos.keep()
    db.session.commit()
    return 400


def _certification_choices() -> list[SelectChoice]:
    rows = db.session.execute(sa.select(Certification).order_by(Certification.position)).scalars()
    return [SelectChoice(c.id, c.name(current_language())) for c in rows]


@bp.get("/")
def dashboard():
    producers = access.producers_managed_by(current_user)
    ids = sa.select(Product.id).where(Product.producer_id.in_([p.id for p in producers]))
    products = paginate(
        sa.select(Product)
        .where(Product.id.in_(ids))
        .options(*queries.listing_options())
        .order_by(Product.updated_at.desc(), Product.id.desc()),
        ids,
        page_number(request.args),
        DASHBOARD_PAGE_SIZE,
    )
    return render_template(
        "manage/dashboard.html",
        producers=producers,
        products=products,
        cooperatives=access.cooperatives().managed(current_user),
        may_create_producer=access.may_create_producer(current_user),
        sections=[section for section in seller_dashboard.call_each(current_user, producers) if section],
    )


# --- Products ------------------------------------------------------------------------------


def _product_form(producers: list[Producer], product: Product | None = None) -> ProductForm:
    form = ProductForm(obj=None)
    form.producer_id.choices = [SelectChoice(p.id, p.display_name) for p in producers]
    form.offer_categories([
        SelectChoice(c.id, c.name(current_language()))
        for c in db.session.execute(sa.select(Category).order_by(Category.position)).scalars()
    ])
    form.certifications.choices = _certification_choices()
    if request.method == "GET" and product is not None:
        form.producer_id.data = product.producer_id
        form.name.data = product.name
        form.category_id.data = product.category_id
        form.unit.data = product.unit.value
        form.net_weight.data = _weight_text(product.net_weight_grams)
        form.price.data = product.price_vnd
        form.stock.data = str(product.stock)
        form.stock_seen.data = str(product.stock)
        form.min_order.data = str(product.min_order)
        form.harvest_months.data = mask_to_months(product.harvest_months)
        form.certifications.data = [c.id for c in product.certifications]
        form.status.data = product.status.value
        form.description.data = product.description
    return form


def _weight_text(grams: int | None) -> str:
    if not grams:
        return ""
    return f"{grams // 1000} kg" if grams % 1000 == 0 else f"{grams} g"


def _listing_values(form: ProductForm) -> listing.ListingValues:
    return listing.ListingValues(
        name=form.name.data,
        category_id=form.category_id.data,
        unit=SellingUnit(form.unit.data),
        price_vnd=form.price_vnd,
        stock=form.stock_units,
        stock_seen=form.stock_seen_units,
        min_order=form.min_order_units,
        net_weight_grams=form.net_weight_grams,
        description=form.description.data or "",
        harvest_months=form.harvest_months.data or [],
        status=ProductStatus(form.status.data),
        certification_ids=form.certifications.data or [],
    )


@bp.route("/san-pham/moi", methods=["GET", "POST"])
def new_product():
    producers = access.producers_managed_by(current_user)
    if not producers:
        flash(_("Hãy tạo hồ sơ nhà vườn trước khi đăng sản phẩm."), "error")
        return redirect(url_for("manage.dashboard"))
    form = _product_form(producers)
    if request.method == "GET" and request.args.get("producer", "").isdigit():
        form.producer_id.data = int(request.args["producer"])
    photos = _chosen_photos(form)
    if form.validate_on_submit() and photos.usable:
        producer = next(p for p in producers if p.id == form.producer_id.data)
        try:
            product = listing.create_product(current_user, producer, _listing_values(form))
            listing.add_product_photos(current_user, product, photos.images())
        except FORM_ERRORS as error:
            db.session.rollback()
            show_error(form, _as_field_error(error), FIELD_NAMES)
        else:
            db.session.commit()
            flash(_("Đã đăng sản phẩm “%(name)s”.", name=product.name), "success")
            return redirect(url_for("manage.edit_product", product_id=product.id))
    return _render_product_form(form, None, photos)


def _as_field_error(error):
    if isinstance(error, ImageRejected):
        return RuleBroken(error.message, "photos")
    return error


def _render_product_form(form: ProductForm, product: Product | None, photos: ChosenPhotos):
    status = _keep_photos_of_failed_form(form, photos)
    history = stock.movements(product, limit=20) if product is not None else []
    return render_template(
        "manage/product_form.html", form=form, product=product, stock_history=history, photos=photos
    ), status


def _product_for_edit(product_id: int) -> Product:
    product = db.session.execute(
        sa.select(Product)
        .where(Product.id == product_id)
        .options(selectinload(Product.photos), selectinload(Product.certifications))
    ).scalar_one_or_none()
    if product is None:
        abort(404)
    if not access.may(current_user, access.Action.EDIT_PRODUCT, product.producer):
        abort(403)
    return product


@bp.route("/san-pham/<int:product_id>/sua", methods=["GET", "POST"])
def edit_product(product_id: int):
    product = _product_for_edit(product_id)
    form = _product_form([product.producer], product)
    photos = _chosen_photos(form)
    if form.validate_on_submit() and photos.usable:
        try:
            listing.update_product(current_user, product, _listing_values(form))
            listing.add_product_photos(current_user, product, photos.images())
        except FORM_ERRORS as error:
            db.session.rollback()
            product = _product_for_edit(product_id)
            show_error(form, _as_field_error(error), FIELD_NAMES)
        else:
            db.session.commit()
            flash(_("Đã lưu thay đổi."), "success")
            return redirect(url_for("manage.edit_product", product_id=product.id))
    return _render_product_form(form, product, photos)


def _product_photo_urls(product_id: int, photo_id: int) -> dict:
    return {"form_url": url_for("manage.edit_product", product_id=product_id),
            "action_url": url_for("manage.delete_product_photo", product_id=product_id, photo_id=photo_id)}


@bp.get("/san-pham/<int:product_id>/anh/<int:photo_id>/xoa")
def confirm_delete_product_photo(product_id: int, photo_id: int):
    product = _product_for_edit(product_id)
    return photo_removal.confirmation_page(product, product.name, photo_id, **_product_photo_urls(product_id, photo_id))


@bp.post("/san-pham/<int:product_id>/anh/<int:photo_id>/xoa")
def delete_product_photo(product_id: int, photo_id: int):
    product = _product_for_edit(product_id)
    return photo_removal.remove_if_confirmed(listing.remove_product_photo, product, product.name, photo_id,
                                             **_product_photo_urls(product_id, photo_id))


@bp.post("/san-pham/<int:product_id>/anh/<int:photo_id>/dau")
def cover_product_photo(product_id: int, photo_id: int):
    product = _product_for_edit(product_id)
    listing.make_cover_photo(current_user, product, photo_id)
    db.session.commit()
    return redirect(url_for("manage.edit_product", product_id=product_id), 303)


# --- Producer profiles ---------------------------------------------------------------------


def _cooperative_choices(current: int | None) -> list[SelectChoice]:
    allowed = None
    if not current_user.has_role(Role.ADMIN):
        allowed = access.managed_cooperative_ids(current_user) | ({current} if current else set())
    none = SelectChoice(0, _("— Không thuộc hợp tác xã —"))
    return [none] + [SelectChoice(id_, name) for id_, name in access.cooperatives().choices(allowed)]


def _producer_form(producer: Producer | None = None) -> ProducerForm:
    form = ProducerForm()
    fill_place_choices(form)
    form.certifications.choices = _certification_choices()
    form.cooperative_id.choices = _cooperative_choices(producer.cooperative_id if producer else None)
    if request.method == "GET" and producer is not None:
        for name in ("display_name", "story", "village", "street", "old_district", "crops", "contact_phone"):
            getattr(form, name).data = getattr(producer, name)
        form.province_id.data = producer.province_id or 0
        form.commune_id.data = producer.commune_id or 0
        form.cooperative_id.data = producer.cooperative_id or 0
        form.harvest_months.data = mask_to_months(producer.harvest_months)
        form.certifications.data = [c.id for c in producer.certifications]
        form.contact_public.data = producer.contact_public
    elif request.method == "GET":
        form.province_id.data = default_province_id()
        managed = sorted(access.managed_cooperative_ids(current_user))
        if managed and not current_user.has_role(Role.PRODUCER):
            form.cooperative_id.data = managed[0]
    return form


def _producer_values(form: ProducerForm) -> profiles.ProducerValues:
    return profiles.ProducerValues(
        display_name=form.display_name.data,
        story=form.story.data or "",
        province_id=form.province_id.data or None,
        commune_id=form.commune_id.data or None,
        village=form.village.data or "",
        street=form.street.data or "",
        old_district=form.old_district.data or "",
        crops=form.crops.data or "",
        harvest_months=form.harvest_months.data or [],
        contact_phone=form.contact_phone.data,
        contact_public=form.contact_public.data,
        cooperative_id=form.cooperative_id.data or None,
        certification_ids=form.certifications.data or [],
    )


def _render_producer_form(form: ProducerForm, producer: Producer | None, photos: ChosenPhotos):
    status = _keep_photos_of_failed_form(form, photos)
    return render_template("manage/producer_form.html", form=form, producer=producer, photos=photos), status


def _producer_for_edit(producer_id: int) -> Producer:
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        abort(404)
    if not access.may(current_user, access.Action.EDIT_PRODUCER, producer):
        abort(403)
    return producer


@bp.route("/nha-vuon/moi", methods=["GET", "POST"])
def new_producer():
    if not access.may_create_producer(current_user):
        abort(403)
    form = _producer_form()
    photos = _chosen_photos(form)
    if form.validate_on_submit() and photos.usable:
        values = _producer_values(form)
        # A producer's first profile is their own; a manager's new profile is a member's.
        own = current_user.has_role(Role.PRODUCER) and not db.session.execute(
            sa.select(Producer.id).where(Producer.user_id == current_user.id)
        ).first()
        try:
            producer = profiles.create_producer(current_user, values, owner=current_user if own else None)
            profiles.add_producer_photos(current_user, producer, photos.images())
        except FORM_ERRORS as error:
            db.session.rollback()
            show_error(form, _as_field_error(error), FIELD_NAMES)
        else:
            db.session.commit()
            flash(_("Đã tạo hồ sơ “%(name)s”.", name=producer.display_name), "success")
            return redirect(url_for("manage.dashboard"))
    return _render_producer_form(form, None, photos)


@bp.route("/nha-vuon/<int:producer_id>/sua", methods=["GET", "POST"])
def edit_producer(producer_id: int):
    producer = _producer_for_edit(producer_id)
    form = _producer_form(producer)
    photos = _chosen_photos(form)
    if form.validate_on_submit() and photos.usable:
        try:
            profiles.update_producer(current_user, producer, _producer_values(form))
            profiles.add_producer_photos(current_user, producer, photos.images())
        except FORM_ERRORS as error:
            db.session.rollback()
            producer = _producer_for_edit(producer_id)
            show_error(form, _as_field_error(error), FIELD_NAMES)
        else:
            db.session.commit()
            flash(_("Đã lưu hồ sơ."), "success")
            return redirect(url_for("manage.edit_producer", producer_id=producer.id))
    return _render_producer_form(form, producer, photos)


def _producer_photo_urls(producer_id: int, photo_id: int) -> dict:
    return {"form_url": url_for("manage.edit_producer", producer_id=producer_id),
            "action_url": url_for("manage.delete_producer_photo", producer_id=producer_id, photo_id=photo_id)}


@bp.get("/nha-vuon/<int:producer_id>/anh/<int:photo_id>/xoa")
def confirm_delete_producer_photo(producer_id: int, photo_id: int):
    producer = _producer_for_edit(producer_id)
    return photo_removal.confirmation_page(producer, producer.display_name, photo_id,
                                           **_producer_photo_urls(producer_id, photo_id))


@bp.post("/nha-vuon/<int:producer_id>/anh/<int:photo_id>/xoa")
def delete_producer_photo(producer_id: int, photo_id: int):
    producer = _producer_for_edit(producer_id)
    return photo_removal.remove_if_confirmed(profiles.remove_producer_photo, producer, producer.display_name,
                                             photo_id, **_producer_photo_urls(producer_id, photo_id))
