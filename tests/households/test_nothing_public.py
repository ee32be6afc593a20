"""Nothing of the households reaches a public page: every route anyone may open, fetched with the
demo data loaded, shows no household name, code, status or link.

The routes come from the URL map (every GET endpoint whose audience is ANYONE), so a public page,
feed or sitemap added later is fetched too; one with a URL argument this test cannot fill fails
it, naming the argument, rather than going unchecked.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import quote

import sqlalchemy as sa

from app.catalog.models import Producer, Product
from app.common.access import Audience, audience_of
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.households.models import HouseholdMember, ProducerLink, SupportedHousehold
from app.livestreams.models import Livestream
from app.orders.models import Order

# Words only the registry uses: the status of a household, in both languages.
STATUS_WORDS = ["hộ nghèo", "cận nghèo", "thoát nghèo", "near-poor", "poor household", "out of poverty"]
SKIPPED = {"static", "main.media"}  # files, not pages
SLUGS_OF = {
    "catalog.product_detail": "products",
    "catalog.producer_detail": "producers",
    "livestreams.producer_calendar": "producers",
    "cooperatives.cooperative_detail": "cooperatives",
    "livestreams.cooperative_calendar": "cooperatives",
}


def _demo(app) -> dict:
    with app.app_context():
        def values(column):
            return sorted(db.session.execute(sa.select(column)).scalars())

        links = db.session.execute(sa.select(ProducerLink)).scalars().all()
        orders = db.session.execute(sa.select(Order)).scalars().all()
        return {
            "products": values(Product.slug),
            "producers": values(Producer.slug),
            "cooperatives": values(Cooperative.slug),
            "lives": values(Livestream.slug),
            "orders": [(order.checkout.access_token, order.code) for order in orders],
            "linked": sorted(link.producer.slug for link in links),
            "secrets": sorted(
                {*values(SupportedHousehold.head_name), *values(HouseholdMember.name),
                 *values(SupportedHousehold.code), *(link.paper_reference for link in links if link.paper_reference),
                 *(link.purpose for link in links)}
            ),
        }


def _paths(app, demo) -> list[str]:
    paths, unfilled = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        if audience_of(app, rule.endpoint) is not Audience.ANYONE:
            continue
        arguments = sorted(rule.arguments)
        if arguments == ["slug"]:
            choices = [{"slug": slug} for slug in demo[SLUGS_OF.get(rule.endpoint, "lives")]]
        elif arguments == ["language"]:
            choices = [{"language": "vi"}, {"language": "en"}]
        elif arguments == ["token"]:
            choices = [{"token": token} for token, _ in demo["orders"]]
        elif arguments == ["code", "token"]:
            choices = [{"token": token, "code": code} for token, code in demo["orders"]]
        elif not arguments:
            choices = [{}]
        else:
            unfilled.append(f"{rule.rule} ({rule.endpoint})")
            continue
        for values in choices:
            paths.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, v=values: quote(str(v[m.group(1)])), rule.rule))
    assert not unfilled, "public routes this test cannot fill in; teach it their arguments: " + ", ".join(unfilled)
    return paths


def test_no_public_page_shows_anything_of_a_household(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    demo = _demo(app)
    assert len(demo["linked"]) == 3 and len(demo["secrets"]) > 30
    paths = _paths(app, demo)
    for slug in demo["linked"]:
        assert f"/nha-vuon/{slug}" in paths and f"/nha-vuon/{slug}/livestream.ics" in paths
    # Searches a curious visitor might try, for a name, a code or a status. The page repeats what
    # was typed; only the rest of it counts.
    typed = {}
    for term in itertools.chain(demo["secrets"][:5], ["hộ nghèo", "can ngheo", "HT-HH-01"]):
        typed[f"/san-pham?q={quote(term)}"] = term
        paths.append(f"/san-pham?q={quote(term)}")

    leaks = []
    for language in ("vi", "en"):
        client = app.test_client()  # an anonymous visitor
        client.set_cookie("lang", language)
        for path in paths:
            response = client.get(path)
            assert response.status_code < 500, f"{path}: {response.status_code}"
            body = response.get_data(as_text=True)
            if path in typed:
                body = body.replace(typed[path], "").replace(quote(typed[path]), "")
            folded = body.lower()
            found = [s for s in demo["secrets"] if s in body] + [w for w in STATUS_WORDS if w in folded]
            if found:
                leaks.append(f"{language} {path}: {found}")
    assert not leaks, "household data on public pages:\n" + "\n".join(leaks)


def test_the_linked_producers_share_previews_and_structured_data_say_nothing(app, runner):
    """The head of their pages and their products' (Open Graph tags) and the JSON-LD."""
    runner.invoke(args=["seed-demo"])
    demo = _demo(app)
    with app.app_context():
        products = db.session.execute(
            sa.select(Product.slug).join(Producer).where(Producer.slug.in_(demo["linked"]))
        ).scalars().all()
    client = app.test_client()
    pages = [f"/nha-vuon/{slug}" for slug in demo["linked"]] + [f"/san-pham/{slug}" for slug in products]
    structured = 0
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        head = page[: page.find("</head>")]
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        structured += len(scripts)
        for text in (head, *scripts):
            assert not [secret for secret in demo["secrets"] if secret in text], path
            assert "nghèo" not in text.lower() and "poverty" not in text.lower(), path
    assert products and structured >= len(products)
    assert any('property="og:' in client.get(path).get_data(as_text=True) for path in pages)
