"""The catalogue's named errors: a rule was broken; the message is shown to the person who broke it."""

from __future__ import annotations


class CatalogError(Exception):
    field: str | None = None

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field or self.field


class InvalidListing(CatalogError):
    pass


class TooManyPhotos(CatalogError):
    field = "photos"


class NotAllowed(CatalogError):
    """The person may not do this to this producer's listings."""
