"""What the photo pipeline keeps and refuses; images.py explains the choices."""

VARIANT_WIDTHS = (320, 480, 800, 1600)
MIN_SHORT_SIDE = 200
MAX_ASPECT_RATIO = 8
JPEG_QUALITY = 82
# Card-sized variants (a product list on a phone) are shown at 2-3 device pixels per CSS pixel,
# where quality 75 looks the same as 82 and weighs a fifth less.
CARD_JPEG_QUALITY = 75
CARD_VARIANT_MAX_WIDTH = 480
