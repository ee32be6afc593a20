"""Demo data for `make run`: the cooperatives, producers and produce of Hương Trà, with fictional
people, and a livestream schedule around today.

data.py holds what the demo contains, seed.py creates it through the same services as real data
(`flask seed-demo`), and photos.py paints the produce photos that go through the upload pipeline.
"""
