"""Payments: cash on delivery, bank transfer by VietQR, Stripe cards."""
