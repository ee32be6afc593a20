"""VietQR texts, their memo, the bank list and the QR image: pure functions, no database."""

from __future__ import annotations

import itertools
import re

import pytest
import segno

from app.payments.banks import Bank, all_banks, bank_by_bin, choices
from app.payments.errors import InvalidTransferDetails
from app.payments.vietqr import (
    MEMO_MAX_LENGTH,
    build_payload,
    crc16_ccitt_false,
    parse_payload,
    qr_svg,
    transfer_memo,
)

# Real codes from the vietnam-qr-pay library (github.com/xuannghia/vietnam-qr-pay, MIT):
# test/test-vietqr.spec.ts and the README's encode and decode examples. Each one is a code its
# tests decode and rebuild character for character.
ACB_DYNAMIC = (  # ACB 257678859, 1.000 ₫, memo "Chuyen tien" (test-vietqr.spec.ts, README "Decode")
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
    "5303704540410005802VN62150811Chuyen tien6304BBB8"
)
ACB_DYNAMIC_10000 = (  # the same account, 10.000 ₫ (README "VietQR Động")
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
    "53037045405100005802VN62150811Chuyen tien630453E6"
)
ACB_STATIC = (  # the same account, no amount, no memo (README "VietQR Tĩnh")
    "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
)
TECHCOMBANK_STATIC = (  # its CRC is 0x283: the leading zero must be kept ("CRC with three-byte")
    "00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283"
)
MBBANK_LOWER_CASE_CRC = (  # as MBBank's app writes it, CRC in lower case ("MBBank QR with lowercase CRC")
    "00020101021138540010A00000072701240006970422011003523509170208QRIBFTTA53037045802VN630479db"
)

VIETCOMBANK = "970436"
ACCOUNT = "0071000123456"


def encode(fields: dict) -> str:
    """An independent encoder for the expected fields: ID, two-digit length, value."""
    out = ""
    for field_id, value in fields.items():
        text = encode(value) if isinstance(value, dict) else value
        out += f"{field_id}{len(text):02d}{text}"
    return out


# --- CRC ---------------------------------------------------------------------------------


def test_crc_matches_the_standard_check_value():
    assert crc16_ccitt_false("123456789") == "29B1"


def test_crc_keeps_leading_zeros():
    assert crc16_ccitt_false(TECHCOMBANK_STATIC[:-4]) == "0283"


# --- real codes ----------------------------------------------------------------------------


def test_a_real_code_decodes_field_by_field():
    assert parse_payload(ACB_DYNAMIC) == {
        "00": "01",
        "01": "12",
        "38": {"00": "A000000727", "01": {"00": "970416", "01": "257678859"}, "02": "QRIBFTTA"},
        "53": "704",
        "54": "1000",
        "58": "VN",
        "62": {"08": "Chuyen tien"},
        "63": "BBB8",
    }


@pytest.mark.parametrize(
    ("code", "bank_bin", "account", "amount", "memo"),
    [
        (ACB_DYNAMIC, "970416", "257678859", 1000, "Chuyen tien"),
        (ACB_DYNAMIC_10000, "970416", "257678859", 10000, "Chuyen tien"),
        (ACB_STATIC, "970416", "257678859", None, ""),
        (TECHCOMBANK_STATIC, "970407", "19030413601018", None, ""),
    ],
)
def test_real_codes_are_rebuilt_exactly_from_their_fields(code, bank_bin, account, amount, memo):
    parse_payload(code)  # its CRC verifies
    assert build_payload(bank_bin, account, amount, memo) == code


def test_a_lower_case_crc_still_verifies():
    fields = parse_payload(MBBANK_LOWER_CASE_CRC)
    assert fields["38"]["01"] == {"00": "970422", "01": "0352350917"}
    assert build_payload("970422", "0352350917", None) == MBBANK_LOWER_CASE_CRC[:-4] + "79DB"


# --- codes we build ----------------------------------------------------------------------

FORTY_CHARACTERS = "CP-7KQ3M Cam Xã Đoài Hương Trà, Huế 2026"
MEMOS = ["CP-7KQ3M", "Đơn hàng Cam Xã Đoài", "", FORTY_CHARACTERS]


def test_the_long_memo_is_forty_characters():
    assert len(FORTY_CHARACTERS) == 40


@pytest.mark.parametrize(
    ("amount", "memo"), list(itertools.product([1, 150_000, 1_500_000, 99_999_999_999, None], MEMOS))
)
def test_built_codes_decode_back_field_by_field(amount, memo):
    payload = build_payload(VIETCOMBANK, ACCOUNT, amount, transfer_memo(memo))

    expected = {
        "00": "01",
        "01": "11" if amount is None else "12",
        "38": {"00": "A000000727", "01": {"00": VIETCOMBANK, "01": ACCOUNT}, "02": "QRIBFTTA"},
        "53": "704",
        **({} if amount is None else {"54": str(amount)}),
        "58": "VN",
        **({"62": {"08": transfer_memo(memo)}} if memo else {}),
    }
    body = encode(expected) + "6304"
    # Every ID and length prefix, at every level, is where an independent encoder puts it.
    assert payload == body + crc16_ccitt_false(body)
    assert parse_payload(payload) == {**expected, "63": payload[-4:]}


def test_the_amount_is_whole_dong_digits_only():
    assert parse_payload(build_payload(VIETCOMBANK, ACCOUNT, 1_500_000))["54"] == "1500000"


def test_a_memo_given_as_written_is_made_plain_but_keeps_its_case():
    payload = build_payload(VIETCOMBANK, ACCOUNT, 150_000, "Đơn hàng Cam Xã Đoài!")
    assert parse_payload(payload)["62"] == {"08": "Don hang Cam Xa Doai"}


def test_a_memo_with_nothing_plain_left_is_left_out():
    assert "62" not in parse_payload(build_payload(VIETCOMBANK, ACCOUNT, 150_000, "—!?"))


def test_an_account_number_grouped_with_spaces_is_read_as_its_digits():
    payload = build_payload(VIETCOMBANK, "0071 000 123 456", None)
    assert parse_payload(payload)["38"]["01"]["01"] == "0071000123456"


# --- memo ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "memo"),
    [
        ("CP-7KQ3M", "CP 7KQ3M"),
        ("Đơn hàng Cam Xã Đoài", "DON HANG CAM XA DOAI"),
        ("  thanh   toán\tđơn  ", "THANH TOAN DON"),
        ("Bưởi Thanh Trà — 2 kg", "BUOI THANH TRA 2 KG"),
        ("", ""),
        (None, ""),
    ],
)
def test_transfer_memo_is_plain_upper_case(text, memo):
    assert transfer_memo(text) == memo


def test_transfer_memo_is_cut_to_what_bank_apps_keep():
    memo = transfer_memo(FORTY_CHARACTERS)
    assert memo == "CP 7KQ3M CAM XA DOAI HUON"
    assert len(memo) == MEMO_MAX_LENGTH == 25
    # A cut that falls on a space does not leave it at the end.
    assert transfer_memo("A" * 24 + " BCD") == "A" * 24


def test_transfer_memo_holds_only_capitals_digits_and_single_spaces():
    memo = transfer_memo("Ông Nguyễn Văn Đức, Phú Vang (Huế) #42 ½ ß")
    assert re.fullmatch(r"[A-Z0-9]+( [A-Z0-9]+)*", memo), memo


# --- refused details -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "field"),
    [
        ("123456", ACCOUNT, 150_000, "bank_bin"),
        ("", ACCOUNT, 150_000, "bank_bin"),
        ("97043", ACCOUNT, 150_000, "bank_bin"),
        (VIETCOMBANK, "0071ABC123456", 150_000, "account_number"),
        (VIETCOMBANK, "12345", 150_000, "account_number"),
        (VIETCOMBANK, "1" * 20, 150_000, "account_number"),
        (VIETCOMBANK, "0071-000-123", 150_000, "account_number"),
        (VIETCOMBANK, "", 150_000, "account_number"),
        (VIETCOMBANK, ACCOUNT, 0, "amount"),
        (VIETCOMBANK, ACCOUNT, -150_000, "amount"),
        (VIETCOMBANK, ACCOUNT, 10**13, "amount"),
        (VIETCOMBANK, ACCOUNT, 1500.5, "amount"),
        (VIETCOMBANK, ACCOUNT, True, "amount"),
    ],
)
def test_details_no_bank_app_accepts_are_refused_naming_the_field(bank_bin, account, amount, field):
    with pytest.raises(InvalidTransferDetails) as refused:
        build_payload(bank_bin, account, amount)
    assert refused.value.field == field
    assert str(refused.value)


def test_the_largest_amount_is_thirteen_digits():
    payload = build_payload(VIETCOMBANK, ACCOUNT, 10**13 - 1)
    assert parse_payload(payload)["54"] == "9" * 13


# --- parsing codes from elsewhere --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        ACB_DYNAMIC[:-1] + "5",  # CRC changed
        ACB_DYNAMIC.replace("540410", "540420"),  # amount changed, CRC not
        ACB_DYNAMIC[:-8],  # no CRC
        "",
        "hello",
    ],
)
def test_a_code_that_does_not_check_out_is_refused(text):
    with pytest.raises(ValueError):
        parse_payload(text)


def test_a_field_running_past_the_end_is_refused():
    body = "000201" + "0199X" + "6304"
    with pytest.raises(ValueError):
        parse_payload(body + crc16_ccitt_false(body))


def test_a_crc_that_is_not_the_last_field_is_refused():
    body = "000201" + "6304ABCD" + "5802VN" + "6304"
    with pytest.raises(ValueError):
        parse_payload(body + crc16_ccitt_false(body))


# --- banks ---------------------------------------------------------------------------------


def test_every_bin_is_six_digits_and_names_one_bank():
    banks = all_banks()
    assert len(banks) >= 50
    assert all(re.fullmatch(r"[0-9]{6}", bank.bin) for bank in banks)
    assert len({bank.bin for bank in banks}) == len(banks)
    assert all(bank.code and bank.short_name and bank.name for bank in banks)


@pytest.mark.parametrize(
    ("bank_bin", "short_name"),
    [
        ("970436", "Vietcombank"),
        ("970415", "VietinBank"),
        ("970418", "BIDV"),
        ("970405", "Agribank"),
        ("970407", "Techcombank"),
        ("970422", "MB Bank"),
        ("970416", "ACB"),
        ("970432", "VPBank"),
        ("546034", "CAKE by VPBank"),
        ("963388", "Timo"),
    ],
)
def test_well_known_bins(bank_bin, short_name):
    assert bank_by_bin(bank_bin).short_name == short_name


def test_vietcombank():
    assert bank_by_bin("970436") == Bank(
        bin="970436", code="VCB", short_name="Vietcombank", name="Ngân hàng TMCP Ngoại thương Việt Nam"
    )
    assert bank_by_bin(" 970436 ").short_name == "Vietcombank"
    assert bank_by_bin("999999") is None


def test_choices_are_sorted_by_short_name_and_label_both_names():
    options = choices()
    assert [bin_ for bin_, _label in options] == [bank.bin for bank in all_banks()]
    short_names = [bank.short_name.casefold() for bank in all_banks()]
    assert short_names == sorted(short_names)
    assert ("970436", "Vietcombank — Ngân hàng TMCP Ngoại thương Việt Nam") in options


def test_the_cached_list_cannot_be_changed_by_a_caller():
    all_banks().clear()
    assert len(all_banks()) >= 50


# --- QR image ------------------------------------------------------------------------------


def test_qr_svg_is_an_inline_svg_of_black_modules_on_white():
    svg = qr_svg(ACB_DYNAMIC)
    assert svg.startswith("<svg ")
    assert svg.rstrip().endswith("</svg>")
    assert re.search(r'<path [^>]*d="M', svg)
    assert 'stroke="#000"' in svg and 'fill="#fff"' in svg
    assert "<title" not in svg and "<?xml" not in svg


def test_qr_svg_is_about_phone_screen_size_and_scales_down():
    svg = qr_svg(ACB_DYNAMIC)
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert 220 <= width <= 300
    assert f'height="{width}"' in svg
    assert "viewBox=" in svg


def test_the_longest_code_stays_a_small_qr_version():
    # The longest details allowed: 19-digit account, 13-digit amount, 25-character memo.
    longest = build_payload(VIETCOMBANK, "9" * 19, 10**13 - 1, transfer_memo(FORTY_CHARACTERS))
    qr = segno.make(longest, error="m", micro=False)
    # Upper-case memos keep the text in QR's compact alphanumeric mode; a version this small has
    # modules large enough for any phone camera reading another phone's screen.
    assert qr.mode == "alphanumeric"
    assert qr.version <= 7
