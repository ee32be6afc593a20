"""Acting as an account in a test without going through the login form."""

from __future__ import annotations


def sign_in(client, user_id: int | None):
    """Sign the test client in as user_id (None: anonymous) with a fresh session; returns it.

    The old session cookie is dropped first, so nothing an earlier answer set (a flash message, a
    cart) lingers into the next person's requests.
    """
    client.delete_cookie("session")
    if user_id is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
    return client
