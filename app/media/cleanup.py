"""Forgetting photos nothing uses: kept across a form error but never saved, or removed from
every listing, profile and live that showed them (`flask forget-unused-photos`, once a day).

"Used" is read from the schema, not from a list kept here: a photo is used while any row of any
table holds a foreign key to it. The media package knows no catalogue or livestream, and a new
table that points at photos is covered the day it is added.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from app.common.timezone import utcnow
from app.extensions import db
from app.media import storage
from app.media.models import StoredImage

log = logging.getLogger(__name__)

# Longer than kept.KEPT_FOR: a photo a form still carries a live reference to is never deleted.
UNUSED_AFTER = timedelta(days=1)


def _references() -> list[sa.Column]:
    """Every column, in every table, that points at a stored photo."""
    table = StoredImage.__table__
    return [
        fk.parent
        for other in db.metadata.tables.values()
        for fk in other.foreign_keys
        if fk.references(table)
    ]


def unused_condition() -> sa.ColumnElement[bool]:
    references = _references()
    if not references:  # the models that use photos were not imported: then nothing is known unused
        raise RuntimeError("no table refers to stored_images; refusing to judge photos unused")
    return sa.and_(*(~sa.exists().where(column == StoredImage.id) for column in references))


def forget_unused_photos(older_than: timedelta = UNUSED_AFTER) -> list[StoredImage]:
    """Delete the rows of photos nothing refers to and that were stored over `older_than` ago;
    return what was deleted (detached), so the caller removes the files once this is committed."""
    cutoff = utcnow() - older_than
    doomed = list(
        db.session.scalars(
            sa.select(StoredImage).where(StoredImage.created_at < cutoff, unused_condition()).order_by(StoredImage.id)
        )
    )
    if not doomed:
        return []
    # The same conditions again in the DELETE itself: a photo attached since the SELECT stays.
    deleted_ids = set(
        db.session.scalars(
            sa.delete(StoredImage)
            .where(StoredImage.id.in_([i.id for i in doomed]), StoredImage.created_at < cutoff, unused_condition())
            .returning(StoredImage.id),
            execution_options={"synchronize_session": False},
        )
    )
    for image in doomed:
        db.session.expunge(image)
    return [image for image in doomed if image.id in deleted_ids]


def remove_files(images: list[StoredImage]) -> int:
    """Remove the variant files of photos whose rows are gone (after the commit); returns how many."""
    root = storage.upload_dir()
    removed = 0
    for image in images:
        if storage.find_by_digest(image.digest) is not None:
            continue  # uploaded again since: its files are in use
        for width in image.variant_widths:
            try:
                (root / image.variant_path(width)).unlink()
                removed += 1
            except FileNotFoundError:
                pass
            except OSError as error:
                log.warning("could not remove %s: %r", image.variant_path(width), error)
    return removed
