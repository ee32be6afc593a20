"""Cooperatives (hợp tác xã), their member producers and their managers."""
