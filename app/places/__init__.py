"""Provinces and communes after the 2025 reform (two tiers, no districts)."""
