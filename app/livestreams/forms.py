"""The host's livestream form. It parses what was typed; the rules (times, links, featured
products) live in livestreams.scheduling, whose errors come back on these fields."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField, URLField
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from app.common.errors import RuleBroken
from app.common.forms import Form, max_length, show_error
from app.common.timezone import local_to_utc, utcnow
from app.livestreams.links import PLATFORM_NAMES, InvalidLink, check_live_link
from app.livestreams.models import Livestream, Platform
from app.livestreams.scheduling import check_schedule, check_title
from app.media.rejections import photo_limit_mb

# Browsers send "2026-11-29T19:00"; a phone without a date picker lets people type the Vietnamese way.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M"]

AUTO_PLATFORM = ""
PLATFORM_CHOICES = [SelectChoice(AUTO_PLATFORM, _l("Tự nhận từ liên kết"))] + [
    SelectChoice(p.value, PLATFORM_NAMES[p] if p != Platform.OTHER else _l("Trang khác")) for p in Platform
]


class LivestreamForm(Form):
    title = StringField(
        _l("Tên buổi livestream"),
        validators=[InputRequired(_l("Hãy đặt tên cho buổi livestream.")), max_length(120)],
        description=_l("Ví dụ: Phiên chợ cam Xã Đoài tối thứ Bảy"),
    )
    description = TextAreaField(
        _l("Giới thiệu"),
        validators=[Optional(), max_length(5000)],
        description=_l("Buổi này bán gì, có ưu đãi gì, ai dẫn."),
    )
    platform = SelectField(_l("Nền tảng"), choices=PLATFORM_CHOICES, default=AUTO_PLATFORM)
    url = URLField(
        _l("Liên kết buổi livestream"),
        validators=[InputRequired(_l("Hãy dán liên kết của buổi livestream.")), max_length(500)],
        description=_l("Liên kết https:// của buổi phát trên Facebook, YouTube, TikTok hoặc Zalo."),
    )
    starts_at = DateTimeLocalField(
        _l("Bắt đầu (giờ Việt Nam)"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(_l("Hãy chọn giờ bắt đầu."))],
        description=_l("Ví dụ 29/11/2026 19:00. Giờ trưa và buổi tối thường có nhiều người xem."),
    )
    ends_at = DateTimeLocalField(
        _l("Kết thúc (giờ Việt Nam)"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(_l("Hãy chọn giờ kết thúc."))],
    )
    featured = SelectMultipleField(_l("Sản phẩm giới thiệu"), coerce=int, validate_choice=False)
    pinned = SelectField(_l("Sản phẩm ghim"), coerce=int, validate_choice=False, default=0)
    cover = FileField(_l("Ảnh bìa"), description=LazyString(
        lambda: _("Ảnh ngang, JPEG, PNG hoặc WebP, tối đa %(limit)s MB.", limit=photo_limit_mb())
    ))
    remove_cover = BooleanField(_l("Bỏ ảnh bìa"))
    replay_url = URLField(
        _l("Liên kết xem lại"),
        validators=[Optional(), max_length(500)],
        description=_l("Sau buổi phát, dán liên kết video xem lại (https://)."),
    )

    # The live being edited (None for a new one): whether its start may still move depends on it.
    live: Livestream | None = None

    # The schedule's own rules (livestreams.scheduling) run here on every value that could be read,
    # so one submit reports an empty title and a start in the past together; the service checks
    # them again before saving.
    def validate_title(self, field):
        try:
            check_title(field.data)
        except RuleBroken as error:
            raise ValidationError(str(error.message)) from None

    def validate_url(self, field):
        try:
            chosen = self.platform_value()
        except ValueError:
            return  # a platform not offered: the platform box says so
        try:
            check_live_link(field.data, chosen)
        except InvalidLink as error:
            raise ValidationError(str(error.message)) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.starts_at.data is not None and self.ends_at.data is not None:
            try:
                check_schedule(local_to_utc(self.starts_at.data), local_to_utc(self.ends_at.data), utcnow(), self.live)
            except RuleBroken as error:
                show_error(self, error)
                valid = False
        return valid

    def platform_value(self) -> Platform | None:
        return Platform(self.platform.data) if self.platform.data else None

    def featured_in_order(self, formdata) -> list[int]:
        """The ticked products, ordered by the numbers typed in their "Thứ tự" boxes.

        Products without a number keep the list's order, after the numbered ones: ticking one
        more product puts it at the end without renumbering the rest.
        """
        ticked = list(dict.fromkeys(self.featured.data or []))
        numbered, unnumbered = [], []
        for index, product_id in enumerate(ticked):
            raw = (formdata.get(f"position-{product_id}") or "").strip()
            if raw.isdigit():
                numbered.append((int(raw), index, product_id))
            else:
                unnumbered.append(product_id)
        return [product_id for _, _, product_id in sorted(numbered)] + unnumbered
