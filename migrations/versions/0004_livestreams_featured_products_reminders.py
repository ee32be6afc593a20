"""livestreams, featured products, reminders

Lives hosted by a cooperative or a producer, the products each features in order, and the
reminders people asked for. Times are UTC; a live's UID never changes (calendar feeds).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 22:08:12.988347

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('livestreams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=80), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('producer_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.Enum('facebook', 'youtube', 'tiktok', 'zalo', 'other', name='platform', native_enum=False, length=20), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('host_state', sa.Enum('scheduled', 'live', 'ended', 'cancelled', name='hoststate', native_enum=False, length=20), nullable=False),
    sa.Column('marked_live_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('marked_ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cover_image_id', sa.Integer(), nullable=True),
    sa.Column('pinned_product_id', sa.Integer(), nullable=True),
    sa.Column('replay_url', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(cooperative_id IS NULL) <> (producer_id IS NULL)', name=op.f('ck_livestreams_one_host')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_livestreams_ends_after_start')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_livestreams_sequence_not_negative')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_livestreams_cooperative_id_cooperatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cover_image_id'], ['stored_images.id'], name=op.f('fk_livestreams_cover_image_id_stored_images'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_livestreams_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pinned_product_id'], ['products.id'], name=op.f('fk_livestreams_pinned_product_id_products'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_livestreams_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livestreams')),
    sa.UniqueConstraint('slug', name=op.f('uq_livestreams_slug')),
    sa.UniqueConstraint('uid', name=op.f('uq_livestreams_uid'))
    )
    with op.batch_alter_table('livestreams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livestreams_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index('ix_livestreams_ends_at', ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_livestreams_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index('ix_livestreams_starts_at', ['starts_at'], unique=False)

    op.create_table('livestream_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('livestream_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['livestream_id'], ['livestreams.id'], name=op.f('fk_livestream_products_livestream_id_livestreams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_livestream_products_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livestream_products')),
    sa.UniqueConstraint('livestream_id', 'product_id', name=op.f('uq_livestream_products_livestream_id'))
    )
    with op.batch_alter_table('livestream_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livestream_products_livestream_id'), ['livestream_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livestream_products_product_id'), ['product_id'], unique=False)

    op.create_table('livestream_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('livestream_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notice', sa.Enum('rescheduled', 'cancelled', name='changenotice', native_enum=False, length=20), nullable=True),
    sa.ForeignKeyConstraint(['livestream_id'], ['livestreams.id'], name=op.f('fk_livestream_reminders_livestream_id_livestreams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_livestream_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livestream_reminders')),
    sa.UniqueConstraint('livestream_id', 'user_id', name=op.f('uq_livestream_reminders_livestream_id'))
    )
    with op.batch_alter_table('livestream_reminders', schema=None) as batch_op:
        batch_op.create_index('ix_livestream_reminders_pending', ['sent_at', 'livestream_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livestream_reminders_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('livestream_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livestream_reminders_user_id'))
        batch_op.drop_index('ix_livestream_reminders_pending')

    op.drop_table('livestream_reminders')
    with op.batch_alter_table('livestream_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livestream_products_product_id'))
        batch_op.drop_index(batch_op.f('ix_livestream_products_livestream_id'))

    op.drop_table('livestream_products')
    with op.batch_alter_table('livestreams', schema=None) as batch_op:
        batch_op.drop_index('ix_livestreams_starts_at')
        batch_op.drop_index(batch_op.f('ix_livestreams_producer_id'))
        batch_op.drop_index('ix_livestreams_ends_at')
        batch_op.drop_index(batch_op.f('ix_livestreams_cooperative_id'))

    op.drop_table('livestreams')
