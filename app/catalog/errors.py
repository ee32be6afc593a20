"""The catalogue's named broken rules; the message is shown to the person who broke it."""

from __future__ import annotations

from app.common.errors import NotAllowed, RuleBroken

__all__ = ["InvalidListing", "NotAllowed", "TooManyPhotos"]


class InvalidListing(RuleBroken):
    pass


class TooManyPhotos(RuleBroken):
    field = "photos"
