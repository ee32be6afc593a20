"""Chợ Phiên: an online market and livestream catalogue for the farmers of Huế."""

from __future__ import annotations

from flask import Flask

from config import Config, config_from_env


def create_app(config_class: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    config_class = config_class or config_from_env()
    app.config.from_object(config_class)
    if overrides:
        app.config.update(overrides)
    config_class.init_app(app)

    register_extensions(app)
    register_blueprints(app)
    register_access(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    from app.accounts.services import load_user
    from app.common.database import enforce_foreign_keys
    from app.extensions import babel, compress, csrf, db, login_manager, migrate
    from app.main.i18n import select_locale

    # First registered, so its after_request runs last: it compresses the final response.
    compress.init_app(app)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            enforce_foreign_keys(engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page itself explains why it is shown
    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    from app.accounts.routes import bp as accounts_bp
    from app.catalog.manage import bp as manage_bp
    from app.catalog.routes import bp as catalog_bp
    from app.cooperatives.routes import bp as cooperatives_bp
    from app.households.duplicate_routes import bp as household_duplicates_bp
    from app.households.export_routes import bp as household_export_bp
    from app.households.link_pages import bp as household_links_bp
    from app.households.officer_routes import bp as household_officers_bp
    from app.households.report_routes import bp as household_reports_bp
    from app.households.routes import bp as households_bp
    from app.households.standards_admin import bp as household_standards_bp
    from app.livestreams.manage import bp as manage_livestreams_bp
    from app.livestreams.routes import bp as livestreams_bp
    from app.main.routes import bp as main_bp
    from app.orders.delivery_settings import bp as delivery_settings_bp
    from app.orders.routes import bp as orders_bp
    from app.orders.seller import bp as seller_orders_bp
    from app.payments.admin import bp as payments_admin_bp
    from app.payments.manage import bp as payments_manage_bp
    from app.payments.routes import bp as payments_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(cooperatives_bp)
    app.register_blueprint(livestreams_bp)
    app.register_blueprint(manage_livestreams_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(delivery_settings_bp)
    app.register_blueprint(seller_orders_bp)
    app.register_blueprint(payments_bp)
    app.register_blueprint(payments_manage_bp)
    app.register_blueprint(payments_admin_bp)
    app.register_blueprint(household_reports_bp)
    app.register_blueprint(household_standards_bp)
    app.register_blueprint(households_bp)
    app.register_blueprint(household_links_bp)
    app.register_blueprint(household_duplicates_bp)
    app.register_blueprint(household_export_bp)
    app.register_blueprint(household_officers_bp)


def register_access(app: Flask) -> None:
    """One gate for every request: each endpoint is open only to the audience declared for it."""
    from app.common.access import install

    install(app)


def register_errorhandlers(app: Flask) -> None:
    from app.main.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.main.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
