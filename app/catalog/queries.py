"""Reading the catalogue: the product list with its filters and sorts, a product's and a producer's page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.catalog.access import may_manage_producer
from app.catalog.models import (
    PUBLIC_STATUSES,
    Category,
    Certification,
    Producer,
    Product,
    available_condition,
    product_certifications,
)
from app.catalog.search import match_products
from app.common.pagination import Page, paginate
from app.common.text import search_tokens, vietnamese_sort_key
from app.extensions import db
from app.places.models import Commune, Province


class Sort(enum.Enum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NAME = "name"


@dataclass
class ProductFilters:
    """A product list as described by its URL, so a filtered list can be shared."""

    q: str = ""
    category: str | None = None  # category slug
    province: str | None = None  # province slug
    commune: str | None = None  # commune slug (within the province)
    certification: str | None = None  # certification code
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    sort: Sort | None = None
    producer_id: int | None = None
    cooperative_id: int | None = None

    @property
    def effective_sort(self) -> Sort:
        """Relevance while searching, newest otherwise, unless the visitor chose an order."""
        searching = bool(search_tokens(self.q))
        if self.sort is None or (self.sort == Sort.RELEVANCE and not searching):
            return Sort.RELEVANCE if searching else Sort.NEWEST
        return self.sort


def listing_options():
    """Everything a product card shows, loaded in a fixed number of queries.

    Producers and categories come in queries of their own rather than joined: joined, the
    database would join every matching product before sorting and cutting out one page.
    """
    return (
        selectinload(Product.producer).joinedload(Producer.commune),
        selectinload(Product.producer).joinedload(Producer.province),
        selectinload(Product.category),
        selectinload(Product.photos),
        selectinload(Product.certifications),
    )


def product_query(filters: ProductFilters) -> tuple[sa.Select, sa.Select]:
    """The public products matching filters: (ordered items query, unordered ids query)."""
    conditions = [Product.status.in_(PUBLIC_STATUSES)]
    match = match_products(filters.q, db.session.get_bind().dialect.name)
    search_condition = Product.id.in_(match.ids) if match is not None else None
    if search_condition is not None:
        conditions.append(search_condition)
    if filters.category:
        conditions.append(Product.category_id.in_(sa.select(Category.id).where(Category.slug == filters.category)))
    producer_conditions = []
    if filters.province:
        producer_conditions.append(
            Producer.province_id.in_(sa.select(Province.id).where(Province.slug == filters.province))
        )
        if filters.commune:
            producer_conditions.append(
                Producer.commune_id.in_(
                    sa.select(Commune.id).join(Province).where(
                        Commune.slug == filters.commune, Province.slug == filters.province
                    )
                )
            )
    if filters.cooperative_id:
        producer_conditions.append(Producer.cooperative_id == filters.cooperative_id)
    if producer_conditions:
        conditions.append(Product.producer_id.in_(sa.select(Producer.id).where(*producer_conditions)))
    if filters.producer_id:
        conditions.append(Product.producer_id == filters.producer_id)
    if filters.certification:
        conditions.append(Product.certifications.any(Certification.code == filters.certification))
    if filters.price_min is not None:
        conditions.append(Product.price_vnd >= filters.price_min)
    if filters.price_max is not None:
        conditions.append(Product.price_vnd <= filters.price_max)
    if filters.in_stock:
        conditions.append(available_condition())

    ids = sa.select(Product.id).where(*conditions)
    sort = filters.effective_sort
    if sort == Sort.RELEVANCE and match is not None:
        # The join both ranks and filters, so the IN (…) test on the same search is left out.
        items = (
            sa.select(Product)
            .where(*(c for c in conditions if c is not search_condition))
            .join(match.ranked, match.ranked.c.product_id == Product.id)
            .order_by(match.score.desc(), Product.created_at.desc(), Product.id.desc())
        )
        return items, ids
    order = {
        Sort.NEWEST: Product.created_at.desc(),
        Sort.PRICE_ASC: Product.price_vnd.asc(),
        Sort.PRICE_DESC: Product.price_vnd.desc(),
        Sort.NAME: Product.name_sort_key.asc(),
    }.get(sort, Product.created_at.desc())
    return sa.select(Product).where(*conditions).order_by(order, Product.id.desc()), ids


def list_products(filters: ProductFilters, page: int = 1, per_page: int = 24) -> Page:
    """One page of the public product list: a count query and one query per loaded relation."""
    items, ids = product_query(filters)
    return paginate(items.options(*listing_options()), ids, page, per_page)


def product_for_page(slug: str, viewer: User | None) -> Product | None:
    """A product by its slug, if this viewer may see it: drafts only to those who manage them."""
    product = db.session.execute(
        sa.select(Product)
        .where(Product.slug == slug)
        .options(
            joinedload(Product.producer).joinedload(Producer.commune),
            joinedload(Product.producer).joinedload(Producer.province),
            joinedload(Product.producer).joinedload(Producer.cooperative),
            joinedload(Product.category),
            selectinload(Product.photos),
            selectinload(Product.certifications),
        )
    ).scalar_one_or_none()
    if product is None:
        return None
    if product.status not in PUBLIC_STATUSES and not may_manage_producer(viewer, product.producer):
        return None
    return product


def _producer_card_options() -> tuple:
    """What a producer's card and page show, loaded with the producer in a fixed number of queries."""
    return (
        joinedload(Producer.commune),
        joinedload(Producer.province),
        joinedload(Producer.cooperative),
        selectinload(Producer.photos),
        selectinload(Producer.certifications),
    )


def producer_by_slug(slug: str) -> Producer | None:
    return db.session.execute(
        sa.select(Producer).where(Producer.slug == slug).options(*_producer_card_options())
    ).scalar_one_or_none()


def list_producers(page: int = 1, per_page: int = 24):
    query = sa.select(Producer).options(*_producer_card_options()).order_by(Producer.name_sort_key, Producer.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def filter_choices(filters: ProductFilters | None = None) -> dict:
    """The options of the product list's filter form: only values some public product has, so no
    choice leads to an empty list, plus the value the URL already chose (so it can be unchosen,
    even when its products have gone). One query per filter, whatever the catalogue holds."""
    filters = filters or ProductFilters()
    public = Product.status.in_(PUBLIC_STATUSES)
    public_producers = sa.select(Product.producer_id).where(public)

    def offered(condition, chosen_condition):
        return sa.or_(condition, chosen_condition) if chosen_condition is not None else condition

    categories = db.session.execute(
        sa.select(Category)
        .where(offered(
            Category.id.in_(sa.select(Product.category_id).where(public)),
            Category.slug == filters.category if filters.category else None,
        ))
        .order_by(Category.position)
    ).scalars().all()
    certifications = db.session.execute(
        sa.select(Certification)
        .where(offered(
            Certification.id.in_(
                sa.select(product_certifications.c.certification_id)
                .join(Product, Product.id == product_certifications.c.product_id)
                .where(public)
            ),
            Certification.code == filters.certification if filters.certification else None,
        ))
        .order_by(Certification.position)
    ).scalars().all()
    provinces = sorted(
        db.session.execute(
            sa.select(Province).where(offered(
                Province.id.in_(sa.select(Producer.province_id).where(Producer.id.in_(public_producers))),
                Province.slug == filters.province if filters.province else None,
            ))
        ).scalars().all(),
        key=lambda p: vietnamese_sort_key(p.name),
    )
    chosen_commune = None
    if filters.commune:
        chosen_commune = sa.and_(
            Commune.slug == filters.commune,
            Commune.province_id.in_(sa.select(Province.id).where(Province.slug == filters.province)),
        )
    communes = sorted(
        db.session.execute(
            sa.select(Commune)
            .where(offered(
                Commune.id.in_(sa.select(Producer.commune_id).where(Producer.id.in_(public_producers))),
                chosen_commune,
            ))
            .options(joinedload(Commune.province))
        ).scalars().all(),
        key=lambda c: vietnamese_sort_key(c.name),
    )
    return {
        "categories": categories,
        "certifications": certifications,
        "provinces": provinces,
        "communes": communes,
    }
