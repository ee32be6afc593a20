"""Account rules: who may register and who may log in (the counters that slow guessing are in
throttle.py).

Functions here flush and write the audit entry but never commit; the route or command that
calls them commits once, also after a refused login, so the failure it counted is kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts import throttle
from app.accounts.models import Role, RoleGrant, User
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.accounts.phone import InvalidPhoneNumber, normalize_phone
from app.common import audit
from app.common.timezone import utcnow
from app.extensions import db

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # long passphrases are welcome; megabytes to hash are not
MAX_NAME_LENGTH = 120



# --- Errors ----------------------------------------------------------------------------------


class AccountError(Exception):
    """A rule about accounts was broken. Routes turn these into messages."""


class InvalidEmail(AccountError, ValueError):
    def __init__(self, text: str | None):
        self.text = text
        super().__init__(f"not an email address: {text!r}")


class InvalidLogin(AccountError, ValueError):
    """What was typed as a login is neither an email address nor a Vietnamese mobile number."""

    def __init__(self, text: str | None, reason: str = "format"):
        self.text = text
        self.reason = reason  # "format", or "network" for a phone number of no mobile network
        super().__init__(f"not an email address or mobile number ({reason}): {text!r}")


class InvalidName(AccountError):
    """The full name is empty or longer than MAX_NAME_LENGTH."""


class MissingContact(AccountError):
    """An account needs an email address or a phone number to log in with."""


class PasswordTooShort(AccountError):
    def __init__(self, minimum: int = MIN_PASSWORD_LENGTH):
        self.minimum = minimum
        super().__init__(f"password shorter than {minimum} characters")


class PasswordTooLong(AccountError):
    def __init__(self, maximum: int = MAX_PASSWORD_LENGTH):
        self.maximum = maximum
        super().__init__(f"password longer than {maximum} characters")


class AccountExists(AccountError):
    """Another account already uses this email address and/or phone number."""

    def __init__(self, fields: Iterable[str]):
        self.fields = frozenset(fields)  # subset of {"email", "phone"}
        super().__init__(f"already registered: {', '.join(sorted(self.fields))}")


class InvalidCredentials(AccountError):
    """Wrong password, or no such account: deliberately the same error for both."""


class InactiveAccount(AccountError):
    """The password was right but the account has been switched off by an administrator."""

    def __init__(self, user: User):
        self.user = user
        super().__init__(f"account {user.id} is inactive")


class LoginThrottled(AccountError):
    """Too many failed logins for this account or from this address; wait until `until`."""

    def __init__(self, until: datetime):
        self.until = until
        super().__init__(f"login refused until {until.isoformat()}")

    def seconds_left(self, now: datetime | None = None) -> int:
        return max(1, math.ceil((self.until - (now or utcnow())).total_seconds()))

    def minutes_left(self, now: datetime | None = None) -> int:
        return max(1, math.ceil(self.seconds_left(now) / 60))


# --- Who is who ------------------------------------------------------------------------------


def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def normalize_email(text: str | None) -> str:
    """The address checked for shape (no DNS look-up) and lower-cased, or InvalidEmail."""
    if not text or not text.strip():
        raise InvalidEmail(text)
    try:
        result = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(text) from error
    return result.normalized.lower()


def parse_login(text: str | None) -> str:
    """What someone typed to log in, as stored: a lower-cased email or a +84 phone number.

    Anything with an @ is read as an email address, anything else as a phone number.
    """
    text = (text or "").strip()
    if "@" in text:
        try:
            return normalize_email(text)
        except InvalidEmail as error:
            raise InvalidLogin(text) from error
    try:
        return normalize_phone(text)
    except InvalidPhoneNumber as error:
        raise InvalidLogin(text, reason=error.reason) from error


def find_user_by_login(text: str) -> User | None:
    """The account an email address or phone number (in any accepted form) belongs to."""
    try:
        identifier = parse_login(text)
    except InvalidLogin:
        return None
    column = User.email if "@" in identifier else User.phone
    return db.session.execute(select(User).where(column == identifier)).scalar_one_or_none()


# --- Registration ----------------------------------------------------------------------------


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort()
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordTooLong()


def register_user(
    full_name: str,
    password: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    roles: Iterable[Role] = (Role.BUYER,),
    created_by: User | None = None,
    source: str = "register",
    consented: bool = False,
) -> User:
    """Create an account that logs in with email and/or phone.

    Raises InvalidName, InvalidEmail, InvalidPhoneNumber, MissingContact, PasswordTooShort/Long, or
    AccountExists (naming every field already taken, so a form can mark them all). The same
    number typed another way is the same number: both are compared after normalising.
    """
    full_name = " ".join((full_name or "").split())
    if not full_name or len(full_name) > MAX_NAME_LENGTH:
        raise InvalidName(full_name)
    email = normalize_email(email) if email and email.strip() else None
    phone = normalize_phone(phone) if phone and phone.strip() else None
    if not email and not phone:
        raise MissingContact("an email address or a phone number is needed")
    check_password_rules(password)

    taken = set()
    if email and db.session.execute(select(User.id).where(User.email == email)).first():
        taken.add("email")
    if phone and db.session.execute(select(User.id).where(User.phone == phone)).first():
        taken.add("phone")
    if taken:
        raise AccountExists(taken)

    roles = sorted(set(roles) or {Role.BUYER}, key=lambda role: list(Role).index(role))
    user = User(
        full_name=full_name,
        email=email,
        phone=phone,
        password_hash=hash_password(password),
        privacy_consent_at=utcnow() if consented else None,
    )
    user.role_grants = [RoleGrant(role=role) for role in roles]
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        # Someone registered the same address between the check above and now; the unique
        # index caught it. The caller must roll back.
        raise AccountExists(name for name, value in (("email", email), ("phone", phone)) if value) from error
    actor = created_by if created_by is not None else (user if source == "register" else None)
    audit.record(actor, "user.created", user, {"roles": [role.value for role in roles], "source": source})
    return user


def remember_language(user: User, language: str) -> None:
    """Keep the language a person chose on their account (mail is written in it). Flushes only."""
    if user.locale != language:
        user.locale = language
        db.session.flush()


# --- Logging in ---------------------------------------------------------------------------------


_dummy_hashes: dict[bool, str] = {}


def _spend_time_like_verify(password: str) -> None:
    """Verify against a throwaway hash, so an unknown login takes as long as a wrong password."""
    fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if fast not in _dummy_hashes:
        _dummy_hashes[fast] = hash_password("not the password of anyone")
    verify_password(_dummy_hashes[fast], password)


def authenticate(login: str, password: str, address: str | None, now: datetime | None = None) -> User:
    """The account for these credentials, or a named error.

    Raises InvalidLogin (not an email or mobile number: nothing is counted), LoginThrottled
    (this account or address must wait, whatever the password), InvalidCredentials (wrong
    password or unknown account, indistinguishable) or InactiveAccount. A success clears the
    account's failures and upgrades an old password hash.
    """
    now = now or utcnow()
    limit_account, limit_address, _, _ = throttle.limits()
    identifier = parse_login(login)

    address_row = throttle.acquire(throttle.address_key(address), now)
    rows = [address_row]
    try:
        if until := throttle.locked_until(address_row, now):
            raise LoginThrottled(until)
        user = find_user_by_login(identifier)
        key = throttle.account_key(user) if user else throttle.unknown_login_key(identifier)
        account_row = throttle.acquire(key, now)
        rows.append(account_row)
        if until := throttle.locked_until(account_row, now):
            raise LoginThrottled(until)

        if user is None:
            _spend_time_like_verify(password)
            correct = False
        else:
            correct = verify_password(user.password_hash, password)
        if not correct:
            locks = [
                throttle.count_failure(account_row, limit_account, now),
                throttle.count_failure(address_row, limit_address, now),
            ]
            if any(locks):
                raise LoginThrottled(max(lock for lock in locks if lock))
            raise InvalidCredentials()

        if not user.active:
            raise InactiveAccount(user)
        rows.remove(account_row)
        db.session.delete(account_row)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return user
    finally:
        throttle.discard_if_unused(rows)
        db.session.flush()


def change_password(user: User, current_password: str, new_password: str, now: datetime | None = None) -> None:
    """Set a new password after checking the current one, with the same limits as logging in."""
    now = now or utcnow()
    limit_account, _, _, _ = throttle.limits()
    row = throttle.acquire(throttle.account_key(user), now)
    try:
        if until := throttle.locked_until(row, now):
            raise LoginThrottled(until)
        if not verify_password(user.password_hash, current_password):
            if until := throttle.count_failure(row, limit_account, now):
                raise LoginThrottled(until)
            raise InvalidCredentials()
        check_password_rules(new_password)
        row.failures, row.locked_until = 0, None
        user.password_hash = hash_password(new_password)
        audit.record(user, "user.password_changed", user)
    finally:
        throttle.discard_if_unused([row])
        db.session.flush()
