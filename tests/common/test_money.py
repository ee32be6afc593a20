import pytest

from app.common.money import InvalidAmount, format_vnd, group_vnd, parse_vnd


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


@pytest.mark.parametrize(
    ("text", "reason"),
    [("-150.000", "negative"), ("12.5", "fraction"), ("150.000,50", "fraction"), ("1,5", "fraction"),
     ("abc", "format"), ("1.500,000", "format"), ("", "format")],
)
def test_a_refusal_says_why(text, reason):
    with pytest.raises(InvalidAmount) as refused:
        parse_vnd(text)
    assert refused.value.reason == reason


@pytest.mark.parametrize("text", ["150 000", "150.000 đ", "150.000đ", "150.000 ₫", "150000 vnđ"])
def test_spaces_and_the_dong_sign_are_read(text):
    assert parse_vnd(text) == 150_000


def test_amounts_are_shown_again_grouped_with_dots():
    assert [group_vnd(n) for n in (0, 999, 1000, 1_500_000)] == ["0", "999", "1.000", "1.500.000"]
