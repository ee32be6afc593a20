"""The statuses the authority recognises, and the moves between them, through one table.

A household's history starts when it is recognised poor or near-poor. A poor household may
become near-poor or leave poverty; a near-poor one may become poor or leave near-poverty; one
that left either may fall back. The yearly recognition may confirm poor or near-poor again.
Each recognition is dated no earlier than the one before it. A move the table does not list is
refused with a named error.
"""

from __future__ import annotations

import calendar
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app.common.errors import RuleBroken
from app.households.models import HouseholdStatus, RecognisedStatus

S = HouseholdStatus

# status now (None: nothing recognised yet) → statuses the next recognition may give
TRANSITIONS: dict[HouseholdStatus | None, set[HouseholdStatus]] = {
    None: {S.POOR, S.NEAR_POOR},
    S.POOR: {S.POOR, S.NEAR_POOR, S.OUT_OF_POVERTY},
    S.NEAR_POOR: {S.NEAR_POOR, S.POOR, S.OUT_OF_NEAR_POVERTY},
    S.OUT_OF_POVERTY: {S.POOR, S.NEAR_POOR},
    S.OUT_OF_NEAR_POVERTY: {S.POOR, S.NEAR_POOR},
}

# Newly out of poverty: the household keeps some support for a while (HOUSEHOLD_SUPPORT_MONTHS).
KEEPS_SUPPORT = {S.OUT_OF_POVERTY}

STATUS_LABELS = {
    S.POOR: _l("Hộ nghèo"),
    S.NEAR_POOR: _l("Hộ cận nghèo"),
    S.OUT_OF_POVERTY: _l("Thoát nghèo"),
    S.OUT_OF_NEAR_POVERTY: _l("Thoát cận nghèo"),
}


class StatusChangeNotAllowed(RuleBroken):
    field = "status"


class StatusOutOfOrder(StatusChangeNotAllowed):
    """A recognition dated before the latest one already recorded."""

    field = "recognised_on"


def latest(statuses: list[RecognisedStatus]) -> RecognisedStatus | None:
    if not statuses:
        return None
    return max(statuses, key=lambda s: (s.recognised_on, s.id or 0))


def check_move(history: list[RecognisedStatus], status: HouseholdStatus, recognised_on: date) -> None:
    """Raise a named error when status, recognised on that day, cannot follow the history."""
    last = latest(history)
    current = last.status if last else None
    if status not in TRANSITIONS[current]:
        if current is None:
            raise StatusChangeNotAllowed(
                _l("Hộ chưa có trạng thái nào được công nhận: trạng thái đầu tiên phải là hộ nghèo hoặc hộ cận nghèo.")
            )
        raise StatusChangeNotAllowed(
            _l("Hộ đang là “%(current)s”: không thể chuyển sang “%(new)s”.",
               current=STATUS_LABELS[current], new=STATUS_LABELS[status])
        )
    if last is not None and recognised_on < last.recognised_on:
        raise StatusOutOfOrder(
            _l("Ngày công nhận phải từ ngày %(day)s trở đi, sau lần công nhận gần nhất.",
               day=format_date(last.recognised_on, "medium"))
        )


def add_months(day: date, months: int) -> date:
    """The same day months later; the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
