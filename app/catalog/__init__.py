"""Producers, products, categories, photos and search: the shop window."""
