"""Sections the domains built on cooperatives add to their pages (a cooperative's next lives)."""

from __future__ import annotations

from app.common.extension_points import ExtensionPoint

cooperative_page = ExtensionPoint(
    "cooperatives.cooperative_page",
    "Functions of a cooperative returning Markup, shown on its page between the description and the members.",
)
