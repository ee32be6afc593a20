"""Payments' named broken rules; the message is shown to the person who broke it."""

from __future__ import annotations

from app.common.errors import RuleBroken

__all__ = ["InvalidTransferDetails"]


class InvalidTransferDetails(RuleBroken):
    """A bank, account number or amount that no bank app could accept in a VietQR code."""
