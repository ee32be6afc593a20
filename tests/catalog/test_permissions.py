"""Who may change which listing: one rule, tested as a table of role × action × owner."""

import pytest

from app.accounts.models import Role
from app.catalog import access, profiles
from app.catalog.access import Action
from app.catalog.errors import NotAllowed
from app.extensions import db
from tests.factories import CooperativeFactory, ProducerFactory, UserFactory

# owner: whose producer the listing belongs to, seen from the acting person
OWN = "own"  # the actor's own producer profile
MEMBER = "member"  # a member of a cooperative the actor manages
OTHER = "other"  # somebody else's

ALLOWED = {
    (Role.ADMIN, OWN): True,
    (Role.ADMIN, MEMBER): True,
    (Role.ADMIN, OTHER): True,
    (Role.PRODUCER, OWN): True,
    (Role.PRODUCER, MEMBER): False,
    (Role.PRODUCER, OTHER): False,
    (Role.COOPERATIVE_MANAGER, OWN): False,  # a manager without a producer role owns no listing
    (Role.COOPERATIVE_MANAGER, MEMBER): True,
    (Role.COOPERATIVE_MANAGER, OTHER): False,
    (Role.BUYER, OWN): False,
    (Role.BUYER, MEMBER): False,
    (Role.BUYER, OTHER): False,
    (Role.OFFICER, OWN): False,
    (Role.OFFICER, MEMBER): False,
    (Role.OFFICER, OTHER): False,
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize(("role", "owner"), list(ALLOWED))
def test_who_may_change_a_listing(app, role, owner, action):
    with app.app_context():
        actor = UserFactory(roles=[role])
        managed = CooperativeFactory(managers=[actor] if role == Role.COOPERATIVE_MANAGER else [])
        if owner == OWN:
            producer = ProducerFactory(user=actor)
        elif owner == MEMBER:
            producer = ProducerFactory(cooperative=managed)
        else:
            producer = ProducerFactory(cooperative=CooperativeFactory())
        db.session.flush()
        assert access.may(actor, action, producer) is ALLOWED[(role, owner)]


def test_anonymous_visitor_may_change_nothing(app):
    from flask_login import AnonymousUserMixin

    with app.app_context():
        producer = ProducerFactory()
        for action in Action:
            assert access.may(AnonymousUserMixin(), action, producer) is False
            assert access.may(None, action, producer) is False


def test_deactivated_account_may_change_nothing(app):
    with app.app_context():
        actor = UserFactory(roles=[Role.PRODUCER], active=False)
        producer = ProducerFactory(user=actor)
        assert access.may(actor, Action.EDIT_PRODUCT, producer) is False


def test_dashboard_lists_exactly_the_producers_one_may_manage(app):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER, Role.PRODUCER])
        coop = CooperativeFactory(managers=[manager])
        own = ProducerFactory(user=manager)
        member = ProducerFactory(cooperative=coop)
        ProducerFactory(cooperative=CooperativeFactory())
        ProducerFactory()
        assert {p.id for p in access.producers_managed_by(manager)} == {own.id, member.id}


def test_only_a_cooperatives_manager_brings_a_producer_into_it(app):
    with app.app_context():
        farmer = UserFactory(roles=[Role.PRODUCER])
        coop = CooperativeFactory()
        with pytest.raises(NotAllowed):
            profiles.create_producer(
                farmer, profiles.ProducerValues(display_name="Vườn tôi", cooperative_id=coop.id), owner=farmer
            )
        producer = profiles.create_producer(farmer, profiles.ProducerValues(display_name="Vườn tôi"), owner=farmer)
        with pytest.raises(NotAllowed):
            profiles.update_producer(
                farmer, producer, profiles.ProducerValues(display_name="Vườn tôi", cooperative_id=coop.id)
            )
        admin = UserFactory(roles=[Role.ADMIN])
        profiles.update_producer(admin, producer, profiles.ProducerValues(display_name="Vườn tôi", cooperative_id=coop.id))
        assert producer.cooperative_id == coop.id
