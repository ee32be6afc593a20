"""How a buyer pays one order by bank transfer: a VietQR code and the same details as text.

Registered at orders.sections.payment_panel (see offers.py), so the buyer's order page shows it
under each order paid by transfer. The seller marks the order paid when the money arrives
(orders.status, Move.PAY by the seller); nothing here changes an order.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup

from app.orders.models import Checkout, Order, OrderStatus, PaymentMethod
from app.payments.accounts import payee_account
from app.payments.banks import bank_by_bin
from app.payments.errors import InvalidTransferDetails
from app.payments.models import BankAccount
from app.payments.vietqr import build_payload, qr_svg, transfer_memo


@dataclass(frozen=True)
class TransferDetails:
    """What the buyer's bank app needs: the code holds exactly the same as the text."""

    bank_name: str
    account_number: str
    account_name: str
    amount_vnd: int
    memo: str
    payload: str

    @property
    def qr(self) -> Markup:
        # segno writes the SVG itself from the payload: nothing typed by a person is in it as markup.
        return Markup(qr_svg(self.payload))


def transfer_details(order: Order, account: BankAccount) -> TransferDetails:
    """The transfer for this order into this account. InvalidTransferDetails when the account no
    longer meets VietQR's rules (a bank dropped from the list, say)."""
    memo = transfer_memo(order.code)
    payload = build_payload(account.bank_bin, account.account_number, order.total_vnd, memo)
    bank = bank_by_bin(account.bank_bin)
    return TransferDetails(
        bank_name=f"{bank.short_name} — {bank.name}",
        account_number=account.account_number,
        account_name=account.account_name,
        amount_vnd=order.total_vnd,
        memo=memo,
        payload=payload,
    )


def transfer_panel(order: Order, checkout: Checkout) -> Markup | None:
    """The transfer panel for an order paid by bank transfer, or None for any other order."""
    if checkout.payment_method != PaymentMethod.BANK_TRANSFER:
        return None
    if order.paid_at is not None:
        return Markup(render_template("payments/_transfer_panel.html", order=order, state="paid"))
    if order.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        return None
    account = payee_account(order.producer)
    details = None
    if account is not None:
        try:
            details = transfer_details(order, account)
        except InvalidTransferDetails:
            details = None
    return Markup(
        render_template(
            "payments/_transfer_panel.html", order=order, state="due" if details else "no_account", details=details
        )
    )
