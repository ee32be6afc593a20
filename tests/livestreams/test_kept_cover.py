"""A live's cover chosen on a form that comes back with errors is kept, not chosen again."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from app.extensions import db
from app.livestreams.models import Livestream
from tests.catalog.test_manage import jpeg_bytes
from tests.factories import PASSWORD
from tests.livestreams.test_manage import coop, count_lives, form_data, new_url  # noqa: F401 (coop: fixture)

KEPT = re.compile(r'<input type="hidden" name="cover-kept" value="([^"]+)">')


def test_a_cover_sent_with_a_missing_title_is_kept_and_saved_with_the_next_try(client, auth, app, coop):  # noqa: F811
    auth.login(coop["login"], PASSWORD)
    failed = client.post(
        new_url(coop),
        data=form_data(coop, title="", cover=(io.BytesIO(jpeg_bytes((1600, 900))), "bia.jpg")),
        content_type="multipart/form-data",
    )
    html = failed.get_data(as_text=True)
    assert failed.status_code == 400
    assert "hãy chọn lại ảnh" not in html
    references = KEPT.findall(html)
    assert len(references) == 1 and count_lives(app) == 0

    saved = client.post(new_url(coop), data=form_data(coop, **{"cover-kept": references}))
    assert saved.status_code == 303
    with app.app_context():
        live = db.session.execute(sa.select(Livestream)).scalar_one()
        assert (live.cover_image.width, live.cover_image.height) == (1600, 900)
