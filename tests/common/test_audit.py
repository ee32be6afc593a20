"""The audit log keeps who changed what, but never the values of personal fields."""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.catalog.models import Producer
from app.common import audit
from app.common.audit import AuditEntry
from app.cooperatives.models import Cooperative
from app.extensions import db
from tests.factories import ProducerFactory, UserFactory


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.execute(sa.select(AuditEntry).filter_by(action=action)).scalars())


def test_the_personal_fields_are_declared_sensitive():
    assert audit.sensitive_fields(User) == {"email", "phone", "password_hash"}
    assert audit.sensitive_fields(Producer) == {"contact_phone", "street"}
    assert audit.sensitive_fields(Cooperative) == {"contact_phone"}
    assert audit.sensitive_fields(AuditEntry) == frozenset()


def test_a_sensitive_change_keeps_its_name_but_not_its_values(app, caplog):
    caplog.set_level(logging.DEBUG, logger="app")
    with app.app_context():
        user = UserFactory(full_name="Lê Thị Hoa", email="hoa.cu@example.vn", phone="+84912000111")
        changes = audit.diff(user, {"full_name": "Lê Thị Hoà", "email": "hoa.moi@example.vn", "phone": "+84912000222"})
        audit.record(user, "user.updated", user, changes)
        # A caller that builds the values itself is held to the same rule.
        audit.record(user, "user.updated", user, {"password_hash": ["$argon2id$old", "$argon2id$new"]})
        db.session.commit()

        first, second = entries("user.updated")
        assert first.changes == {
            "full_name": ["Lê Thị Hoa", "Lê Thị Hoà"],
            "email": audit.CHANGED,
            "phone": audit.CHANGED,
        }
        assert second.changes == {"password_hash": audit.CHANGED}
        assert (user.email, user.phone) == ("hoa.moi@example.vn", "+84912000222")  # still applied
        stored = json.dumps([first.changes, second.changes], ensure_ascii=False)
    for secret in ("hoa.cu", "hoa.moi", "912000111", "912000222", "argon2id"):
        assert secret not in stored
        assert secret not in caplog.text


def test_a_producer_editing_their_phone_leaves_no_number_in_the_log(app, client, auth, caplog):
    caplog.set_level(logging.DEBUG, logger="app")
    with app.app_context():
        user = UserFactory(roles=[Role.PRODUCER])
        producer = ProducerFactory(user=user, contact_phone="+84935000111", street="12 Kiệt 4")
        db.session.commit()
        email, producer_id = user.email, producer.id
        province_id, commune_id = producer.province_id, producer.commune_id
    auth.login(email)
    data = {
        "display_name": "Vườn ổi cô Lan", "story": "", "province_id": province_id, "commune_id": commune_id,
        "village": "Thôn Hương Xuân", "street": "27 Kiệt 9", "old_district": "", "crops": "ổi",
        "cooperative_id": "0", "contact_phone": "0935 000 222",
    }  # fmt: skip
    assert client.post(f"/quan-ly/nha-vuon/{producer_id}/sua", data=data).status_code == 302
    with app.app_context():
        (entry,) = entries("producer.updated")
        assert entry.changes["contact_phone"] == audit.CHANGED
        assert entry.changes["street"] == audit.CHANGED
        assert entry.changes["village"] == ["Thôn Quang Lộc", "Thôn Hương Xuân"]
        stored = json.dumps(entry.changes, ensure_ascii=False)
    for secret in ("935000111", "935000222", "0935 000 222", "Kiệt"):
        assert secret not in stored
        assert secret not in caplog.text


def test_a_user_is_shown_in_logs_without_their_address():
    user = User(id=7, full_name="Hoa", email="hoa@example.vn", phone="+84912000111")
    assert repr(user) == "<User 7>"
