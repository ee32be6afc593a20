"""Vietnamese banks and their NAPAS BINs: which banks a VietQR code can pay into.

The list is data (banks.json), read once. Its BINs were checked against the bank list of the
vietnam-qr-pay library (github.com/xuannghia/vietnam-qr-pay, src/constants/banks.ts) and the
bank list of VietQR.io. A renamed bank keeps its BIN (OceanBank is now MBV, DongA Bank is Vikki
Bank, LienVietPostBank is LPBank), so the short name keeps the old name people still know it by.
E-wallets (MoMo, Viettel Money) are left out: they are not banks, and their codes need fields
of their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("banks.json")


@dataclass(frozen=True)
class Bank:
    bin: str  # the 6-digit NAPAS Bank Identification Number a VietQR code carries
    code: str  # the short code VietQR.io uses for the bank
    short_name: str
    name: str


@cache
def _banks() -> tuple[Bank, ...]:
    # A tuple, so no caller can change the cached list for everyone else.
    entries = json.loads(_DATA.read_text(encoding="utf-8"))
    banks = (Bank(bin=e["bin"], code=e["code"], short_name=e["short_name"], name=e["name"]) for e in entries)
    return tuple(sorted(banks, key=lambda bank: bank.short_name.casefold()))


@cache
def _by_bin() -> dict[str, Bank]:
    return {bank.bin: bank for bank in _banks()}


def all_banks() -> list[Bank]:
    """Every bank, in the alphabetical order of the names people call them by."""
    return list(_banks())


def bank_by_bin(bank_bin: str) -> Bank | None:
    return _by_bin().get((bank_bin or "").strip())


def choices() -> list[tuple[str, str]]:
    """(BIN, label) pairs for a select: 'Vietcombank — Ngân hàng TMCP Ngoại thương Việt Nam'.

    The short name comes first because it is what people say and type to jump through a long
    select; the full name tells apart banks whose short names look alike.
    """
    return [(bank.bin, f"{bank.short_name} — {bank.name}") for bank in _banks()]
