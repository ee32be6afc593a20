"""Site-wide behaviour: health check, language, configuration, light pages."""

import re

import pytest

from app import create_app
from config import DevelopmentConfig, ProductionConfig, TestingConfig


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "up"}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"


def test_vietnamese_by_default_and_english_is_remembered(client):
    home = client.get("/")
    assert '<html lang="vi">' in home.get_data(as_text=True)
    switch = client.get("/ngon-ngu/en?next=/san-pham")
    assert switch.status_code == 302 and switch.headers["Location"] == "/san-pham"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/san-pham").get_data(as_text=True)
    client.get("/ngon-ngu/vi")
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example"])
def test_language_switch_never_leaves_the_site(client, target):
    response = client.get("/ngon-ngu/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_changes_nothing(client):
    client.get("/ngon-ngu/fr")
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_prices_and_certifications_follow_the_language(app, client):
    import sqlalchemy as sa

    from app.catalog.models import Certification
    from app.extensions import db
    from tests.factories import ProductFactory

    with app.app_context():
        organic = db.session.execute(sa.select(Certification).filter_by(code="huu-co")).scalar_one()
        ProductFactory(price_vnd=1_500_000, certifications=[organic])
        db.session.commit()
    vietnamese = client.get("/san-pham").get_data(as_text=True)
    assert "1.500.000\u00a0₫" in vietnamese and '<span class="badge">Hữu cơ</span>' in vietnamese
    client.get("/ngon-ngu/en")
    english = client.get("/san-pham").get_data(as_text=True)
    assert "₫1,500,000" in english and '<span class="badge">Organic</span>' in english


def test_production_refuses_to_start_without_a_real_secret_key():
    for key in (None, "", "change-me", "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(ProductionConfig, {"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app(ProductionConfig, {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path, monkeypatch):
    import config

    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first = create_app(DevelopmentConfig, {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app(DevelopmentConfig, {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text() == first.config["SECRET_KEY"]


def test_postgres_urls_go_through_psycopg_3():
    from config import database_url

    assert database_url("postgresql://u@h/db", "") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db", "") == "postgresql+psycopg://u@h/db"
    assert database_url(None, "sqlite:///x") == "sqlite:///x"


@pytest.mark.parametrize("path", ["/", "/san-pham", "/nha-vuon", "/hop-tac-xa", "/dang-nhap"])
def test_pages_fetch_nothing_from_other_sites(client, path):
    html = client.get(path).get_data(as_text=True)
    fetched = re.findall(r'\ssrc="([^"]+)"', html) + [
        href for rel, href in re.findall(r'<link rel="([^"]+)" href="([^"]+)"', html) if rel != "canonical"
    ]
    assert fetched, "the page should at least load its stylesheet"
    assert all(url.startswith("/") and not url.startswith("//") for url in fetched)


# POSTs that carry no form token by design. Stripe signs its webhook deliveries instead, and
# tests/payments/test_webhook.py checks that an unsigned or forged one is refused.
CSRF_EXEMPT = {"/payments/stripe/webhook"}


def test_every_form_refuses_a_post_without_its_csrf_token(database_url_for_test, tmp_path):
    """Walks the URL map, so a new form is covered the day it is added."""
    from tests.conftest import _make_app

    app = _make_app(database_url_for_test, tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    posted = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "vi")
        response = client.post(url, data={"name": "x"})
        if url in CSRF_EXEMPT:
            # No form token, but nothing unsigned gets through either (no Stripe keys here: 503).
            assert response.status_code in (400, 503), url
            assert "Phiên làm việc đã hết hạn" not in response.get_data(as_text=True), url  # Stripe gets in
            continue
        assert response.status_code == 400, url
        assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True), url
        posted.append(url)
    assert {"/dang-nhap", "/dang-ky", "/dang-xuat", "/quan-ly/san-pham/moi"} <= set(posted)


def test_the_stylesheet_is_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/static/css/site\.css\?v=[0-9a-f]{10}", href)
    response = client.get(href)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
