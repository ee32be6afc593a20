"""Where a person lands after signing in or registering: one rule, tested as a table
(tests/accounts/test_landing.py).

1. A page that needs an account sent them to sign in (the access gate's redirect carries it in
   `next`): they go back to it, whatever their roles. They asked for that page.
2. Otherwise the first of their roles in WORK_PAGES decides: an admin on the admin page, a seller
   (producer or cooperative manager) on their dashboard, an officer on the households' list. An
   admin holds every role's powers, so theirs comes first; someone who both sells and reviews
   households sells every day and reviews a few times a year, so selling comes before reviewing.
   Except in the middle of buying: whoever signs in from their cart or the checkout (a seller
   buying from another farm too) goes back to it, or their cart would seem lost.
3. A buyer (or anyone with no work page) goes back to the public page they were reading (the
   header's sign-in link carries it), or to the home page.

`next` is only ever a path on this site (common.urls.safe_next). Work pages are named by their
endpoint, so accounts imports none of the domains that own them (households must stay out of
reach of the public packages); an endpoint the application does not have is skipped.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.accounts.models import Role, User
from app.common.access import Audience, audience_of
from app.common.urls import safe_next

WORK_PAGES: tuple[tuple[frozenset[Role], str], ...] = (
    (frozenset({Role.ADMIN}), "payments_admin.card_money"),
    (frozenset({Role.PRODUCER, Role.COOPERATIVE_MANAGER}), "manage.dashboard"),
    (frozenset({Role.OFFICER}), "households.household_list"),
)


# Pages a person is in the middle of a task on: signing in from them must lead back to them.
BUYING_PAGES = frozenset({"orders.cart", "orders.checkout_page"})


def _endpoint(path: str) -> str | None:
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
    except RequestRedirect as redirect:  # a missing trailing slash: judge the page it leads to
        return _endpoint(urlsplit(redirect.new_url).path)
    except HTTPException:  # no such page, or not one that is opened (a form's POST address)
        return None
    return endpoint


def needs_account(path: str) -> bool:
    """Whether path is a page of this site that only a signed-in person may open."""
    endpoint = _endpoint(path)
    who = audience_of(current_app, endpoint) if endpoint else None
    return who is not None and who is not Audience.ANYONE


def resumes_task(path: str) -> bool:
    """Whether path is a page that needs an account or one of the buying pages."""
    return needs_account(path) or _endpoint(path) in BUYING_PAGES


def work_page(user: User) -> str | None:
    """The address of the page a person's first role works from, or None (buyers)."""
    roles = user.roles
    for wanted, endpoint in WORK_PAGES:
        if roles & wanted and endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None


def landing_page(user: User, next_path: str | None) -> str:
    """Where user goes after signing in, given the `next` the sign-in page was opened with."""
    next_path = safe_next(next_path, "") or None
    if next_path and resumes_task(next_path):
        return next_path
    return work_page(user) or next_path or url_for("main.home")
