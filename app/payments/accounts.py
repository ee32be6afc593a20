"""The bank accounts sellers are paid into by transfer, and whose account pays a producer.

A producer may record their own account; a cooperative's managers record the cooperative's, which
its members without one of their own are paid into (as with delivery plans), and may also record
a member's own. The details are checked by the rules a VietQR code has to meet (vietqr.py), so
every account saved here can be put in a code a bank app reads.

Functions here flush and audit but never commit; the route commits once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.catalog.access import may_manage_producer
from app.catalog.models import Producer
from app.common import audit
from app.common.errors import NotAllowed
from app.common.text import fold
from app.common.timezone import utcnow
from app.cooperatives.access import may_edit_cooperative
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.payments.errors import InvalidTransferDetails
from app.payments.models import BankAccount
from app.payments.vietqr import build_payload

ACCOUNT_NAME_MAX_LENGTH = 120
# What banks print as an account holder: capital letters without marks, digits for a company's
# name, and the few signs a registered business name may hold.
_ACCOUNT_NAME = re.compile(r"[A-Z0-9][A-Z0-9 .,&()'/-]*")


@dataclass
class BankAccountValues:
    bank_bin: str
    account_number: str
    account_name: str


def account_holder(name: str | None) -> str:
    """'Nguyễn Thị  Hoa' → 'NGUYEN THI HOA': the holder's name as banks print it."""
    return fold(name).upper()


def _clean(values: BankAccountValues) -> dict:
    bank_bin = (values.bank_bin or "").strip()
    account_number = re.sub(r"\s+", "", values.account_number or "")
    # The same checks a transfer's code will need, so no saved account makes a code a bank refuses.
    build_payload(bank_bin, account_number, None)
    name = account_holder(values.account_name)
    if not name:
        raise InvalidTransferDetails(_l("Hãy nhập tên chủ tài khoản như ngân hàng ghi."), "account_name")
    if len(name) > ACCOUNT_NAME_MAX_LENGTH or not _ACCOUNT_NAME.fullmatch(name):
        raise InvalidTransferDetails(
            _l("Tên chủ tài khoản chỉ gồm chữ cái, chữ số và khoảng trắng, tối đa 120 ký tự."), "account_name"
        )
    return {"bank_bin": bank_bin, "account_number": account_number, "account_name": name}


def _save(actor: User, account: BankAccount | None, owner: dict, values: BankAccountValues) -> BankAccount:
    fields = _clean(values)
    if account is None:
        account = BankAccount(**owner, **fields, updated_at=utcnow())
        db.session.add(account)
        db.session.flush()
        audit.record(actor, "bank_account.created", account, {**owner, **fields})
        return account
    changes = audit.diff(account, fields)
    if changes:
        account.updated_at = utcnow()
        db.session.flush()
        audit.record(actor, "bank_account.updated", account, changes)
    return account


def own_account(producer: Producer) -> BankAccount | None:
    return db.session.execute(
        sa.select(BankAccount).where(BankAccount.producer_id == producer.id)
    ).scalar_one_or_none()


def cooperative_account(cooperative: Cooperative) -> BankAccount | None:
    return db.session.execute(
        sa.select(BankAccount).where(BankAccount.cooperative_id == cooperative.id)
    ).scalar_one_or_none()


def save_for_producer(actor: User, producer: Producer, values: BankAccountValues) -> BankAccount:
    """Record or change the producer's own account; InvalidTransferDetails names the field at fault."""
    if not may_manage_producer(actor, producer):
        raise NotAllowed(_l("Bạn không quản lý nhà vườn này."))
    return _save(actor, own_account(producer), {"producer_id": producer.id}, values)


def save_for_cooperative(actor: User, cooperative: Cooperative, values: BankAccountValues) -> BankAccount:
    """Record or change the account the cooperative's members without one are paid into."""
    if not may_edit_cooperative(actor, cooperative):
        raise NotAllowed(_l("Bạn không quản lý hợp tác xã này."))
    return _save(actor, cooperative_account(cooperative), {"cooperative_id": cooperative.id}, values)


def remove(actor: User, account: BankAccount) -> None:
    """Forget an account: its owner's buyers are no longer offered transfers into it."""
    allowed = (
        may_manage_producer(actor, db.session.get(Producer, account.producer_id))
        if account.producer_id is not None
        else may_edit_cooperative(actor, db.session.get(Cooperative, account.cooperative_id))
    )
    if not allowed:
        raise NotAllowed(_l("Bạn không quản lý tài khoản này."))
    audit.record(actor, "bank_account.removed", account, {"bank_bin": account.bank_bin})
    db.session.delete(account)
    db.session.flush()


def payee_accounts(producers: Iterable[Producer]) -> dict[int, BankAccount | None]:
    """The account each producer is paid into (their own, else their cooperative's), in one query."""
    producers = list(producers)
    if not producers:
        return {}
    cooperative_ids = {p.cooperative_id for p in producers if p.cooperative_id}
    conditions = [BankAccount.producer_id.in_({p.id for p in producers})]
    if cooperative_ids:
        conditions.append(BankAccount.cooperative_id.in_(cooperative_ids))
    accounts = list(db.session.execute(sa.select(BankAccount).where(sa.or_(*conditions))).scalars())
    own = {a.producer_id: a for a in accounts if a.producer_id}
    shared = {a.cooperative_id: a for a in accounts if a.cooperative_id}
    return {p.id: own.get(p.id) or shared.get(p.cooperative_id) for p in producers}


def payee_account(producer: Producer) -> BankAccount | None:
    return payee_accounts([producer])[producer.id]
