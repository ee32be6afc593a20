"""What pages say about a product beyond its fields: structured data for search engines and
the preview Facebook and Zalo draw when a link is shared."""

from __future__ import annotations

from app.catalog.models import Product, available_to_buy
from app.common.urls import absolute_url


def product_json_ld(product: Product) -> dict:
    """schema.org Product with one Offer. The price is a plain whole number of đồng."""
    url = absolute_url("catalog.product_detail", slug=product.slug)
    available = available_to_buy(product)
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": product.description[:500] or product.name,
        "url": url,
        "category": product.category.name_vi,
        "brand": {"@type": "Brand", "name": product.producer.display_name},
        "offers": {
            "@type": "Offer",
            "price": product.price_vnd,
            "priceCurrency": "VND",
            "availability": "https://schema.org/InStock" if available else "https://schema.org/OutOfStock",
            "url": url,
            "seller": {"@type": "Organization", "name": product.producer.display_name},
        },
    }
    if product.photos:
        data["image"] = [
            absolute_url("main.media", filename=p.image.variant_path(p.image.best_width(1600)))
            for p in product.photos
        ]
    return data
