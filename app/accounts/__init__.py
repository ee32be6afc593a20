"""People and their roles: registration, login by email or Vietnamese mobile number."""
