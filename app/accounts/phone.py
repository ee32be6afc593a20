"""Vietnamese mobile numbers: many ways to type one, one way to store it.

People write the same number as `0912 345 678`, `0912.345.678`, `+84 912 345 678`,
`84912345678` or `(+84) 912-345-678`. All of them are stored as `+84912345678`: `+84`
followed by the nine digits that come after the leading 0 of the national form.
"""

from __future__ import annotations

import re

# What people put between digits: spaces (including no-break spaces), dots, dashes, parentheses.
_SEPARATORS = re.compile(r"[\s.\-()]+")
_NINE_DIGITS = re.compile(r"[0-9]{9}", re.ASCII)
# Leading digits of the mobile networks, after the 0 (since the 2018 move to ten-digit numbers).
_MOBILE = re.compile(r"(?:3[2-9]|5[2589]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}", re.ASCII)


class InvalidPhoneNumber(ValueError):
    """The text is not a Vietnamese mobile number.

    `reason` is "format" when the text is not a phone number written in a way we accept, and
    "network" when it is shaped like one but no mobile network uses its leading digits (a
    landline, an old 11-digit number, a typing mistake).
    """

    def __init__(self, text: str | None, reason: str = "format"):
        self.text = text
        self.reason = reason
        super().__init__(f"not a Vietnamese mobile number ({reason}): {text!r}")


def normalize_phone(text: str | None) -> str:
    """Return the number as `+84` and nine digits, or raise InvalidPhoneNumber.

    Accepted prefixes: `0`, `84`, `+84`, and also `0084` and `+84 (0)`, which people copy
    from business cards.
    """
    if text is None:
        raise InvalidPhoneNumber(text)
    compact = _SEPARATORS.sub("", text)
    for prefix in ("+84", "0084", "84"):
        if compact.startswith(prefix):
            national = compact[len(prefix):]
            if len(national) == 10 and national.startswith("0"):
                # "+84 (0)912 345 678": the national 0 kept after the country code.
                national = national[1:]
            break
    else:
        if not compact.startswith("0"):
            raise InvalidPhoneNumber(text)
        national = compact[1:]
    if not _NINE_DIGITS.fullmatch(national):
        raise InvalidPhoneNumber(text)
    if not _MOBILE.fullmatch(national):
        raise InvalidPhoneNumber(text, reason="network")
    return "+84" + national


def display_phone(phone: str | None) -> str:
    """A stored number the way people in Vietnam read it: `0912 345 678`."""
    if not phone:
        return ""
    if phone.startswith("+84") and len(phone) == 12:
        national = "0" + phone[3:]
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    return phone
