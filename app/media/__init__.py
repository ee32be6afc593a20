"""Uploaded photos: the checks, resizing and storage every upload goes through, and the model
that remembers them. The catalogue and livestreams both build on it."""
