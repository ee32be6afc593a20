"""The `field` and `checkboxes` macros other parts of the site import."""

import re

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FileField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional


class SampleForm(FlaskForm):
    name = StringField("Tên sản phẩm", validators=[DataRequired(message="Hãy nhập tên.")])
    secret = PasswordField("Mật khẩu", validators=[DataRequired()])
    story = TextAreaField("Câu chuyện", validators=[Optional()])
    unit = SelectField("Đơn vị", choices=[SelectChoice("kg", "Kilôgam"), SelectChoice("box", "Thùng")])
    stock = IntegerField("Tồn kho", validators=[NumberRange(min=0, message="Không được âm.")])
    organic = BooleanField("VietGAP")
    photo = FileField("Ảnh")
    photos = MultipleFileField("Nhiều ảnh")
    months = SelectMultipleField(
        "Tháng thu hoạch", choices=[SelectChoice(str(m), f"Tháng {m}") for m in (1, 2, 3)]
    )
    platform = RadioField("Nền tảng", choices=[SelectChoice("facebook", "Facebook"), SelectChoice("youtube", "YouTube")])


def render(app, source, data=None):
    method = "POST" if data is not None else "GET"
    with app.test_request_context("/", method=method, data=data or {}):
        form = SampleForm()
        if data is not None:
            form.validate()
        return render_template_string('{% from "macros/forms.html" import field, checkboxes %}' + source, form=form)


GOOD = {
    "name": "Cam <Xã> Đoài",
    "secret": "bi-mat-123456",
    "story": "Vườn ở thôn Quang Lộc",
    "unit": "box",
    "stock": "12",
    "organic": "y",
    "months": ["1", "3"],
    "platform": "youtube",
}


def test_text_field_keeps_value_escaped_and_has_label(app):
    html = render(app, "{{ field(form.name) }}", GOOD)
    assert '<label for="name">Tên sản phẩm</label>' in html
    assert 'value="Cam &lt;Xã&gt; Đoài"' in html
    assert "field-error" not in html and "aria-invalid" not in html and "aria-describedby" not in html


def test_field_with_error_is_marked(app):
    html = render(app, "{{ field(form.name) }}", {**GOOD, "name": ""})
    assert 'class="field field-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="name-error"' in html
    assert '<p class="error-text" id="name-error">Hãy nhập tên.</p>' in html


def test_hint_is_tied_to_the_input(app):
    html = render(app, '{{ field(form.name, hint="Ví dụ: Cam V2") }}', {**GOOD, "name": ""})
    assert '<p class="hint" id="name-hint">Ví dụ: Cam V2</p>' in html
    assert 'aria-describedby="name-hint name-error"' in html
    html = render(app, '{{ field(form.name, hint="Ví dụ: Cam V2") }}')
    assert 'aria-describedby="name-hint"' in html


def test_extra_attributes_reach_the_input(app):
    html = render(app, '{{ field(form.name, placeholder="Cam", autocomplete="off") }}')
    assert 'placeholder="Cam"' in html and 'autocomplete="off"' in html


def test_password_is_never_sent_back(app):
    html = render(app, "{{ field(form.secret) }}", GOOD)
    assert "bi-mat-123456" not in html
    assert 'type="password"' in html


def test_textarea_select_and_integer_keep_values(app):
    html = render(app, "{{ field(form.story) }}{{ field(form.unit) }}{{ field(form.stock) }}", GOOD)
    assert "Vườn ở thôn Quang Lộc</textarea>" in html
    assert re.search(r'<option selected value="box">|<option value="box" selected>', html)
    assert 'value="12"' in html


def test_integer_typed_wrongly_comes_back_as_typed(app):
    html = render(app, "{{ field(form.stock) }}", {**GOOD, "stock": "mười"})
    assert 'value="mười"' in html
    assert 'class="field field-error"' in html


def test_checkbox_has_its_label_beside_it_and_keeps_its_state(app):
    html = render(app, "{{ field(form.organic) }}", GOOD)
    assert 'type="checkbox"' in html and "checked" in html
    assert "VietGAP" in html
    assert "checked" not in render(app, "{{ field(form.organic) }}", {**GOOD, "organic": ""})


def test_file_fields(app):
    html = render(app, "{{ field(form.photo) }}{{ field(form.photos) }}")
    assert html.count('type="file"') == 2
    assert "multiple" in html


def test_select_multiple_renders_as_checkboxes_keeping_the_choice(app):
    for source in ("{{ field(form.months) }}", "{{ checkboxes(form.months) }}"):
        html = render(app, source, GOOD)
        assert "<legend>Tháng thu hoạch</legend>" in html
        boxes = re.findall(r"<input[^>]*>", html)
        assert len(boxes) == 3
        assert all('type="checkbox"' in box and 'name="months"' in box for box in boxes)
        assert ["checked" in box for box in boxes] == [True, False, True]


def test_radio_field_renders_as_a_group(app):
    html = render(app, "{{ field(form.platform) }}", GOOD)
    boxes = re.findall(r"<input[^>]*>", html)
    assert len(boxes) == 2 and all('type="radio"' in box for box in boxes)
    assert ["checked" in box for box in boxes] == [False, True]


@pytest.mark.parametrize("source", ["{{ field(form.months) }}", "{{ checkboxes(form.months, hint='Chọn các tháng') }}"])
def test_group_with_error_is_marked(app, source):
    html = render(app, source, {**GOOD, "months": ["13"]})
    assert 'class="field field-error"' in html
    assert 'class="error-text" id="months-error"' in html
    assert "months-error" in re.search(r"<fieldset[^>]*>", html).group(0)
