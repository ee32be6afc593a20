import pytest

from app.accounts.phone import InvalidPhoneNumber, display_phone, normalize_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(091) 234-5678",
        "+84912345678",
        "+84 912 345 678",
        "(+84) 912.345.678",
        "84912345678",
        "84 912 345 678",
        "+84 (0) 912 345 678",
        "0084 912 345 678",
        "  0912 345 678  ",
        "0912\u00a0345\u00a0678",  # no-break spaces, as pasted from a web page
    ],
)
def test_every_way_of_writing_a_number_gives_the_same_stored_form(typed):
    assert normalize_phone(typed) == "+84912345678"


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0321234567", "+84321234567"),  # Viettel 032
        ("0398765432", "+84398765432"),
        ("0521234567", "+84521234567"),  # Vietnamobile 052
        ("0581234567", "+84581234567"),
        ("0591234567", "+84591234567"),  # Gmobile 059
        ("0701234567", "+84701234567"),  # MobiFone 070
        ("0761234567", "+84761234567"),
        ("0791234567", "+84791234567"),
        ("0812345678", "+84812345678"),  # VinaPhone 081
        ("0849123456", "+84849123456"),
        ("0891234567", "+84891234567"),
        ("0901234567", "+84901234567"),
        ("0999999999", "+84999999999"),
    ],
)
def test_each_mobile_network_is_accepted(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "0312345678",  # 031: no mobile network
        "0512345678",
        "0531234567",
        "0711234567",
        "0751234567",
        "0801234567",
        "0212345678",  # a landline-shaped number
        "0412345678",
        "0612345678",
        "0123456789",  # old 11-digit-era prefix 012
        "+84212345678",
    ],
)
def test_numbers_of_no_mobile_network_are_refused(typed):
    with pytest.raises(InvalidPhoneNumber) as raised:
        normalize_phone(typed)
    assert raised.value.reason == "network"


@pytest.mark.parametrize(
    "typed",
    [
        None,
        "",
        "   ",
        "abc",
        "091234567",  # nine digits
        "09123456789",  # eleven digits
        "912345678",  # no prefix
        "+85512345678",  # Cambodia
        "+1 912 345 678",
        "++84912345678",
        "0912 345 67a",
        "0912/345/678",
        "0912+345678",
        "+8409123456789",
        "00912345678",
        "٠٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "０９１２３４５６７８",  # full-width digits
        "ten@example.com",
    ],
)
def test_malformed_numbers_are_refused(typed):
    with pytest.raises(InvalidPhoneNumber) as raised:
        normalize_phone(typed)
    assert raised.value.reason == "format"


def test_invalid_phone_number_is_a_value_error():
    with pytest.raises(ValueError):
        normalize_phone("12")


def test_stored_number_is_shown_the_way_people_read_it():
    assert display_phone("+84912345678") == "0912 345 678"
    assert display_phone(None) == ""
