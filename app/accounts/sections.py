"""Sections other domains add to a person's account page, without accounts importing them.

Each registered function takes the signed-in user and returns None (nothing for this person)
or a dict with "title", "text" and "url": a short section linking to the domain's own page.
"""

from __future__ import annotations

from app.common.extension_points import ExtensionPoint

account_sections = ExtensionPoint(
    "accounts.account_sections", "Functions of a user giving a section of their account page, or None."
)


def sections_for(user) -> list[dict]:
    return [section for section in account_sections.call_each(user) if section]
