"""Redirect targets that cannot leave the site."""

from __future__ import annotations

from urllib.parse import urlsplit


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
