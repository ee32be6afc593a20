"""Forms for listings and producer profiles. They parse what people type; the rules about
what a listing may hold live in catalog.listing and catalog.profiles, whose errors are shown on these fields."""

from __future__ import annotations

import re

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from app.accounts.forms import MobileNumber
from app.catalog.errors import InvalidListing
from app.catalog.listing import check_price, check_stock
from app.catalog.models import ProductStatus, SellingUnit
from app.catalog.queries import ProductFilters, Sort
from app.catalog.units import UNIT_LABELS, InvalidWeight, parse_weight_grams
from app.common.forms import DECIMAL_PAD, Form, MoneyField, WholeNumberField, max_length, optional_id
from app.common.money import InvalidAmount, parse_vnd
from app.common.pagination import page_number
from app.media.rejections import photo_limit_mb

STATUS_LABELS = {
    ProductStatus.DRAFT: _l("Bản nháp (chưa hiện cho người mua)"),
    ProductStatus.ON_SALE: _l("Đang bán"),
    ProductStatus.SOLD_OUT: _l("Hết hàng"),
    ProductStatus.ARCHIVED: _l("Ngừng bán (lưu trữ)"),
}

def _short_month(month: int) -> str:
    """'thg 1' in Vietnamese, 'Jan' in English: the locale's own abbreviation."""
    return get_month_names("abbreviated", locale=get_locale())[month]


MONTH_CHOICES = [SelectChoice(m, LazyString(_short_month, m)) for m in range(1, 13)]


_GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


def parse_whole_number(text: str | None, message) -> int:
    """'1200', '1.200' or '1,200' → 1200; anything with a fraction or a sign is refused."""
    cleaned = (text or "").strip()
    if _GROUPED.fullmatch(cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)
    if not _DIGITS.fullmatch(cleaned):
        raise ValidationError(message)
    return int(cleaned)


# The size limit is the configured one (MAX_IMAGE_BYTES), read when the form is shown.
PHOTOS_HINT = LazyString(
    lambda: _("Ảnh JPEG, PNG hoặc WebP, mỗi ảnh tối đa %(limit)s MB.", limit=photo_limit_mb())
)


class ProductForm(Form):
    producer_id = SelectField(_l("Hồ sơ nhà vườn"), coerce=int, validate_choice=True)
    name = StringField(
        _l("Tên sản phẩm"),
        validators=[InputRequired(_l("Hãy nhập tên sản phẩm.")), max_length(120)],
    )
    # Starts on "— Chọn loại —": a preselected category lists a pomelo as an orange when skipped.
    category_id = SelectField(_l("Loại"), coerce=optional_id)
    unit = SelectField(
        _l("Đơn vị bán"),
        choices=[SelectChoice(u.value, label) for u, label in UNIT_LABELS.items()],
        default=SellingUnit.KG.value,
    )
    net_weight = StringField(
        _l("Khối lượng mỗi đơn vị (kg)"),
        description=_l("Ví dụ: 10 cho một thùng 10 kg, 0,5 cho một túi 500 g. Để trống nếu bán theo kg."),
        render_kw=DECIMAL_PAD,
    )
    price = MoneyField(
        _l("Giá mỗi đơn vị (đồng)"),
        validators=[InputRequired(_l("Hãy nhập giá."))],
        description=_l("Số đồng nguyên, ví dụ 350000 hoặc 350.000."),
    )
    # Starts empty: a stock of 0 typed for the seller hides the product from buyers unnoticed.
    stock = WholeNumberField(
        _l("Số lượng còn (đơn vị)"),
        validators=[InputRequired(_l("Hãy nhập số lượng còn (ghi 0 nếu đã hết)."))],
    )
    # The stock this form showed: the seller's change is applied as a difference from it.
    stock_seen = HiddenField()
    min_order = WholeNumberField(_l("Đặt tối thiểu (đơn vị)"), default="1")
    harvest_months = SelectMultipleField(_l("Tháng thu hoạch"), coerce=int, choices=MONTH_CHOICES)
    certifications = SelectMultipleField(_l("Chứng nhận"), coerce=int)
    status = SelectField(
        _l("Trạng thái"),
        choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        default=ProductStatus.ON_SALE.value,
    )
    description = TextAreaField(
        _l("Mô tả"),
        validators=[Optional(), max_length(5000)],
        description=_l("Viết như nói chuyện với người mua: giống, cách trồng, mùi vị, cách bảo quản."),
    )
    photos = MultipleFileField(_l("Ảnh (tối đa 8)"), description=PHOTOS_HINT)

    # Parsed values, set by the validators below (None where the text could not be read).
    price_vnd: int | None = None
    stock_units: int | None = None
    min_order_units: int | None = None
    net_weight_grams: int | None = None

    def offer_categories(self, choices: list[SelectChoice]) -> None:
        self.category_id.choices = [SelectChoice("", _l("— Chọn loại —"))] + choices

    def validate_category_id(self, field):
        if not field.data:
            raise ValidationError(_l("Hãy chọn loại sản phẩm."))

    # The listing's own rules (catalog.listing) run here too, on each value that could be read,
    # so one submit reports every problem; the service checks them again before saving.
    def validate_price(self, field):
        self.price_vnd = field.amount
        if field.amount is not None:
            _listing_rule(check_price, field.amount)

    def validate_stock(self, field):
        self.stock_units = parse_whole_number(field.data, _l("Số lượng phải là số nguyên, 0 trở lên."))

    @property
    def stock_seen_units(self) -> int | None:
        text = (self.stock_seen.data or "").strip()
        return int(text) if text.isdigit() else None

    def validate_min_order(self, field):
        self.min_order_units = parse_whole_number(field.data or "1", _l("Đặt tối thiểu phải là số nguyên."))

    def validate_net_weight(self, field):
        try:
            self.net_weight_grams = parse_weight_grams(field.data, bare_number_unit="kg")
        except InvalidWeight:
            raise ValidationError(_l("Ghi số kg, ví dụ 10 hoặc 0,5 (hoặc 500 g).")) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.stock_units is not None and self.min_order_units is not None:
            try:
                check_stock(self.stock_units, self.min_order_units)
            except InvalidListing as error:
                field = getattr(self, error.field)
                if not field.errors:
                    field.errors = [*field.errors, str(error.message)]
                valid = False
        return valid


def _listing_rule(rule, *values) -> None:
    try:
        rule(*values)
    except InvalidListing as error:
        raise ValidationError(str(error.message)) from None


class ProducerForm(Form):
    display_name = StringField(
        _l("Tên nhà vườn"),
        validators=[InputRequired(_l("Hãy nhập tên nhà vườn.")), max_length(120)],
    )
    story = TextAreaField(
        _l("Câu chuyện"),
        validators=[Optional(), max_length(5000)],
        description=_l("Vườn của bạn ở đâu, trồng gì, từ bao giờ, vì sao người mua nên tin."),
    )
    province_id = SelectField(_l("Tỉnh/thành phố"), coerce=int)
    commune_id = SelectField(_l("Xã/phường"), coerce=int)
    village = StringField(_l("Thôn/tổ dân phố"), validators=[max_length(120)])
    street = StringField(_l("Số nhà, đường"), validators=[max_length(200)])
    old_district = StringField(
        _l("Địa chỉ cũ (trước 7/2025)"),
        validators=[max_length(120)],
        description=_l("Ví dụ: xã Hương Bình, thị xã Hương Trà. Không bắt buộc."),
    )
    crops = StringField(_l("Cây trồng"), validators=[max_length(500)], description=_l("Ví dụ: cam V2, quýt, thanh trà"))
    harvest_months = SelectMultipleField(_l("Mùa thu hoạch"), coerce=int, choices=MONTH_CHOICES)
    certifications = SelectMultipleField(_l("Chứng nhận"), coerce=int)
    cooperative_id = SelectField(_l("Thuộc hợp tác xã"), coerce=int)
    contact_phone = TelField(_l("Số điện thoại liên hệ"), validators=[MobileNumber()])
    contact_public = BooleanField(_l("Cho người mua thấy số này (nút Gọi và Zalo)"))
    photos = MultipleFileField(_l("Ảnh vườn (tối đa 8)"), description=PHOTOS_HINT)



def parse_filters(args) -> tuple[ProductFilters, int, dict[str, str]]:
    """Product-list filters from the query string, the page number, and any errors.

    A value that cannot be read is left out of the filter and reported, so the list still
    shows and the visitor sees what to correct.
    """
    errors: dict[str, str] = {}
    prices: dict[str, int | None] = {}
    for key in ("price_min", "price_max"):
        raw = (args.get(key) or "").strip()
        prices[key] = None
        if raw:
            try:
                prices[key] = parse_vnd(raw)
            except InvalidAmount:
                errors[key] = str(_l("Giá phải là số đồng nguyên, ví dụ 100000 hoặc 100.000."))
    low, high = prices["price_min"], prices["price_max"]
    if low is not None and high is not None and low > high:
        errors["price_max"] = str(_l("Giá đến phải lớn hơn hoặc bằng giá từ."))
        prices["price_max"] = None
    try:
        sort = Sort(args["sort"]) if args.get("sort") else None
    except ValueError:
        sort = None
    page = page_number(args)
    filters = ProductFilters(
        q=(args.get("q") or "").strip()[:200],
        category=args.get("category") or None,
        province=args.get("province") or None,
        commune=args.get("commune") or None,
        certification=args.get("cert") or None,
        price_min=prices["price_min"],
        price_max=prices["price_max"],
        in_stock=args.get("in_stock") in {"1", "on", "true"},
        sort=sort,
    )
    return filters, page, errors
