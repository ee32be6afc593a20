"""Producers linked to supported households, always on a recorded consent.

A link exists only on one of two consents: the producer ticks the box on their own account
(`confirm_link`), or an officer records a consent the farmer gave on paper, with its date and
reference (`record_paper_consent`). No other function writes a ProducerLink. An officer who
wants a producer with an account linked proposes it (`propose_link`): nothing is stored, the
officer gets a signed link to hand to the producer, and only the producer's own confirmation
creates the link. Withdrawing sets withdrawn_at and keeps the row as history.

Every read and change is written to the households' access log with field names only.
Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.catalog.models import Producer
from app.common.errors import NotAllowed, RuleBroken
from app.common.timezone import utcnow
from app.extensions import db
from app.households import values as read
from app.households.access import is_admin, is_officer, log_access, log_refusal, may_cover_commune, require_household
from app.households.models import AccessAction, ConsentKind, ProducerLink, SupportedHousehold

A = AccessAction

# A proposal handed to a producer stays good this long.
PROPOSAL_DAYS = 30
_SALT = "household-link-proposal"

LINK_FIELDS = [
    "producer_links.producer_id", "producer_links.consent_kind", "producer_links.consent_given_on",
    "producer_links.purpose", "producer_links.recorded_by_id",
]
WITHDRAW_FIELDS = ["producer_links.withdrawn_at", "producer_links.withdrawn_by_id"]
# What the producer's own page shows of the household they are linked to.
SHOWN_TO_PRODUCER = ["code", "commune_id", *LINK_FIELDS]


class LinkRefused(RuleBroken):
    pass


class ConsentMissing(LinkRefused):
    """No recorded consent: the box was not ticked, or a paper consent lacks its reference."""

    field = "consent"


class AlreadyLinked(LinkRefused):
    field = "producer_id"


class InvalidProposal(LinkRefused):
    """A proposal link that is forged, expired, not this person's, or no longer stands."""


@dataclass(frozen=True)
class Proposal:
    household: SupportedHousehold
    producer: Producer
    purpose: str
    proposed_by: User
    issued_at: datetime
    token: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _purpose(value) -> str:
    return read.text(value, 500, "purpose", required=True, label=_l("mục đích liên kết"))


def producers_in_commune(household: SupportedHousehold) -> list[Producer]:
    """The producers an officer may link to this household: those of its commune/ward."""
    return list(db.session.execute(
        sa.select(Producer).where(Producer.commune_id == household.commune_id).order_by(Producer.name_sort_key)
    ).scalars())


def active_link(producer: Producer) -> ProducerLink | None:
    return db.session.execute(
        sa.select(ProducerLink).where(ProducerLink.producer_id == producer.id, ProducerLink.withdrawn_at.is_(None))
    ).scalar_one_or_none()


def _check_producer(household: SupportedHousehold, producer: Producer | None) -> Producer:
    if producer is None or producer.commune_id != household.commune_id:
        raise LinkRefused(_l("Hãy chọn một nhà vườn ở xã/phường của hộ."), "producer_id")
    if active_link(producer) is not None:
        raise AlreadyLinked(
            _l("Nhà vườn này đang liên kết với một hộ. Hộ đó phải rút lại liên kết trước khi liên kết mới.")
        )
    return producer


def _add_link(actor, household: SupportedHousehold, link: ProducerLink) -> ProducerLink:
    # The partial unique index is the last word when two links for one producer race each other.
    try:
        with db.session.begin_nested():
            household.producer_links.append(link)
            db.session.flush()
    except IntegrityError:
        raise AlreadyLinked(_l("Nhà vườn này đang liên kết với một hộ.")) from None
    fields = LINK_FIELDS + (["producer_links.paper_reference"] if link.paper_reference else [])
    log_access(actor, household, A.CREATE, fields)
    return link


def propose_link(officer, household: SupportedHousehold, producer: Producer | None, purpose: str) -> Proposal:
    """An officer of the household's commune asks a producer with an account to confirm a link.

    Nothing is stored: the proposal is a signed link the officer gives the producer, which
    shows them the proposal on their account, where they confirm it or not.
    """
    household = require_household(officer, household.id, A.UPDATE)
    producer = _check_producer(household, producer)
    if producer.user_id is None:
        raise LinkRefused(
            _l("Nhà vườn này chưa có tài khoản: hãy ghi nhận đồng ý trên giấy thay vào đó."), "producer_id"
        )
    purpose = _purpose(purpose)
    token = _serializer().dumps({"h": household.id, "p": producer.id, "o": officer.id, "u": purpose})
    log_access(officer, household, A.READ, ["code", "producer_links.producer_id", "producer_links.purpose"])
    return Proposal(household, producer, purpose, officer, utcnow(), token)


def read_proposal(user, token: str | None) -> Proposal:
    """The proposal a signed link carries, if it is for user and still stands."""
    refused = InvalidProposal(_l("Đường dẫn đề nghị liên kết không hợp lệ hoặc đã hết hạn."))
    try:
        payload, signed_at = _serializer().loads(
            token or "", max_age=PROPOSAL_DAYS * 86400, return_timestamp=True
        )
        household_id, producer_id, officer_id, purpose = payload["h"], payload["p"], payload["o"], payload["u"]
    except (BadSignature, SignatureExpired, KeyError, TypeError):
        raise refused from None
    household = db.session.get(SupportedHousehold, household_id) if isinstance(household_id, int) else None
    producer = db.session.get(Producer, producer_id) if isinstance(producer_id, int) else None
    officer = db.session.get(User, officer_id) if isinstance(officer_id, int) else None
    if household is None or producer is None or officer is None or producer.user_id != getattr(user, "id", None):
        raise refused
    # The officer must still cover the household, and a link withdrawn since is not revived by an old proposal.
    if not may_cover_commune(officer, household.commune_id):
        raise refused
    issued_at = signed_at if signed_at.tzinfo else signed_at.replace(tzinfo=UTC)
    withdrawn_since = db.session.execute(
        sa.select(ProducerLink.id).where(
            ProducerLink.producer_id == producer.id, ProducerLink.withdrawn_at >= issued_at
        ).limit(1)
    ).first()
    if withdrawn_since is not None:
        raise refused
    log_access(user, household, A.READ, ["code", "commune_id", "producer_links.purpose"])
    return Proposal(household, producer, purpose, officer, issued_at, token)


def confirm_link(producer_user, proposal: Proposal, consent: bool) -> ProducerLink:
    """The producer's own, explicit yes: the box they ticked. Creates the link."""
    if consent is not True:
        raise ConsentMissing(_l("Hãy đánh dấu ô đồng ý nếu bạn đồng ý liên kết."))
    producer, household = proposal.producer, proposal.household
    if producer.user_id is None or producer.user_id != getattr(producer_user, "id", None):
        raise NotAllowed(_l("Chỉ chính nhà vườn mới xác nhận được liên kết của mình."))
    if active_link(producer) is not None:
        raise AlreadyLinked(_l("Bạn đang liên kết với một hộ. Hãy rút lại liên kết đó trước."))
    link = ProducerLink(
        producer_id=producer.id,
        consent_kind=ConsentKind.PRODUCER_CONFIRMED,
        consent_given_on=read.today(),
        purpose=_purpose(proposal.purpose),
        recorded_by_id=producer_user.id,
    )
    return _add_link(producer_user, household, link)


def record_paper_consent(
    officer, household: SupportedHousehold, producer: Producer | None, given_on: date, paper_reference: str,
    purpose: str,
) -> ProducerLink:
    """A consent a farmer without a phone gave on paper, recorded by an officer of the commune."""
    household = require_household(officer, household.id, A.UPDATE)
    producer = _check_producer(household, producer)
    given_on = read.day(given_on, "given_on")
    reference = read.text(paper_reference, 120, "paper_reference")
    if not reference:
        raise ConsentMissing(_l("Hãy nhập số hoặc ký hiệu của giấy đồng ý."), "paper_reference")
    link = ProducerLink(
        producer_id=producer.id,
        consent_kind=ConsentKind.PAPER,
        consent_given_on=given_on,
        paper_reference=reference,
        purpose=_purpose(purpose),
        recorded_by_id=officer.id,
    )
    return _add_link(officer, household, link)


def withdraw_link(actor, link: ProducerLink, *, at_producers_request: bool = False) -> ProducerLink:
    """End a link: by the producer themselves, or by an officer/admin when the producer asks.

    The row stays, with when and by whom it was withdrawn.
    """
    if link.withdrawn_at is not None:
        raise LinkRefused(_l("Liên kết này đã được rút lại."))
    own = link.producer is not None and link.producer.user_id is not None and link.producer.user_id == getattr(
        actor, "id", None
    )
    if not own:
        if not (is_officer(actor) or is_admin(actor)):
            log_refusal(actor, link.household_id, A.UPDATE)
            raise NotAllowed(_l("Bạn không rút lại được liên kết này."))
        require_household(actor, link.household_id, A.UPDATE)
        if not at_producers_request:
            raise ConsentMissing(
                _l("Chỉ rút lại liên kết khi chính nhà vườn yêu cầu: hãy đánh dấu ô xác nhận."), "requested"
            )
    link.withdrawn_at = utcnow()
    link.withdrawn_by_id = actor.id
    db.session.flush()
    log_access(actor, link.household, A.UPDATE, WITHDRAW_FIELDS)
    return link


def links_of(household: SupportedHousehold) -> list[ProducerLink]:
    """A household's links, active and withdrawn, newest first (the caller has checked access)."""
    return list(db.session.execute(
        sa.select(ProducerLink).options(joinedload(ProducerLink.producer))
        .where(ProducerLink.household_id == household.id).order_by(ProducerLink.id.desc())
    ).scalars())


def links_for_producer_user(user) -> list[ProducerLink]:
    """The links of the producer profile user owns, active first, with the read logged."""
    links = list(db.session.execute(
        sa.select(ProducerLink)
        .join(Producer, Producer.id == ProducerLink.producer_id)
        .options(joinedload(ProducerLink.household).joinedload(SupportedHousehold.commune))
        .where(Producer.user_id == user.id)
        .order_by(ProducerLink.withdrawn_at.is_not(None), ProducerLink.id.desc())
    ).scalars())
    for household in {link.household_id: link.household for link in links}.values():
        log_access(user, household, A.READ, SHOWN_TO_PRODUCER)
    return links


def own_link(user, link_id) -> ProducerLink | None:
    """One of user's own links, or None (someone else's is not told apart from none)."""
    if not isinstance(link_id, int):
        return None
    return db.session.execute(
        sa.select(ProducerLink).join(Producer, Producer.id == ProducerLink.producer_id)
        .where(ProducerLink.id == link_id, Producer.user_id == user.id)
    ).scalar_one_or_none()
