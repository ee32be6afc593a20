"""Fixtures for payments: a local fake of Stripe's API, and an app that talks to it."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.conftest import _make_app
from tests.payments.fake_stripe import FakeStripe

SECRET_KEY = "sk_test_x"
WEBHOOK_SECRET = "whsec_x"


@pytest.fixture
def fake_stripe():
    with FakeStripe() as fake:
        yield fake


@pytest.fixture
def stripe_config(fake_stripe):
    """The app's Stripe settings; a module without cards overrides this fixture with {}."""
    return {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_API_BASE": fake_stripe.url}


@pytest.fixture
def app(database_url_for_test, tmp_path, stripe_config):
    app = _make_app(database_url_for_test, tmp_path, **stripe_config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
