"""The one error a service raises when a person broke one of its rules.

The message is translatable and shown to that person; `field` names the value at fault, as the
service calls it, so a form can mark the box (see common.forms.show_error). A domain names its
errors as subclasses (InvalidListing, TransitionNotAllowed...) so callers can tell them apart.
"""

from __future__ import annotations


class RuleBroken(Exception):
    field: str | None = None

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field or self.field


class NotAllowed(RuleBroken):
    """The person may not do this to this thing, whatever they enter."""
