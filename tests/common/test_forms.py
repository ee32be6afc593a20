"""One helper puts a broken rule on a form: under its field, or at the top when there is none."""

from __future__ import annotations

import pytest
from wtforms import StringField

from app.catalog.errors import InvalidListing
from app.common.errors import NotAllowed, RuleBroken
from app.common.forms import Form, MoneyField, show_error


class NameForm(Form):
    name = StringField()
    category_id = StringField()


@pytest.fixture
def form(app):
    with app.test_request_context():
        yield NameForm(meta={"csrf": False})


def test_an_error_naming_a_field_goes_under_that_field(form):
    show_error(form, InvalidListing("Hãy nhập tên sản phẩm.", "name"))
    assert form.name.errors == ["Hãy nhập tên sản phẩm."]
    assert form.form_errors == []


def test_a_service_name_is_mapped_to_the_forms_name(form):
    show_error(form, RuleBroken("Hãy chọn loại sản phẩm.", "category"), {"category": "category_id"})
    assert form.category_id.errors == ["Hãy chọn loại sản phẩm."]


def test_an_error_without_a_field_goes_to_the_top_of_the_form(form):
    show_error(form, NotAllowed("Bạn không có quyền sửa sản phẩm của nhà vườn này."))
    assert form.form_errors == ["Bạn không có quyền sửa sản phẩm của nhà vườn này."]
    assert not form.name.errors


def test_an_error_naming_a_field_the_form_lacks_goes_to_the_top(form):
    show_error(form, RuleBroken("Xã/phường không thuộc tỉnh/thành đã chọn.", "commune"))
    show_error(form, RuleBroken("Không phải ô nhập.", "meta"))  # an attribute, not a field
    assert form.form_errors == ["Xã/phường không thuộc tỉnh/thành đã chọn.", "Không phải ô nhập."]


def test_errors_add_to_what_validation_found(form):
    form.name.errors = ["Ô này cần được điền."]
    show_error(form, InvalidListing("Tên sản phẩm tối đa 120 ký tự.", "name"))
    assert form.name.errors == ["Ô này cần được điền.", "Tên sản phẩm tối đa 120 ký tự."]


def test_named_errors_are_the_one_error_type():
    from app.cooperatives.services import InvalidCooperative
    from app.livestreams.lifecycle import TransitionNotAllowed
    from app.livestreams.scheduling import InvalidSchedule

    for error in (InvalidListing, InvalidCooperative, InvalidSchedule, TransitionNotAllowed, NotAllowed):
        assert issubclass(error, RuleBroken)


class PriceForm(Form):
    price = MoneyField()
    income = MoneyField(read=False)


@pytest.mark.parametrize(
    ("typed", "amount", "message"),
    [
        ("150.000 đ", 150_000, None),
        ("150 000", 150_000, None),
        ("", None, None),
        ("-5.000", None, "Số tiền không thể âm."),
        ("12,5", None, "Tiền đồng không có số lẻ: hãy ghi số đồng nguyên, ví dụ 150.000."),
        ("abc", None, "Hãy nhập số đồng nguyên, ví dụ 1.500.000."),
    ],
)
def test_a_money_box_reads_with_the_one_rule_and_explains(app, typed, amount, message):
    with app.test_request_context("/", method="POST", data={"price": typed}):
        form = PriceForm(meta={"csrf": False})
        assert form.validate() is (message is None)
        assert form.price.amount == amount
        assert form.price.errors == ([message] if message else [])


def test_a_money_box_shows_amounts_grouped_and_bad_text_as_typed(app):
    with app.test_request_context("/", method="POST", data={"price": "1500000", "income": "mười"}):
        form = PriceForm(meta={"csrf": False})
        assert form.validate()  # income is read by its service, not here
        assert 'value="1.500.000"' in form.price() and 'value="mười"' in form.income()
        assert 'inputmode="numeric"' in form.price() and "data-money" in form.price()


def test_error_links_name_every_box_in_rows_too(app):
    from app.orders.delivery_forms import DeliveryPlanForm

    with app.test_request_context("/", method="POST", data={"weight_bands-0-up_to": "nặng", "weight_bands-0-fee": "1"}):
        form = DeliveryPlanForm(meta={"csrf": False})
        form.validate()
        assert [link for link, _message in form.error_links()] == ["weight_bands-0-up_to"]
        assert form.error_count() == 1
