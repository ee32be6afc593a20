def register(app):
    from app.accounts.cli import register_account_commands

    register_account_commands(app)
