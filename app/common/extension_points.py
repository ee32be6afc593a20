"""Extension points: how a domain lets the domains built on it add to what it does, without
importing them.

Imports go one way (cooperatives build on the catalogue, livestreams on both), yet a producer's
page shows their next lives and a cooperative's manager may edit the members' listings. The lower
domain declares an ExtensionPoint and calls what is registered there; the higher one registers
into it when its blueprint is registered. Registrations are kept per application, so each app a
test creates starts with exactly what its own blueprints added.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app


class ExtensionPoint:
    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc

    def add(self, app: Flask, value: Any) -> None:
        """Register value for app; registering the same value twice keeps one."""
        values = app.extensions.setdefault("extension_points", {}).setdefault(self.name, [])
        if value not in values:
            values.append(value)

    def values(self) -> list[Any]:
        """What is registered for the current application, in the order it was registered."""
        return list(current_app.extensions.get("extension_points", {}).get(self.name, ()))

    def first(self, default: Any = None) -> Any:
        values = self.values()
        return values[0] if values else default

    def call_each(self, *args, **kwargs) -> list[Any]:
        return [function(*args, **kwargs) for function in self.values()]

