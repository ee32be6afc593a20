"""household duplicate checks: an officer's record that two look-alike households are different

Creates duplicate_checks: a pair of supported households (the smaller id first, by a CHECK, and
each pair once, by a unique constraint), the verdict ("not_duplicate"), who checked and when,
and an optional note. Both households cascade: deleting either deletes the check. The downgrade
drops the table and the checks with it; the households themselves are untouched.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "duplicate_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("other_household_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.Enum("not_duplicate", name="duplicateverdict", native_enum=False, length=20),
                  nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("household_id < other_household_id",
                           name=op.f("ck_duplicate_checks_duplicate_pair_in_order")),
        sa.ForeignKeyConstraint(["checked_by_id"], ["users.id"],
                                name=op.f("fk_duplicate_checks_checked_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["household_id"], ["supported_households.id"],
                                name=op.f("fk_duplicate_checks_household_id_supported_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_household_id"], ["supported_households.id"],
                                name=op.f("fk_duplicate_checks_other_household_id_supported_households"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_checks")),
        sa.UniqueConstraint("household_id", "other_household_id", name=op.f("uq_duplicate_checks_household_id")),
    )
    with op.batch_alter_table("duplicate_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_checks_other_household_id"), ["other_household_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("duplicate_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_checks_other_household_id"))
    op.drop_table("duplicate_checks")
