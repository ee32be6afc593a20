"""What the photo pipeline keeps and refuses; images.py explains the choices."""

VARIANT_WIDTHS = (320, 800, 1600)
MIN_SHORT_SIDE = 200
MAX_ASPECT_RATIO = 8
JPEG_QUALITY = 82
