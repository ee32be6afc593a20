"""order line unit codes: an order line keeps its selling unit as the catalog's code, not a word

Until now an order line copied the unit's word in the buyer's language ("thùng" or "box"), so the
Vietnamese seller read "box" on an English buyer's order. The column `unit` now holds the
SellingUnit code ("kg", "box", "bag", "pack", "piece", "bunch"), worded for whoever reads it.

Existing lines are converted: every word the site has written for a unit, in Vietnamese or in
English, is mapped back to its code. A word that matches none (written by hand, or by a version
that worded units differently) moves to `unit_text` and is shown as it was; `unit` stays NULL for
that line only. A CHECK keeps one of the two set. The downgrade writes the Vietnamese word back for
every coded line and returns the column to its old shape.

Revision ID: 0008
Revises: 0007
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Every word a unit has been written as on an order line (the Vietnamese labels and their English
# translations), plus the usual spoken variants; compared after NFC, trimming and casefolding.
WORDS = {
    "kg": ("kg", "ký", "kí", "kilogram", "kilo"),
    "box": ("thùng", "box"),
    "bag": ("túi", "bag"),
    "pack": ("hộp", "pack"),
    "piece": ("quả", "trái", "piece"),
    "bunch": ("nải/bó", "nải", "bó", "bunch"),
}
VIETNAMESE = {code: words[0] for code, words in WORDS.items()}


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word).strip().casefold()


CODE_FOR_WORD = {_key(word): code for code, words in WORDS.items() for word in words}

lines = sa.table(
    "order_lines",
    sa.column("unit", sa.String(30)),
    sa.column("unit_text", sa.String(30)),
)


def upgrade():
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.alter_column("unit", new_column_name="unit_text", existing_type=sa.String(length=30),
                              nullable=True)
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "unit", sa.Enum("kg", "box", "bag", "pack", "piece", "bunch", name="sellingunit",
                            native_enum=False, length=30),
            nullable=True,
        ))
        batch_op.create_check_constraint(
            op.f("ck_order_lines_order_line_has_unit"), "unit IS NOT NULL OR unit_text IS NOT NULL"
        )

    # Matched in Python, not SQL: lower() on SQLite folds ASCII only, and "Thùng" must match too.
    connection = op.get_bind()
    words = connection.execute(sa.select(lines.c.unit_text).distinct()).scalars().all()
    for word in words:
        code = CODE_FOR_WORD.get(_key(word or ""))
        if code is not None:
            connection.execute(
                lines.update().where(lines.c.unit_text == word).values(unit=code, unit_text=None)
            )


def downgrade():
    connection = op.get_bind()
    for code, word in VIETNAMESE.items():
        connection.execute(lines.update().where(lines.c.unit == code).values(unit_text=word))
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_order_lines_order_line_has_unit"), type_="check")
        batch_op.drop_column("unit")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.alter_column("unit_text", new_column_name="unit", existing_type=sa.String(length=30),
                              nullable=False)
