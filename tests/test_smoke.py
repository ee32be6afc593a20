from tests.factories import ProductFactory


def test_healthz(client):
    assert client.get("/healthz").status_code == 200


def test_factory(app):
    from app.extensions import db
    with app.app_context():
        p = ProductFactory()
        db.session.commit()
        assert p.id
