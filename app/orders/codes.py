"""Order codes and checkout references people can read aloud over the phone.

The alphabet leaves out characters that look or sound alike on a cheap screen or a bad line:
0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B. Codes are random (not counters), so one order's code does not
tell anyone how many orders a seller has.
"""

from __future__ import annotations

import secrets

ALPHABET = "ACEFHJKMNPRTUVWXY3479"
ORDER_CODE_LENGTH = 6
REFERENCE_LENGTH = 8


def random_code(length: int = ORDER_CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def order_code() -> str:
    return random_code(ORDER_CODE_LENGTH)


def checkout_reference() -> str:
    return "CP" + random_code(REFERENCE_LENGTH)


def display(code: str) -> str:
    """K7M3XA → K7M-3XA: two groups of three are easier to say and to copy."""
    return f"{code[:3]}-{code[3:]}" if len(code) == ORDER_CODE_LENGTH else code


def normalize(text: str) -> str:
    """What a person typed (k7m-3xa, ' K7M 3XA ') as a stored code."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def token() -> str:
    """A secret for a guest's private link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)
