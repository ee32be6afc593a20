"""Site-wide pages: home, health check, language switch, uploaded media, error pages."""
