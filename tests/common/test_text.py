import pytest

from app.common.text import fold, make_slug, search_tokens, vietnamese_sort_key


@pytest.mark.parametrize(
    "text",
    ["Cam Xã Đoài", "cam xa doai", "CAM XÃ ĐOÀI", "Cam Xa Đoai", "  cam   XÃ  đoài "],
)
def test_every_spelling_folds_to_the_same_words(text):
    assert fold(text) == "cam xa doai"


def test_d_with_stroke_is_folded_by_hand():
    # NFD leaves đ alone; without the explicit mapping "doai" would never match "Đoài".
    assert fold("Đường Đá Đỏ") == "duong da do"


def test_search_tokens_drop_punctuation():
    assert search_tokens("Cốm An Thuận–Hương Toàn!") == ["com", "an", "thuan", "huong", "toan"]


def test_slugs_are_folded_and_hyphenated():
    assert make_slug("Cam Xã Đoài") == "cam-xa-doai"
    assert make_slug("Ổi VietGAP Hương Xuân") == "oi-vietgap-huong-xuan"


def test_vietnamese_alphabetical_order_differs_from_code_point_order():
    names = ["Ổi", "Đu đủ", "Dưa hấu", "Ăn quả", "Bưởi", "Cam", "Ớt", "Ốc", "Xoài", "Anh đào", "Ô mai"]
    expected = ["Anh đào", "Ăn quả", "Bưởi", "Cam", "Dưa hấu", "Đu đủ", "Ô mai", "Ốc", "Ổi", "Ớt", "Xoài"]
    assert sorted(names, key=vietnamese_sort_key) == expected
    assert sorted(names) != expected  # plain sorting puts Đ, Ô, Ơ... after Z


def test_tones_only_break_ties_in_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    words = ["má", "mạ", "mà", "ma", "mã", "mả", "mai"]
    assert sorted(words, key=vietnamese_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]


def test_sort_key_holds_only_digits_so_any_collation_agrees():
    assert vietnamese_sort_key("Quýt Hương Cần 2").isdigit()
