"""VietQR: the text a Vietnamese bank app reads to fill in a transfer, and its QR code.

The text follows EMVCo's merchant-presented QR as NAPAS profiles it for transfers to a bank
account: fields of a 2-digit ID, a 2-digit length and the value; templates (38, 62) hold
fields of their own; the last field (63) is a CRC over everything before it. Pure functions:
no database, no request.
"""

from __future__ import annotations

import re
import unicodedata

import segno
from flask_babel import lazy_gettext as _l

from app.payments.banks import bank_by_bin
from app.payments.errors import InvalidTransferDetails

_NAPAS_GUID = "A000000727"
# Transfer to an account number; QRIBFTTC would be a transfer to a card number.
_TO_ACCOUNT = "QRIBFTTA"
_VND = "704"  # ISO 4217 numeric
_VIETNAM = "VN"
_CRC_FIELD = "6304"  # the CRC's ID and length, which the CRC covers too

# VietQR.io's rules for a transfer: account numbers of 6 to 19 characters, amounts of at most
# 13 digits. Banks allow letters in a few account numbers (wallet accounts), but a seller's
# own account is digits, and digits are what every bank app accepts.
_ACCOUNT = re.compile(r"[0-9]{6,19}")
_MAX_AMOUNT = 10**13 - 1
# VietQR.io takes memos of at most 25 characters, and bank apps cut (or refuse) longer ones.
# A memo we cut ourselves keeps its start, where the order code goes, so the seller can still
# match the money to the order.
MEMO_MAX_LENGTH = 25
_NOT_MEMO = re.compile(r"[^A-Za-z0-9]+")

_TWO_DIGITS = re.compile(r"[0-9]{2}")
# Templates whose value is itself a list of fields: merchant account, the bank and account
# inside it, and the additional data (memo).
_TEMPLATES = {("38",), ("38", "01"), ("62",)}


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE of the UTF-8 text, as 4 upper-case hex digits ('123456789' → '29B1').

    Polynomial 0x1021, start 0xFFFF, no reflection, no final XOR: the check EMVCo codes end with.
    """
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _plain_memo(text: str | None) -> str:
    """Letters without marks (đ → d), digits and single spaces, at most MEMO_MAX_LENGTH long.

    Case is kept: transfer_memo() makes it upper case for our own memos, while a memo that
    arrives already plain (from another code) goes through unchanged.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    plain = _NOT_MEMO.sub(" ", stripped).strip()
    return plain[:MEMO_MAX_LENGTH].rstrip()


def transfer_memo(text: str | None) -> str:
    """The memo (field 62/08) for a transfer: 'Đơn hàng CP-7KQ3M' → 'DON HANG CP 7KQ3M'.

    Bank apps and statements show memos without diacritics and often in capitals, and some
    refuse punctuation; a memo already in that form reaches the seller's statement as we wrote
    it. Upper case also lets the QR code use its compact alphanumeric mode.
    """
    return _plain_memo(text).upper()


def _field(field_id: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {field_id} is {len(value)} characters long; a field holds at most 99")
    return f"{field_id}{len(value):02d}{value}"


def _account_number(account_number: str | None) -> str:
    # People copy account numbers grouped with spaces ("0123 456 789"); the bank reads digits.
    digits = re.sub(r"\s+", "", account_number or "")
    if not _ACCOUNT.fullmatch(digits):
        raise InvalidTransferDetails(
            _l("Số tài khoản phải gồm từ 6 đến 19 chữ số, không có chữ cái hay ký hiệu."), "account_number"
        )
    return digits


def _check_amount(amount_vnd: int | None) -> None:
    if amount_vnd is None:
        return
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or not 0 < amount_vnd <= _MAX_AMOUNT:
        raise InvalidTransferDetails(
            _l("Số tiền chuyển khoản phải là số đồng nguyên lớn hơn 0, tối đa 13 chữ số."), "amount"
        )


def build_payload(bank_bin: str, account_number: str, amount_vnd: int | None, memo: str = "") -> str:
    """The VietQR text for a transfer to one bank account.

    With an amount the code is dynamic (01=12) and the bank app fills in the amount; without
    one it is static (01=11) and the payer types it. The memo is made plain (see _plain_memo);
    pass transfer_memo(order code) for an order. Raises InvalidTransferDetails naming the field
    at fault: bank_bin, account_number or amount.
    """
    bank = bank_by_bin(bank_bin)
    if bank is None:
        raise InvalidTransferDetails(_l("Hãy chọn ngân hàng của tài khoản trong danh sách."), "bank_bin")
    account = _account_number(account_number)
    _check_amount(amount_vnd)

    beneficiary = _field("00", bank.bin) + _field("01", account)
    merchant_account = _field("00", _NAPAS_GUID) + _field("01", beneficiary) + _field("02", _TO_ACCOUNT)
    fields = [
        _field("00", "01"),
        _field("01", "11" if amount_vnd is None else "12"),
        _field("38", merchant_account),
        _field("53", _VND),
    ]
    if amount_vnd is not None:
        fields.append(_field("54", str(amount_vnd)))
    fields.append(_field("58", _VIETNAM))
    plain_memo = _plain_memo(memo)
    if plain_memo:
        fields.append(_field("62", _field("08", plain_memo)))
    body = "".join(fields) + _CRC_FIELD
    return body + crc16_ccitt_false(body)


def _split_fields(text: str, path: tuple[str, ...] = ()) -> dict[str, str | dict]:
    fields: dict[str, str | dict] = {}
    position = 0
    while position < len(text):
        field_id, length = text[position : position + 2], text[position + 2 : position + 4]
        if not (_TWO_DIGITS.fullmatch(field_id) and _TWO_DIGITS.fullmatch(length)):
            raise ValueError(f"no field ID and length at {'/'.join(path) or 'top level'}, character {position}")
        start, end = position + 4, position + 4 + int(length)
        if end > len(text):
            raise ValueError(f"field {'/'.join((*path, field_id))} runs past the end of its text")
        if field_id in fields:
            raise ValueError(f"field {'/'.join((*path, field_id))} appears twice")
        value = text[start:end]
        field_path = (*path, field_id)
        fields[field_id] = _split_fields(value, field_path) if field_path in _TEMPLATES else value
        position = end
    return fields


def parse_payload(text: str) -> dict[str, str | dict]:
    """The fields of a VietQR text by ID, templates 38, 38/01 and 62 as nested dicts.

    Raises ValueError when the text is not well formed or its CRC does not match. Some bank
    apps write the CRC in lower case, so the comparison ignores case.
    """
    text = text.strip()
    if len(text) < 8 or text[-8:-4] != _CRC_FIELD:
        raise ValueError("the text does not end with a CRC field (6304....)")
    expected = crc16_ccitt_false(text[:-4])
    if text[-4:].upper() != expected:
        raise ValueError(f"CRC {text[-4:]} does not match the text (expected {expected})")
    fields = _split_fields(text)
    if list(fields)[-1] != "63":
        raise ValueError("the CRC field is not the last field")
    return fields


# About 260 px wide fits the narrowest phone screens with a margin, and is large enough for a
# second phone's camera to read from the screen.
_TARGET_PX = 260
_QUIET_ZONE = 4  # the white border, in modules, that QR readers need around the code


def qr_svg(payload: str, target_px: int = _TARGET_PX) -> str:
    """An inline SVG of the QR code: black modules on a white square, about target_px wide.

    Error correction M (15%) survives a scratched screen or glare while keeping the code
    small. The background is drawn white rather than left transparent, so the code still reads
    on a dark page. Width and height are a whole number of pixels per module (sharp edges); the
    viewBox lets CSS shrink it on a narrow screen.
    """
    qr = segno.make(payload, error="m", micro=False)
    modules = qr.symbol_size(scale=1, border=_QUIET_ZONE)[0]
    side = modules * max(1, round(target_px / modules))
    svg = qr.svg_inline(border=_QUIET_ZONE, dark="#000", light="#fff", omitsize=True, svgclass=None, lineclass=None)
    return svg.replace("<svg ", f'<svg width="{side}" height="{side}" ', 1)
