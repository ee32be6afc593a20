"""Sections the domains built on the catalogue add to its pages: a producer's next lives, the lives
that will show a product, the orders waiting on the seller's dashboard."""

from __future__ import annotations

from app.common.extension_points import ExtensionPoint

producer_page = ExtensionPoint(
    "catalog.producer_page",
    "Functions of a producer returning Markup, shown on their page between the profile and the products.",
)

product_page = ExtensionPoint(
    "catalog.product_page",
    "Functions of a product returning Markup (empty when there is nothing to say), shown on its page "
    "below the buying column (the upcoming lives that feature it).",
)

seller_dashboard = ExtensionPoint(
    "catalog.seller_dashboard",
    "Functions of (user, producers they manage) returning Markup or None, shown at the top of the "
    "seller's dashboard (the orders waiting for them).",
)
