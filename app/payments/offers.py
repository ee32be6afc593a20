"""What payments adds to the orders domain, registered when the payments blueprint is: the ways
to pay beyond cash on delivery, the transfer panel on an order page, and the card checkout page.

The sellers' dashboard (catalog.sections.seller_dashboard) gets the link to the bank account
page. Orders never import payments; they ask these extension points (orders.checkout.payment_methods,
orders.sections.payment_panel, orders.sections.card_checkout_endpoint).
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from markupsafe import Markup

from app.catalog.sections import seller_dashboard
from app.orders.checkout import payment_methods
from app.orders.models import PaymentMethod
from app.orders.sections import card_checkout_endpoint, payment_panel
from app.payments.accounts import payee_accounts
from app.payments.stripe_gateway import settings_from
from app.payments.transfer import transfer_panel

CARD_CHECKOUT_ENDPOINT = "payments.card_checkout"


def offered(producers) -> set:
    """Transfer when every producer has an account to be paid into; card when Stripe is set up.

    A checkout with a producer who has no account cannot offer a transfer at all: the buyer
    would be told to pay someone with no way of receiving it.
    """
    producers = list(producers)
    methods = set()
    if producers and all(payee_accounts(producers).values()):
        methods.add(PaymentMethod.BANK_TRANSFER)
    if settings_from(current_app.config) is not None:
        methods.add(PaymentMethod.CARD)
    return methods


def dashboard_accounts(user, producers) -> Markup | None:
    """The seller's way to the page where they say where transfers go, with a word when some of
    their farms cannot take transfers yet."""
    if not producers:
        return None
    accounts = payee_accounts(producers)
    missing = [p for p in producers if accounts[p.id] is None]
    return Markup(render_template("payments/_dashboard_accounts.html", missing=missing))


def register(app: Flask) -> None:
    payment_methods.add(app, offered)
    seller_dashboard.add(app, dashboard_accounts)
    payment_panel.add(app, transfer_panel)
    card_checkout_endpoint.add(app, CARD_CHECKOUT_ENDPOINT)
