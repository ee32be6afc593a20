"""Scheduled lives on Facebook, YouTube, TikTok and Zalo, their featured products, calendars and reminders."""
