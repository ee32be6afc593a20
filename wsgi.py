"""Entry point for `flask run` and gunicorn (`gunicorn wsgi:app`)."""

from app import create_app

app = create_app()
