"""Sections the domains built on the catalogue add to its pages (a producer's next lives)."""

from __future__ import annotations

from app.common.extension_points import ExtensionPoint

producer_page = ExtensionPoint(
    "catalog.producer_page",
    "Functions of a producer returning Markup, shown on their page between the profile and the products.",
)
