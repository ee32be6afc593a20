"""Configuration classes, read from the environment.

Every setting a deployment may change is listed in the README's configuration table.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))


def database_url(url: str | None, default: str) -> str:
    """Normalise a database URL so PostgreSQL always goes through psycopg 3."""
    url = url or default
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    """A key generated once per checkout and kept under instance/, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'chophien.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Public address of the site, used in canonical links, Open Graph tags and calendar feeds
    # when a page is produced outside a request. Empty: taken from the request.
    SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # One photo may be at most this many bytes; the whole request a little more than 8 of them.
    MAX_IMAGE_BYTES = _env_int("MAX_IMAGE_BYTES", 10 * 1024 * 1024)
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 96 * 1024 * 1024)
    # Width × height above which an upload is refused as a decompression bomb (40 megapixels
    # is well above any phone camera).
    MAX_IMAGE_PIXELS = _env_int("MAX_IMAGE_PIXELS", 40_000_000)

    # Static files are linked with a fingerprint of their content (main.templating.asset_url),
    # so a phone may keep them for a year.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    # Failed logins: after this many in the window, each account or address waits before trying again.
    LOGIN_FAILURE_LIMIT = _env_int("LOGIN_FAILURE_LIMIT", 5)
    LOGIN_FAILURE_LIMIT_PER_ADDRESS = _env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
    LOGIN_FAILURE_WINDOW_SECONDS = _env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
    # Each lock lasts twice as long as the one before, up to this many seconds.
    LOGIN_LOCK_MAX_SECONDS = _env_int("LOGIN_LOCK_MAX_SECONDS", 4 * 3600)

    PRODUCTS_PER_PAGE = _env_int("PRODUCTS_PER_PAGE", 24)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # a farmer may fill a form slowly; the token lives as long as the session

    # Outgoing mail: SMTP when MAIL_SERVER is set, otherwise messages are written to MAIL_OUTBOX_DIR.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Chợ Phiên <no-reply@chophien.local>")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    # `flask send-reminders` mails a live's reminders once it starts within this many minutes.
    LIVESTREAM_REMINDER_LEAD_MINUTES = _env_int("LIVESTREAM_REMINDER_LEAD_MINUTES", 30)
    # A household newly out of poverty keeps some support for this many months: commonly 36,
    # not confirmed for every programme, so a setting rather than a constant.
    HOUSEHOLD_SUPPORT_MONTHS = _env_int("HOUSEHOLD_SUPPORT_MONTHS", 36)

    # Card payments by Stripe Checkout: offered only when both keys are set (payments/stripe_gateway.py).
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    # Another Stripe-compatible server (a local fake, staging); empty: api.stripe.com.
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")


    @classmethod
    def init_app(cls, app) -> None:
        """Last checks once the configuration is loaded; subclasses refine it."""


class DevelopmentConfig(Config):
    @classmethod
    def init_app(cls, app) -> None:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _development_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-secret"
    WTF_CSRF_ENABLED = False
    # Argon2 at full strength makes a suite of hundreds of logins slow; tests use a light setting.
    PASSWORD_HASH_FAST = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def init_app(cls, app) -> None:
        key = app.config.get("SECRET_KEY") or ""
        if len(key) < 32 or key in {"change-me", "dev", "secret"}:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("CHOPHIEN_ENV", "development")]
