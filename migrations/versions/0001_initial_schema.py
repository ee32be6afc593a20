"""initial schema: accounts, places, catalogue, cooperatives, audit

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 20:58:54.223573

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name_vi', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('slug', name=op.f('uq_categories_slug'))
    )
    op.create_table('certifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name_vi', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certifications')),
    sa.UniqueConstraint('code', name=op.f('uq_certifications_code'))
    )
    op.create_table('login_throttles',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles'))
    )
    op.create_table('provinces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('city', 'province', name='provincekind', native_enum=False, length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provinces')),
    sa.UniqueConstraint('slug', name=op.f('uq_provinces_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=16), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('privacy_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email IS NOT NULL OR phone IS NOT NULL', name=op.f('ck_users_email_or_phone')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('phone', name=op.f('uq_users_phone'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('communes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('ward', 'commune', 'special_zone', name='communekind', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_communes_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communes')),
    sa.UniqueConstraint('province_id', 'slug', name=op.f('uq_communes_province_id'))
    )
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communes_province_id'), ['province_id'], unique=False)

    op.create_table('role_grants',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('buyer', 'producer', 'cooperative_manager', 'officer', 'admin', name='role', native_enum=False, length=30), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_grants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_role_grants'))
    )
    op.create_table('stored_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('variant_widths', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_stored_images_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_images')),
    sa.UniqueConstraint('digest', name=op.f('uq_stored_images_digest'))
    )
    op.create_table('cooperatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('village', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('old_district', sa.String(length=120), nullable=False),
    sa.Column('contact_phone', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_cooperatives_commune_id_communes')),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_cooperatives_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperatives')),
    sa.UniqueConstraint('slug', name=op.f('uq_cooperatives_slug'))
    )
    op.create_table('cooperative_managers',
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_cooperative_managers_cooperative_id_cooperatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cooperative_managers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cooperative_id', 'user_id', name=op.f('pk_cooperative_managers'))
    )
    op.create_table('producers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('name_sort_key', sa.String(length=255), nullable=False),
    sa.Column('story', sa.Text(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('village', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('old_district', sa.String(length=120), nullable=False),
    sa.Column('crops', sa.String(length=500), nullable=False),
    sa.Column('harvest_months', sa.Integer(), nullable=False),
    sa.Column('contact_phone', sa.String(length=16), nullable=True),
    sa.Column('contact_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_producers_commune_id_communes')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_producers_cooperative_id_cooperatives'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_producers_province_id_provinces')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_producers_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producers')),
    sa.UniqueConstraint('slug', name=op.f('uq_producers_slug')),
    sa.UniqueConstraint('user_id', name=op.f('uq_producers_user_id'))
    )
    with op.batch_alter_table('producers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producers_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_producers_name_sort_key'), ['name_sort_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_producers_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_producers_province_id'), ['province_id'], unique=False)

    op.create_table('producer_certifications',
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('certification_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certifications.id'], name=op.f('fk_producer_certifications_certification_id_certifications')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_certifications_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('producer_id', 'certification_id', name=op.f('pk_producer_certifications'))
    )
    op.create_table('producer_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['stored_images.id'], name=op.f('fk_producer_photos_image_id_stored_images')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_photos_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_photos'))
    )
    with op.batch_alter_table('producer_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_photos_producer_id'), ['producer_id'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit', sa.Enum('kg', 'box', 'bag', 'pack', 'piece', 'bunch', name='sellingunit', native_enum=False, length=30), nullable=False),
    sa.Column('net_weight_grams', sa.Integer(), nullable=True),
    sa.Column('price_vnd', sa.BigInteger(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('min_order', sa.Integer(), nullable=False),
    sa.Column('harvest_months', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'on_sale', 'sold_out', 'archived', name='productstatus', native_enum=False, length=30), nullable=False),
    sa.Column('featured', sa.Boolean(), nullable=False),
    sa.Column('search_name', sa.String(length=255), nullable=False),
    sa.Column('search_context', sa.Text(), nullable=False),
    sa.Column('name_sort_key', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('min_order >= 1', name=op.f('ck_products_min_order_positive')),
    sa.CheckConstraint('net_weight_grams IS NULL OR net_weight_grams > 0', name=op.f('ck_products_net_weight_positive')),
    sa.CheckConstraint('price_vnd > 0', name=op.f('ck_products_price_positive')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_products_stock_not_negative')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_products_category_id_categories')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_products_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_products_producer_id_producers')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_products_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('slug', name=op.f('uq_products_slug'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index('ix_products_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_products_status_name', ['status', 'name_sort_key'], unique=False)
        batch_op.create_index('ix_products_status_price', ['status', 'price_vnd'], unique=False)

    op.create_table('product_certifications',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('certification_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certifications.id'], name=op.f('fk_product_certifications_certification_id_certifications')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_certifications_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'certification_id', name=op.f('pk_product_certifications'))
    )
    op.create_table('product_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['stored_images.id'], name=op.f('fk_product_photos_image_id_stored_images')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_photos_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_photos')),
    sa.UniqueConstraint('product_id', 'image_id', name=op.f('uq_product_photos_product_id'))
    )
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_photos_product_id'), ['product_id'], unique=False)



def downgrade():
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_photos_product_id'))

    op.drop_table('product_photos')
    op.drop_table('product_certifications')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_status_price')
        batch_op.drop_index('ix_products_status_name')
        batch_op.drop_index('ix_products_status_created')
        batch_op.drop_index(batch_op.f('ix_products_producer_id'))
        batch_op.drop_index(batch_op.f('ix_products_category_id'))

    op.drop_table('products')
    with op.batch_alter_table('producer_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_photos_producer_id'))

    op.drop_table('producer_photos')
    op.drop_table('producer_certifications')
    with op.batch_alter_table('producers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producers_province_id'))
        batch_op.drop_index(batch_op.f('ix_producers_cooperative_id'))
        batch_op.drop_index(batch_op.f('ix_producers_commune_id'))
        batch_op.drop_index(batch_op.f('ix_producers_name_sort_key'))

    op.drop_table('producers')
    op.drop_table('cooperative_managers')
    op.drop_table('cooperatives')
    op.drop_table('stored_images')
    op.drop_table('role_grants')
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_communes_province_id'))

    op.drop_table('communes')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_subject')

    op.drop_table('audit_entries')
    op.drop_table('users')
    op.drop_table('provinces')
    op.drop_table('login_throttles')
    op.drop_table('certifications')
    op.drop_table('categories')
