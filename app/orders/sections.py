"""What the domains built on orders add to its pages, without orders importing them.

`payment_panel`: app.payments registers a function (order, checkout) -> Markup | None that the
buyer's order page shows under the order (how to pay by transfer: the VietQR code and details;
a card payment's state). The first non-empty answer of each registered function is shown.

`card_checkout_endpoint`: the endpoint a card checkout is sent to after it is placed, taking
`token=<checkout access token>`; app.payments registers it. Without one, cards are not offered.
"""

from __future__ import annotations

from app.common.extension_points import ExtensionPoint

payment_panel = ExtensionPoint("orders.payment_panel", "Payment instructions on a buyer's order page.")
card_checkout_endpoint = ExtensionPoint("orders.card_checkout_endpoint", "Where a card checkout goes to pay.")
