"""Addresses: redirect targets that cannot leave the site, and full links for sharing and mail."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for


def safe_next(target: str | None, fallback: str) -> str:
    """Return target if it is a path on this site, else fallback.

    Only a relative path beginning with a single slash is accepted: '//evil.example',
    '/\\evil.example' and 'https://evil.example' are all refused.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return fallback
    return target


def absolute_url(endpoint: str, **values) -> str:
    """A full address for canonical links and shared previews, behind SITE_URL when set."""
    site = current_app.config.get("SITE_URL")
    if site:
        return site + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
