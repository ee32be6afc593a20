"""reference data: provinces after the 2025 reform, communes of Huế, categories, certifications

These rows are data a person may change later (a new commune name, a new certification);
they are loaded here so that every database built by `flask db upgrade` starts with them.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The 34 provincial-level units from 1 July 2025: 6 centrally-run cities and 28 provinces.
CITIES = ["Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ"]
PROVINCES = [
    "Tuyên Quang", "Cao Bằng", "Lai Châu", "Lào Cai", "Thái Nguyên", "Điện Biên", "Lạng Sơn",
    "Sơn La", "Phú Thọ", "Bắc Ninh", "Quảng Ninh", "Hưng Yên", "Ninh Bình", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
SLUGS = {
    "Hà Nội": "ha-noi", "Huế": "hue", "Hải Phòng": "hai-phong", "Đà Nẵng": "da-nang",
    "Thành phố Hồ Chí Minh": "ho-chi-minh", "Cần Thơ": "can-tho", "Tuyên Quang": "tuyen-quang",
    "Cao Bằng": "cao-bang", "Lai Châu": "lai-chau", "Lào Cai": "lao-cai", "Thái Nguyên": "thai-nguyen",
    "Điện Biên": "dien-bien", "Lạng Sơn": "lang-son", "Sơn La": "son-la", "Phú Thọ": "phu-tho",
    "Bắc Ninh": "bac-ninh", "Quảng Ninh": "quang-ninh", "Hưng Yên": "hung-yen",
    "Ninh Bình": "ninh-binh", "Thanh Hóa": "thanh-hoa", "Nghệ An": "nghe-an", "Hà Tĩnh": "ha-tinh",
    "Quảng Trị": "quang-tri", "Quảng Ngãi": "quang-ngai", "Gia Lai": "gia-lai",
    "Khánh Hòa": "khanh-hoa", "Lâm Đồng": "lam-dong", "Đắk Lắk": "dak-lak", "Đồng Nai": "dong-nai",
    "Tây Ninh": "tay-ninh", "Vĩnh Long": "vinh-long", "Đồng Tháp": "dong-thap", "Cà Mau": "ca-mau",
    "An Giang": "an-giang",
}

# Communes and wards of Huế; which old communes went where is kept as free text on each address.
HUE_WARDS = [
    ("phuong-huong-tra", "Phường Hương Trà"), ("phuong-kim-tra", "Phường Kim Trà"),
    ("phuong-thuan-hoa", "Phường Thuận Hóa"), ("phuong-phu-xuan", "Phường Phú Xuân"),
    ("phuong-kim-long", "Phường Kim Long"), ("phuong-huong-an", "Phường Hương An"),
    ("phuong-vy-da", "Phường Vỹ Dạ"), ("phuong-an-cuu", "Phường An Cựu"),
    ("phuong-thuy-xuan", "Phường Thủy Xuân"), ("phuong-thuan-an", "Phường Thuận An"),
    ("phuong-hoa-chau", "Phường Hóa Châu"), ("phuong-my-thuong", "Phường Mỹ Thượng"),
    ("phuong-duong-no", "Phường Dương Nỗ"), ("phuong-huong-thuy", "Phường Hương Thủy"),
    ("phuong-thanh-thuy", "Phường Thanh Thủy"), ("phuong-phu-bai", "Phường Phú Bài"),
    ("phuong-phong-dien", "Phường Phong Điền"),
]
HUE_COMMUNES = [
    ("xa-binh-dien", "Xã Bình Điền"), ("xa-phu-vang", "Xã Phú Vang"), ("xa-quang-dien", "Xã Quảng Điền"),
    ("xa-phu-loc", "Xã Phú Lộc"), ("xa-nam-dong", "Xã Nam Đông"), ("xa-a-luoi-1", "Xã A Lưới 1"),
]

CATEGORIES = [
    ("cam", "Cam", "Oranges"),
    ("quyt", "Quýt", "Mandarins"),
    ("buoi", "Bưởi", "Pomelos"),
    ("thanh-tra", "Thanh trà", "Thanh trà pomelos"),
    ("oi", "Ổi", "Guavas"),
    ("com", "Cốm", "Green rice flakes"),
    ("chuoi", "Chuối", "Bananas"),
    ("gao", "Gạo", "Rice"),
    ("rau-cu", "Rau củ", "Vegetables"),
    ("mat-ong", "Mật ong", "Honey"),
    ("dac-san", "Đặc sản chế biến", "Processed specialities"),
    ("trai-cay-khac", "Trái cây khác", "Other fruit"),
]

CERTIFICATIONS = [
    ("vietgap", "VietGAP", "VietGAP"),
    ("globalgap", "GlobalG.A.P.", "GlobalG.A.P."),
    ("huu-co", "Hữu cơ", "Organic"),
    ("ocop-3", "OCOP 3 sao", "OCOP 3 stars"),
    ("ocop-4", "OCOP 4 sao", "OCOP 4 stars"),
    ("ocop-5", "OCOP 5 sao", "OCOP 5 stars"),
]

provinces = sa.table("provinces", sa.column("id"), sa.column("slug"), sa.column("name"), sa.column("kind"))
communes = sa.table(
    "communes", sa.column("province_id"), sa.column("slug"), sa.column("name"), sa.column("kind")
)
categories = sa.table(
    "categories", sa.column("slug"), sa.column("name_vi"), sa.column("name_en"), sa.column("position")
)
certifications = sa.table(
    "certifications", sa.column("code"), sa.column("name_vi"), sa.column("name_en"), sa.column("position")
)


def _insert_missing(table, key: str, rows: list[dict]) -> None:
    """Insert the rows whose key is not there yet: a downgrade keeps the rows still in use."""
    present = set(op.get_bind().execute(sa.select(table.c[key])).scalars())
    missing = [row for row in rows if row[key] not in present]
    if missing:
        op.bulk_insert(table, missing)


def upgrade():
    _insert_missing(
        provinces,
        "slug",
        [{"slug": SLUGS[n], "name": n, "kind": "city"} for n in CITIES]
        + [{"slug": SLUGS[n], "name": n, "kind": "province"} for n in PROVINCES],
    )
    hue_id = op.get_bind().execute(sa.text("SELECT id FROM provinces WHERE slug = 'hue'")).scalar_one()
    _insert_missing(
        communes,
        "slug",
        [{"province_id": hue_id, "slug": s, "name": n, "kind": "ward"} for s, n in HUE_WARDS]
        + [{"province_id": hue_id, "slug": s, "name": n, "kind": "commune"} for s, n in HUE_COMMUNES],
    )
    _insert_missing(
        categories,
        "slug",
        [{"slug": s, "name_vi": vi, "name_en": en, "position": i} for i, (s, vi, en) in enumerate(CATEGORIES)],
    )
    _insert_missing(
        certifications,
        "code",
        [{"code": c, "name_vi": vi, "name_en": en, "position": i} for i, (c, vi, en) in enumerate(CERTIFICATIONS)],
    )


def downgrade():
    # Only the rows nothing points at: a database with producers and listings keeps the places,
    # categories and certifications they use (the foreign keys would refuse the rest anyway).
    op.execute(
        "DELETE FROM certifications"
        " WHERE id NOT IN (SELECT certification_id FROM product_certifications)"
        " AND id NOT IN (SELECT certification_id FROM producer_certifications)"
    )
    op.execute("DELETE FROM categories WHERE id NOT IN (SELECT category_id FROM products WHERE category_id IS NOT NULL)")
    op.execute(
        "DELETE FROM communes"
        " WHERE id NOT IN (SELECT commune_id FROM producers WHERE commune_id IS NOT NULL)"
        " AND id NOT IN (SELECT commune_id FROM cooperatives WHERE commune_id IS NOT NULL)"
    )
    op.execute(
        "DELETE FROM provinces"
        " WHERE id NOT IN (SELECT province_id FROM communes)"
        " AND id NOT IN (SELECT province_id FROM producers WHERE province_id IS NOT NULL)"
        " AND id NOT IN (SELECT province_id FROM cooperatives WHERE province_id IS NOT NULL)"
    )
