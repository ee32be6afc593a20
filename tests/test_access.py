"""Who may open what: every route of the site, asked by every kind of person, against one table.

A route added without a row here fails the suite (with its name), and so does an endpoint
whose blueprint and view declare no audience. The table is the outer gate seen from outside;
object rules (whose product, which cooperative) have their own tests, but show up here too
because the signed-in people below own or manage the sample data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flask import Blueprint
from sqlalchemy import select

from app.accounts.models import Role
from app.common import access
from app.common.access import Audience
from app.extensions import db
from app.households.models import OfficerAssignment, PovertyStandard
from app.orders import checkout
from tests.factories import (
    CooperativeFactory,
    LivestreamFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    delivery_plan,
)
from tests.households.factories import HouseholdFactory
from tests.orders.helpers import cart_with, pickup, values
from tests.sessions import sign_in

PEOPLE = ("anonymous", "buyer", "producer", "manager", "officer", "admin")
LOGIN = "login"  # a redirect to the login page, which comes back here afterwards

# (method, rule): answers for (anonymous, buyer, producer, manager, officer, admin).
# POST requests carry no form data: a 400 means the view was reached and refused the empty form.
# The producer owns the sample producer profile; the manager manages its cooperative.
EXPECTED: dict[tuple[str, str], tuple] = {
    # main: ANYONE
    ("GET", "/"): (200, 200, 200, 200, 200, 200),
    ("GET", "/healthz"): (200, 200, 200, 200, 200, 200),
    ("GET", "/media/<path:filename>"): (404, 404, 404, 404, 404, 404),  # no such photo; public when it exists
    ("GET", "/ngon-ngu/<language>"): (302, 302, 302, 302, 302, 302),
    ("POST", "/ngon-ngu/<language>"): (302, 302, 302, 302, 302, 302),
    ("GET", "/static/<path:filename>"): (200, 200, 200, 200, 200, 200),
    # accounts: ANYONE, the account page SIGNED_IN; signed-in people are sent on from login and register
    ("GET", "/dang-nhap"): (200, 302, 302, 302, 302, 302),
    ("POST", "/dang-nhap"): (400, 302, 302, 302, 302, 302),
    ("GET", "/dang-ky"): (200, 302, 302, 302, 302, 302),
    ("POST", "/dang-ky"): (400, 302, 302, 302, 302, 302),
    ("POST", "/dang-xuat"): (302, 302, 302, 302, 302, 302),
    ("GET", "/tai-khoan"): (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "/tai-khoan/mat-khau"): (LOGIN, 400, 400, 400, 400, 400),
    # catalog: ANYONE
    ("GET", "/san-pham"): (200, 200, 200, 200, 200, 200),
    ("GET", "/san-pham/<slug>"): (200, 200, 200, 200, 200, 200),
    ("GET", "/nha-vuon"): (200, 200, 200, 200, 200, 200),
    ("GET", "/nha-vuon/<slug>"): (200, 200, 200, 200, 200, 200),
    # cooperatives: ANYONE, editing SELLER (then only the cooperative's managers and admins)
    ("GET", "/hop-tac-xa"): (200, 200, 200, 200, 200, 200),
    ("GET", "/hop-tac-xa/<slug>"): (200, 200, 200, 200, 200, 200),
    ("GET", "/quan-ly/hop-tac-xa/<int:cooperative_id>/sua"): (LOGIN, 403, 403, 200, 403, 200),
    ("POST", "/quan-ly/hop-tac-xa/<int:cooperative_id>/sua"): (LOGIN, 403, 403, 400, 403, 400),
    # livestreams: ANYONE, reminders SIGNED_IN
    ("GET", "/livestream"): (200, 200, 200, 200, 200, 200),
    ("GET", "/livestream/lich.ics"): (200, 200, 200, 200, 200, 200),
    ("GET", "/livestream/<slug>"): (200, 200, 200, 200, 200, 200),
    ("GET", "/livestream/<slug>/lich.ics"): (200, 200, 200, 200, 200, 200),
    ("GET", "/livestream/<slug>/qr.svg"): (200, 200, 200, 200, 200, 200),
    ("GET", "/hop-tac-xa/<slug>/livestream.ics"): (200, 200, 200, 200, 200, 200),
    ("GET", "/nha-vuon/<slug>/livestream.ics"): (200, 200, 200, 200, 200, 200),
    ("GET", "/livestream/<slug>/nhac-toi"): (303, 303, 303, 303, 303, 303),
    ("GET", "/livestream/<slug>/huy-nhac"): (303, 303, 303, 303, 303, 303),
    ("POST", "/livestream/<slug>/nhac-toi"): (LOGIN, 303, 303, 303, 303, 303),
    ("POST", "/livestream/<slug>/huy-nhac"): (LOGIN, 303, 303, 303, 303, 303),
    # orders (the buyer's side): ANYONE, a guest's orders by their private link; my orders SIGNED_IN
    ("GET", "/gio-hang"): (200, 200, 200, 200, 200, 200),
    ("POST", "/gio-hang/them"): (404, 404, 404, 404, 404, 404),  # no product named
    ("POST", "/gio-hang/<int:line_id>"): (303, 303, 303, 303, 303, 303),  # no cart yet: back to it
    ("POST", "/gio-hang/<int:line_id>/xoa"): (303, 303, 303, 303, 303, 303),
    ("GET", "/thanh-toan"): (303, 303, 303, 303, 303, 303),  # an empty cart goes back to the cart
    ("POST", "/thanh-toan"): (303, 303, 303, 303, 303, 303),
    ("GET", "/don-hang/<token>"): (404, 404, 404, 404, 404, 404),  # only the private link opens it
    ("GET", "/don-hang/<token>/<code>"): (404, 404, 404, 404, 404, 404),
    ("GET", "/don-hang/<token>/<code>/huy"): (404, 404, 404, 404, 404, 404),
    ("POST", "/don-hang/<token>/<code>/huy"): (404, 404, 404, 404, 404, 404),
    ("GET", "/tai-khoan/don-hang"): (LOGIN, 200, 200, 200, 200, 200),
    # manage (the sellers' pages): SELLER
    ("GET", "/quan-ly/"): (LOGIN, 403, 200, 200, 403, 200),
    ("GET", "/quan-ly/san-pham/moi"): (LOGIN, 403, 200, 200, 403, 200),
    ("POST", "/quan-ly/san-pham/moi"): (LOGIN, 403, 400, 400, 403, 400),
    ("GET", "/quan-ly/san-pham/<int:product_id>/sua"): (LOGIN, 403, 200, 200, 403, 200),
    ("POST", "/quan-ly/san-pham/<int:product_id>/sua"): (LOGIN, 403, 400, 400, 403, 400),
    # removing a photo is asked first; the sample photo does not exist, so both send back to the form
    ("GET", "/quan-ly/san-pham/<int:product_id>/anh/<int:photo_id>/xoa"): (LOGIN, 403, 303, 303, 403, 303),
    ("POST", "/quan-ly/san-pham/<int:product_id>/anh/<int:photo_id>/xoa"): (LOGIN, 403, 303, 303, 403, 303),
    ("POST", "/quan-ly/san-pham/<int:product_id>/anh/<int:photo_id>/dau"): (LOGIN, 403, 303, 303, 403, 303),
    ("GET", "/quan-ly/nha-vuon/moi"): (LOGIN, 403, 403, 200, 403, 200),  # the producer has their profile
    ("POST", "/quan-ly/nha-vuon/moi"): (LOGIN, 403, 403, 400, 403, 400),
    ("GET", "/quan-ly/nha-vuon/<int:producer_id>/sua"): (LOGIN, 403, 200, 200, 403, 200),
    ("POST", "/quan-ly/nha-vuon/<int:producer_id>/sua"): (LOGIN, 403, 400, 400, 403, 400),
    ("GET", "/quan-ly/nha-vuon/<int:producer_id>/anh/<int:photo_id>/xoa"): (LOGIN, 403, 303, 303, 403, 303),
    ("POST", "/quan-ly/nha-vuon/<int:producer_id>/anh/<int:photo_id>/xoa"): (LOGIN, 403, 303, 303, 403, 303),
    # manage_livestreams (hosts' pages): SELLER
    ("GET", "/quan-ly/livestream/"): (LOGIN, 403, 200, 200, 403, 200),
    ("GET", "/quan-ly/livestream/moi"): (LOGIN, 403, 200, 200, 403, 200),
    # the manager and the admin may host for several: an empty form first asks which one
    ("POST", "/quan-ly/livestream/moi"): (LOGIN, 403, 400, 200, 403, 200),
    ("GET", "/quan-ly/livestream/<int:livestream_id>/sua"): (LOGIN, 403, 200, 200, 403, 200),
    ("POST", "/quan-ly/livestream/<int:livestream_id>/sua"): (LOGIN, 403, 400, 400, 403, 400),
    ("POST", "/quan-ly/livestream/<int:livestream_id>/trang-thai"): (LOGIN, 403, 400, 400, 403, 400),
    ("GET", "/quan-ly/livestream/<int:livestream_id>/huy"): (LOGIN, 403, 200, 200, 403, 200),
    ("POST", "/quan-ly/livestream/<int:livestream_id>/huy"): (LOGIN, 403, 400, 400, 403, 400),
    # delivery_settings (how sellers deliver): SELLER; an empty form offers no way to deliver
    ("GET", "/quan-ly/giao-hang/"): (LOGIN, 403, 200, 200, 403, 200),
    ("GET", "/quan-ly/giao-hang/nha-vuon/<int:producer_id>"): (LOGIN, 403, 200, 200, 403, 200),
    # the sample producer has a plan (its pickup point serves the sample order): an empty form keeps it
    ("POST", "/quan-ly/giao-hang/nha-vuon/<int:producer_id>"): (LOGIN, 403, 303, 303, 403, 303),
    # the cooperative's own plan is its managers' (and admins'), not its member's
    ("GET", "/quan-ly/giao-hang/hop-tac-xa/<int:cooperative_id>"): (LOGIN, 403, 403, 200, 403, 200),
    ("POST", "/quan-ly/giao-hang/hop-tac-xa/<int:cooperative_id>"): (LOGIN, 403, 403, 400, 403, 400),
    # seller_orders (the sellers' orders): SELLER, then only those who manage the order's producer
    ("GET", "/quan-ly/don-hang/"): (LOGIN, 403, 200, 200, 403, 200),
    ("GET", "/quan-ly/don-hang/<code>"): (LOGIN, 403, 200, 200, 403, 200),
    ("GET", "/quan-ly/don-hang/<code>/phieu-giao"): (LOGIN, 403, 200, 200, 403, 200),
    # the sample move is a cancel, which an empty form refuses for want of a reason
    ("POST", "/quan-ly/don-hang/<code>/<move>"): (LOGIN, 403, 400, 400, 403, 400),
    # payments, card pages: ANYONE holding a checkout's secret link. The sample token names no
    # checkout, so everyone gets 404: no role opens a checkout without its token.
    ("GET", "/thanh-toan/the/<token>"): (404, 404, 404, 404, 404, 404),
    ("GET", "/thanh-toan/the/<token>/xong"): (404, 404, 404, 404, 404, 404),
    ("GET", "/thanh-toan/the/<token>/huy"): (404, 404, 404, 404, 404, 404),
    ("POST", "/thanh-toan/the/<token>/huy"): (404, 404, 404, 404, 404, 404),
    # Stripe's webhook: ANYONE, no CSRF token (Stripe signs it); the sample app has no Stripe keys,
    # so it answers 503 and Stripe would try again later
    ("POST", "/payments/stripe/webhook"): (503, 503, 503, 503, 503, 503),
    # payments_manage (bank accounts for transfers): SELLER, then the producer's own profile, or
    # the cooperative's (and its members') for its managers; nothing to remove answers 303
    ("GET", "/quan-ly/thanh-toan/"): (LOGIN, 403, 200, 200, 403, 200),
    ("GET", "/quan-ly/thanh-toan/nha-vuon/<int:producer_id>"): (LOGIN, 403, 200, 200, 403, 200),
    ("POST", "/quan-ly/thanh-toan/nha-vuon/<int:producer_id>"): (LOGIN, 403, 400, 400, 403, 400),
    ("POST", "/quan-ly/thanh-toan/nha-vuon/<int:producer_id>/xoa"): (LOGIN, 403, 303, 303, 403, 303),
    ("GET", "/quan-ly/thanh-toan/hop-tac-xa/<int:cooperative_id>"): (LOGIN, 403, 403, 200, 403, 200),
    ("POST", "/quan-ly/thanh-toan/hop-tac-xa/<int:cooperative_id>"): (LOGIN, 403, 403, 400, 403, 400),
    ("POST", "/quan-ly/thanh-toan/hop-tac-xa/<int:cooperative_id>/xoa"): (LOGIN, 403, 403, 303, 403, 303),
    # payments_admin (card money and payouts): ADMIN
    ("GET", "/quan-tri/tien-the"): (LOGIN, 403, 403, 403, 403, 200),
    ("POST", "/quan-tri/tien-the"): (LOGIN, 403, 403, 403, 403, 400),
    # household_reports (the office's reports and imports): OFFICER; figures scoped to their communes
    ("GET", "/ho-ho-tro/bao-cao/"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/bao-cao/tai-ve.csv"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/bao-cao/tai-ve.xlsx"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/bao-cao/nhap"): (LOGIN, 403, 403, 403, 200, 200),
    ("POST", "/ho-ho-tro/bao-cao/nhap"): (LOGIN, 403, 403, 403, 400, 400),  # no file
    # households (the officers' registry): OFFICER, then only the households of the officer's
    # communes; the sample officer covers the sample household's commune. Empty forms are refused.
    ("GET", "/ho-ho-tro/"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/moi"): (LOGIN, 403, 403, 403, 200, 200),
    ("POST", "/ho-ho-tro/moi"): (LOGIN, 403, 403, 403, 400, 400),
    ("GET", "/ho-ho-tro/<int:household_id>"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/sw.js"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/ngoai-tuyen"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/<int:household_id>/sua"): (LOGIN, 403, 403, 403, 200, 200),
    ("POST", "/ho-ho-tro/<int:household_id>/sua"): (LOGIN, 403, 403, 403, 400, 400),
    ("POST", "/ho-ho-tro/<int:household_id>/trang-thai"): (LOGIN, 403, 403, 403, 400, 400),
    ("POST", "/ho-ho-tro/<int:household_id>/ho-tro"): (LOGIN, 403, 403, 403, 400, 400),
    ("GET", "/ho-ho-tro/<int:household_id>/ra-soat/<int:year>"): (LOGIN, 403, 403, 403, 200, 200),
    ("POST", "/ho-ho-tro/<int:household_id>/ra-soat/<int:year>"): (LOGIN, 403, 403, 403, 400, 400),
    # deleting on request and the access log: ADMIN; an empty form does not confirm the deletion
    ("GET", "/ho-ho-tro/<int:household_id>/xoa"): (LOGIN, 403, 403, 403, 403, 200),
    ("POST", "/ho-ho-tro/<int:household_id>/xoa"): (LOGIN, 403, 403, 403, 403, 400),
    ("GET", "/ho-ho-tro/nhat-ky"): (LOGIN, 403, 403, 403, 403, 200),
    # household_officers (which communes each officer covers): ADMIN; the sample officer's id is
    # not given, so a made-up user is 404, and an empty form names no commune
    ("GET", "/ho-ho-tro/can-bo/"): (LOGIN, 403, 403, 403, 403, 200),
    ("POST", "/ho-ho-tro/can-bo/<int:user_id>/xa"): (LOGIN, 403, 403, 403, 403, 404),
    ("POST", "/ho-ho-tro/can-bo/<int:user_id>/xa/<int:commune_id>/bo"): (LOGIN, 403, 403, 403, 403, 404),
    # household_standards (poverty standards as data): ADMIN; the sample standard has no review yet,
    # so it may be edited; an empty form is refused
    ("GET", "/ho-ho-tro/chuan-ngheo/"): (LOGIN, 403, 403, 403, 403, 200),
    ("GET", "/ho-ho-tro/chuan-ngheo/moi"): (LOGIN, 403, 403, 403, 403, 200),
    ("POST", "/ho-ho-tro/chuan-ngheo/moi"): (LOGIN, 403, 403, 403, 403, 400),
    ("GET", "/ho-ho-tro/chuan-ngheo/<int:standard_id>/sua"): (LOGIN, 403, 403, 403, 403, 200),
    ("POST", "/ho-ho-tro/chuan-ngheo/<int:standard_id>/sua"): (LOGIN, 403, 403, 403, 403, 400),
    # household_links: the producer's own links SIGNED_IN (an empty form names no proposal; someone
    # else's link or none is 404); the officer's page OFFICER, households of their communes only
    ("GET", "/tai-khoan/lien-ket-ho"): (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "/tai-khoan/lien-ket-ho"): (LOGIN, 400, 400, 400, 400, 400),
    ("GET", "/tai-khoan/lien-ket-ho/<int:link_id>/rut-lai"): (LOGIN, 404, 404, 404, 404, 404),
    ("POST", "/tai-khoan/lien-ket-ho/<int:link_id>/rut-lai"): (LOGIN, 404, 404, 404, 404, 404),
    ("GET", "/ho-ho-tro/<int:household_id>/lien-ket"): (LOGIN, 403, 403, 403, 200, 200),
    ("POST", "/ho-ho-tro/<int:household_id>/lien-ket"): (LOGIN, 403, 403, 403, 400, 400),  # an empty form
    # household_duplicates: OFFICER, both households visible; the sample other household does not exist
    ("POST", "/ho-ho-tro/<int:household_id>/trung/<int:other_id>"): (LOGIN, 403, 403, 403, 404, 404),
    # household_export (officers export their area): OFFICER; the rows are the households they may see
    ("GET", "/ho-ho-tro/xuat.csv"): (LOGIN, 403, 403, 403, 200, 200),
    ("GET", "/ho-ho-tro/xuat.xlsx"): (LOGIN, 403, 403, 403, 200, 200),
}

# Which sample a <slug> names, by endpoint; every other <slug> is the sample live's.
SLUG_OF = {
    "catalog.product_detail": "product",
    "catalog.producer_detail": "producer",
    "livestreams.producer_calendar": "producer",
    "cooperatives.cooperative_detail": "cooperative",
    "livestreams.cooperative_calendar": "cooperative",
}


@dataclass
class Sample:
    users: dict[str, int]
    ids: dict[str, int]
    slugs: dict[str, str]

    def url_values(self, endpoint: str, arguments) -> dict:
        values = {
            "filename": "css/site.css" if endpoint == "static" else "khong-co-anh.jpg",
            "language": "en",
            "cooperative_id": self.ids["cooperative"],
            "producer_id": self.ids["producer"],
            "product_id": self.ids["product"],
            "livestream_id": self.ids["livestream"],
            "photo_id": 999_999,
            "line_id": 999_999,
            "user_id": 999_999,
            "commune_id": 999_999,
            "link_id": 999_999,
            "slug": self.slugs[SLUG_OF.get(endpoint, "livestream")],
            "code": self.slugs["order"],
            "move": "cancel",
            "token": "khong-co-thanh-toan-nay",  # a checkout's secret link; this one names none
            "household_id": self.ids["household"],
            "other_id": 999_999,  # no such household: marking a pair needs both
            "year": 2026,
            "standard_id": self.ids["standard"],
        }
        return {name: values[name] for name in arguments}


def make_sample(app) -> Sample:
    with app.app_context():
        users = {
            "buyer": UserFactory(roles=[Role.BUYER]),
            "producer": UserFactory(roles=[Role.BUYER, Role.PRODUCER]),
            "manager": UserFactory(roles=[Role.COOPERATIVE_MANAGER]),
            "officer": UserFactory(roles=[Role.OFFICER]),
            "admin": UserFactory(roles=[Role.ADMIN]),
        }
        cooperative = CooperativeFactory(managers=[users["manager"]])
        producer = ProducerFactory(user=users["producer"], cooperative=cooperative)
        product = ProductFactory(producer=producer)
        live = LivestreamFactory(producer=producer, products=[product])
        plan = delivery_plan(producer)
        order = checkout.place(cart_with(product), values({producer.id: pickup(plan)})).orders[0]
        # The officer covers the cooperative's commune, where the sample household lives.
        db.session.add(OfficerAssignment(user_id=users["officer"].id, commune_id=cooperative.commune_id))
        household = HouseholdFactory(commune=cooperative.commune, province=cooperative.commune.province)
        standard = db.session.execute(select(PovertyStandard).order_by(PovertyStandard.id.desc())).scalars().first()
        db.session.commit()
        return Sample(
            users={name: user.id for name, user in users.items()},
            ids={"cooperative": cooperative.id, "producer": producer.id, "product": product.id, "livestream": live.id,
                 "household": household.id, "standard": standard.id},
            slugs={
                "cooperative": cooperative.slug,
                "producer": producer.slug,
                "product": product.slug,
                "livestream": live.slug,
                "order": order.code,
            },
        )


def routes(app):
    """(method, rule, endpoint) for every route a request can reach."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule, rule.endpoint




def answer(response) -> int | str:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/dang-nhap"):
        return LOGIN
    return response.status_code


def routes_without_a_row(app) -> list[str]:
    return [
        f"{method} {rule.rule} ({endpoint})"
        for method, rule, endpoint in routes(app)
        if (method, rule.rule) not in EXPECTED
    ]


def endpoints_without_an_audience(app) -> list[str]:
    return sorted({endpoint for _, _, endpoint in routes(app) if access.audience_of(app, endpoint) is None})


def test_every_route_has_expected_answers(app):
    missing = routes_without_a_row(app)
    assert not missing, "routes without a row in tests/test_access.py EXPECTED: " + ", ".join(missing)
    stale = set(EXPECTED) - {(method, rule.rule) for method, rule, _ in routes(app)}
    assert not stale, f"rows in EXPECTED for routes that no longer exist: {sorted(stale)}"


def test_every_endpoint_declares_its_audience(app):
    undeclared = endpoints_without_an_audience(app)
    assert not undeclared, "endpoints without a declared audience (see app/common/access.py): " + ", ".join(undeclared)


def test_the_checks_above_name_a_new_route(app):
    _throwaway_blueprint(app)
    assert routes_without_a_row(app) == [
        "GET /thu/quen (forgot.undeclared)",
        "GET /thu/mo (forgot.declared)",
        "GET /can-bo/ (officers_only.officers_page)",
    ]
    assert endpoints_without_an_audience(app) == ["forgot.undeclared"]


def test_audiences_name_real_roles():
    names = {role.value for role in Role}
    for audience, admitted in access.ROLES_ADMITTED.items():
        assert admitted <= names, f"{audience} names roles that do not exist: {admitted - names}"
    assert set(access.ROLES_ADMITTED) == set(Audience) - {Audience.ANYONE, Audience.SIGNED_IN}


@pytest.mark.parametrize("person", PEOPLE)
def test_each_person_gets_the_expected_answer_everywhere(app, person):
    sample = make_sample(app)
    client = app.test_client()
    column = PEOPLE.index(person)
    wrong = []
    for method, rule, endpoint in routes(app):
        if (method, rule.rule) not in EXPECTED:
            continue  # reported by test_every_route_has_expected_answers
        sign_in(client, sample.users.get(person))
        got = answer(client.open(path_of(rule, sample.url_values(endpoint, rule.arguments)), method=method))
        expected = EXPECTED[(method, rule.rule)][column]
        if got != expected:
            wrong.append(f"{method} {rule.rule} ({endpoint}): expected {expected}, got {got}")
    assert not wrong, f"{person}:\n  " + "\n  ".join(wrong)


def path_of(rule, values: dict) -> str:
    """The rule's own path (not url_for's choice: two rules may share an endpoint)."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: quote(str(values[m.group(1)])), rule.rule)


# --- The gate itself ---------------------------------------------------------------------------


def _throwaway_blueprint(app) -> None:
    """Routes a careless author might add: one undeclared, one declared on an undeclared blueprint."""
    forgot = Blueprint("forgot", __name__, url_prefix="/thu")

    @forgot.get("/quen")
    def undeclared():
        return "served"

    @forgot.get("/mo")
    @access.audience(Audience.ANYONE)
    def declared():
        return "served"

    officers = access.declare(Blueprint("officers_only", __name__, url_prefix="/can-bo"), Audience.OFFICER)

    @officers.get("/")
    def officers_page():
        return "served"

    app.register_blueprint(forgot)
    app.register_blueprint(officers)


@pytest.mark.parametrize("person", PEOPLE)
def test_a_route_without_a_declared_audience_is_refused(app, person):
    _throwaway_blueprint(app)
    sample = make_sample(app)
    client = app.test_client()
    sign_in(client, sample.users.get(person))
    response = client.get("/thu/quen")
    assert response.status_code == 403
    assert "served" not in response.get_data(as_text=True)
    assert client.get("/thu/mo").get_data(as_text=True) == "served"


@pytest.mark.parametrize(
    ("person", "expected"),
    [("anonymous", LOGIN), ("buyer", 403), ("producer", 403), ("manager", 403), ("officer", 200), ("admin", 200)],
)
def test_an_officers_blueprint_admits_officers_and_admins(app, person, expected):
    _throwaway_blueprint(app)
    sample = make_sample(app)
    client = app.test_client()
    sign_in(client, sample.users.get(person))
    assert answer(client.get("/can-bo/")) == expected


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(app, client):
    response = client.get("/quan-ly/san-pham/moi?producer=3")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap?next=")
    assert "%2Fquan-ly%2Fsan-pham%2Fmoi%3Fproducer%3D3" in response.headers["Location"]


def test_a_buyer_at_the_dashboard_is_told_how_to_start_selling(app):
    sample = make_sample(app)
    client = app.test_client()
    sign_in(client, sample.users["buyer"])
    response = client.get("/quan-ly/")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Khu vực dành cho người bán" in page
    assert "hợp tác xã" in page and 'href="/hop-tac-xa"' in page
    assert "Xin chào" not in page  # nothing of the dashboard

    client.set_cookie("lang", "en")
    page = client.get("/quan-ly/livestream/").get_data(as_text=True)
    assert "For sellers" in page and "See the cooperatives" in page


def test_a_buyer_refused_elsewhere_gets_the_plain_refusal(app):
    _throwaway_blueprint(app)
    sample = make_sample(app)
    client = app.test_client()
    sign_in(client, sample.users["buyer"])
    page = client.get("/can-bo/").get_data(as_text=True)
    assert "Không có quyền" in page and "Khu vực dành cho người bán" not in page
