"""Fixtures for payments: a local fake of Stripe's API, running for one test."""

from __future__ import annotations

import pytest

from tests.payments.fake_stripe import FakeStripe


@pytest.fixture
def fake_stripe():
    with FakeStripe() as fake:
        yield fake
