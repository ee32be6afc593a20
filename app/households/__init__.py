"""Supported households: the poverty-reduction office's registry, yearly reviews, poverty standards,
recognised statuses, support received and producers linked with consent. Never public."""
