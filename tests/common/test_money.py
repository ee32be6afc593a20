import pytest

from app.common.money import InvalidAmount, format_vnd, parse_vnd


def test_vietnamese_and_english_formats():
    assert format_vnd(1_500_000, "vi") == "1.500.000\u00a0₫"
    assert format_vnd(1_500_000, "en") == "₫1,500,000"


@pytest.mark.parametrize("text", ["150000", "150.000", "150,000", "150.000 ₫", " 150000đ ", "150000 VND"])
def test_amounts_as_people_type_them(text):
    assert parse_vnd(text) == 150_000


@pytest.mark.parametrize("text", ["", "abc", "12.5", "1,5", "-5000", "150.00", "1.500,000", "1e6"])
def test_fractions_signs_and_words_are_refused(text):
    with pytest.raises(InvalidAmount):
        parse_vnd(text)
