"""Where photos are kept: their variants as files named by content under UPLOAD_DIR, and one row each."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.media.models import StoredImage


@dataclass
class Prepared:
    """A checked, decoded and encoded upload, not yet on disk or in the database."""

    digest: str
    width: int
    height: int
    variant_widths: list[int]
    # JPEG bytes by width; empty when the photo is already stored with all its files.
    variants: dict[int, bytes] = field(default_factory=dict)


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def find_by_digest(digest: str) -> StoredImage | None:
    return db.session.scalars(select(StoredImage).filter_by(digest=digest)).first()


def files_present(image: StoredImage) -> bool:
    root = upload_dir()
    return all((root / image.variant_path(w)).is_file() for w in image.variant_widths)


def save(prepared: Prepared, user_id: int | None) -> StoredImage:
    existing = find_by_digest(prepared.digest)
    if existing is not None and not prepared.variants:
        return existing
    # Files first, row second. If the request's transaction later rolls back, the files stay on
    # disk without a row: acceptable, because names are content-addressed and the next upload of
    # the same photo reuses them instead of writing them again.
    _write_variants(prepared)
    if existing is not None:
        # Stored before a variant width was added: the new upload brings the missing files.
        existing.variant_widths = prepared.variant_widths
        return existing
    return _insert(prepared, user_id)


def _write_variants(prepared: Prepared) -> None:
    root = upload_dir()
    probe = StoredImage(digest=prepared.digest)
    for variant_width, data in prepared.variants.items():
        _write_atomically(root / probe.variant_path(variant_width), data)


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers (the /media route, a front web server) see the whole file or none of it."""
    if path.is_file():
        return  # same name, same content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; a front web server may serve these
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _insert(prepared: Prepared, user_id: int | None) -> StoredImage:
    """Insert the row, tolerating the same photo inserted at the same moment by another request.

    A double-tapped submit sends the same photos twice, concurrently: a plain INSERT would fail
    the second request on the unique digest. ON CONFLICT DO NOTHING lets it find the first
    request's row instead. (A savepoint would do on PostgreSQL, but pysqlite's savepoints commit
    the outer transaction when released, and services must never commit.)
    """
    values = {
        "digest": prepared.digest,
        "width": prepared.width,
        "height": prepared.height,
        "variant_widths": prepared.variant_widths,
        "uploaded_by_id": user_id,
    }
    dialect = db.session.get_bind(mapper=StoredImage.__mapper__).dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
        image = StoredImage(**values)
        db.session.add(image)
        db.session.flush()
        return image
    db.session.execute(insert(StoredImage).values(**values).on_conflict_do_nothing(index_elements=["digest"]))
    return db.session.scalars(select(StoredImage).filter_by(digest=prepared.digest)).one()
