"""Helpers shared by every domain: money, time, text, audit. No business rules live here."""
