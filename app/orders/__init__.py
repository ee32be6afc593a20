"""Orders: the cart, checkout into one order per producer, delivery options and order states."""
