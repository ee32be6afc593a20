"""Demo data: the cooperatives, producers and produce of Hương Trà, with fictional people.

`flask seed-demo` loads it; running it again adds only what is missing. Photos are drawn
with Pillow and go through the same pipeline as uploads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.accounts.models import Role, RoleGrant, User
from app.accounts.passwords import hash_password
from app.catalog.demo_images import draw_produce_photo
from app.catalog.listing import refresh_search_fields
from app.catalog.models import (
    Category,
    Certification,
    Producer,
    ProducerPhoto,
    Product,
    ProductPhoto,
    ProductStatus,
    SellingUnit,
    months_to_mask,
)
from app.common.slugs import unique_slug
from app.common.text import make_slug, vietnamese_sort_key
from app.common.timezone import local_to_utc, to_local, utcnow
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.lifecycle import coming_condition
from app.livestreams.links import parse_link
from app.livestreams.models import FeaturedProduct, Livestream
from app.media.images import store_image
from app.places.models import Commune, Province

DEMO_PASSWORD = "chophien-demo-2026"

ACCOUNTS = [
    # email, phone, name, roles
    ("admin@chophien.vn", None, "Quản trị Chợ Phiên", [Role.ADMIN]),
    ("nongdan@chophien.vn", "+84912345678", "Trần Văn Hòa", [Role.PRODUCER]),
    ("htx@chophien.vn", "+84935111222", "Nguyễn Thị Thu", [Role.COOPERATIVE_MANAGER]),
    ("canbo@chophien.vn", None, "Lê Văn Bình", [Role.OFFICER]),
    ("nguoimua@chophien.vn", "+84987654321", "Phạm Minh Anh", [Role.BUYER]),
]

COOPERATIVES = [
    {
        "name": "Hợp tác xã Nông nghiệp Hương Trà Xanh",
        "commune": "phuong-huong-tra",
        "old_district": "thị xã Hương Trà",
        "village": "Tổ dân phố Liễu Cốc",
        "description": (
            "Hợp tác xã gom cam, quýt, ổi của các nông hộ quanh Hương Trà, hỗ trợ bà con chụp ảnh, "
            "đăng sản phẩm và bán hàng qua livestream mỗi tối thứ Bảy."
        ),
        "managers": ["htx@chophien.vn"],
    },
    {
        "name": "Hợp tác xã Cốm An Thuận",
        "commune": "phuong-kim-tra",
        "old_district": "xã Hương Toàn, thị xã Hương Trà",
        "village": "Làng An Thuận",
        "description": "Các hộ làm cốm truyền thống An Thuận – Hương Toàn, giã cốm bằng tay từ lúa nếp non.",
        "managers": ["htx@chophien.vn"],
    },
    {
        "name": "Hợp tác xã Cây ăn quả Bình Điền",
        "commune": "xa-binh-dien",
        "old_district": "thị xã Hương Trà",
        "village": "Thôn Quang Lộc",
        "description": "Vùng đồi trồng cam, bưởi da xanh, thanh trà theo hướng hữu cơ.",
        "managers": [],
    },
]


@dataclass
class DemoProducer:
    name: str
    commune: str
    village: str
    old_district: str
    cooperative: str | None
    crops: str
    months: list[int]
    story: str
    owner: str | None = None
    phone: str | None = None
    certifications: list[str] = field(default_factory=list)
    photo: str = "farm"


PRODUCERS = [
    DemoProducer(
        name="Vườn cam Quang Lộc – nhà ông Hòa",
        commune="xa-binh-dien",
        village="Thôn Quang Lộc",
        old_district="xã Hương Bình, thị xã Hương Trà",
        cooperative="Hợp tác xã Cây ăn quả Bình Điền",
        crops="Cam V2, cam Xã Đoài, quýt Thanh Bình, thanh trà, bưởi da xanh",
        months=[9, 10, 11, 12, 1],
        story=(
            "Gia đình tôi cải tạo vườn tạp thành 5 ha cây ăn quả, trồng theo hướng hữu cơ.\n"
            "Hơn 400 gốc cam xen với quýt, mỗi mùa được 30–35 tấn. Cam hái buổi sáng, đóng thùng "
            "và gửi đi trong ngày."
        ),
        owner="nongdan@chophien.vn",
        phone="+84912345678",
        certifications=["huu-co"],
    ),
    DemoProducer(
        name="Vườn ổi VietGAP Hương Xuân – chị Mai",
        commune="phuong-huong-tra",
        village="Thôn Tây Xuân",
        old_district="xã Hương Xuân, thị xã Hương Trà",
        cooperative="Hợp tác xã Nông nghiệp Hương Trà Xanh",
        crops="Ổi VietGAP",
        months=list(range(1, 13)),
        story="Ổi trồng theo quy trình VietGAP, giòn, ngọt, hái quanh năm.",
        phone="+84905222333",
        certifications=["vietgap"],
    ),
    DemoProducer(
        name="Vườn quýt Hương Cần – anh Tín",
        commune="phuong-huong-tra",
        village="Thôn Hương Cần",
        old_district="thị xã Hương Trà",
        cooperative="Hợp tác xã Nông nghiệp Hương Trà Xanh",
        crops="Quýt Hương Cần",
        months=[11, 12, 1],
        story="Quýt Hương Cần vỏ mỏng, thơm, ngọt đậm; vào mùa từ tháng 11 đến Tết.",
    ),
    DemoProducer(
        name="Cơ sở cốm bà Tư An Thuận",
        commune="phuong-kim-tra",
        village="Làng An Thuận",
        old_district="xã Hương Toàn, thị xã Hương Trà",
        cooperative="Hợp tác xã Cốm An Thuận",
        crops="Cốm dẹp, cốm hộp quà",
        months=[8, 9, 10, 11],
        story="Ba đời làm cốm. Lúa nếp non được rang, giã tay, sàng sạch trong ngày.",
        certifications=["ocop-3"],
        photo="com",
    ),
    DemoProducer(
        name="Vườn bưởi chú Sáu Bình Điền",
        commune="xa-binh-dien",
        village="Thôn Bình Lợi",
        old_district="xã Bình Điền, thị xã Hương Trà",
        cooperative="Hợp tác xã Cây ăn quả Bình Điền",
        crops="Bưởi da xanh, thanh trà, chuối",
        months=[8, 9, 10, 11, 12],
        story="Bưởi da xanh và thanh trà trên đồi Bình Điền, tưới bằng nước suối.",
        phone="+84372444555",
    ),
    DemoProducer(
        name="Trại ong và lúa hữu cơ Hương Toàn",
        commune="phuong-kim-tra",
        village="Thôn Giáp Tây",
        old_district="xã Hương Toàn, thị xã Hương Trà",
        cooperative=None,
        crops="Mật ong, gạo hữu cơ",
        months=[3, 4, 5, 6],
        story="Nuôi ong trong vườn cam và trồng lúa không phun thuốc.",
        certifications=["huu-co"],
    ),
]


@dataclass
class DemoProduct:
    producer: str
    name: str
    category: str
    unit: SellingUnit
    price: int
    stock: int
    months: list[int]
    description: str
    net_weight: int | None = None
    min_order: int = 1
    status: ProductStatus = ProductStatus.ON_SALE
    featured: bool = False
    certifications: list[str] = field(default_factory=list)
    photos: int = 2


P_LOC, P_MAI, P_TIN, P_COM, P_SAU, P_ONG = (p.name for p in PRODUCERS)

PRODUCTS = [
    DemoProduct(P_LOC, "Cam V2 Quang Lộc", "cam", SellingUnit.BOX, 350_000, 40, [9, 10, 11, 12],
                "Cam V2 mọng nước, ngọt thanh.\nThùng 10 kg, hái trong ngày.", 10_000, featured=True,
                certifications=["huu-co"], photos=3),
    DemoProduct(P_LOC, "Cam Xã Đoài", "cam", SellingUnit.BOX, 450_000, 25, [10, 11, 12, 1],
                "Giống cam Xã Đoài trồng trên đồi Quang Lộc: vỏ mỏng, thơm, múi vàng.", 10_000,
                featured=True, certifications=["huu-co"]),
    DemoProduct(P_LOC, "Quýt Thanh Bình", "quyt", SellingUnit.KG, 60_000, 300, [10, 11, 12, 1],
                "Quýt Thanh Bình ngọt đậm, ít hạt. Bán theo kg, đặt từ 3 kg.", min_order=3),
    DemoProduct(P_LOC, "Cam V2 loại nhỏ (hàng ép nước)", "cam", SellingUnit.BOX, 200_000, 0,
                [9, 10, 11, 12], "Cam nhỏ trái, hợp vắt nước. Đã hết đợt này.", 10_000,
                status=ProductStatus.SOLD_OUT, photos=1),
    DemoProduct(P_SAU, "Bưởi da xanh Bình Điền", "buoi", SellingUnit.PIECE, 70_000, 120,
                [8, 9, 10, 11, 12], "Mỗi quả khoảng 1,5 kg, ruột hồng, ngọt, không đắng.", 1_500,
                featured=True),
    DemoProduct(P_SAU, "Thanh trà Huế", "thanh-tra", SellingUnit.KG, 35_000, 500, [8, 9, 10],
                "Thanh trà vị ngọt thanh, hơi chua nhẹ, đặc sản Huế.", min_order=2),
    DemoProduct(P_SAU, "Chuối mốc Bình Điền", "chuoi", SellingUnit.BUNCH, 35_000, 60, list(range(1, 13)),
                "Chuối mốc chín cây, nải 12–16 quả.", photos=1),
    DemoProduct(P_SAU, "Bưởi thanh trà chiết ghép (sắp bán)", "thanh-tra", SellingUnit.PIECE, 50_000, 0,
                [9, 10], "Đang chờ thu hoạch lứa đầu.", status=ProductStatus.DRAFT, photos=1),
    DemoProduct(P_MAI, "Ổi VietGAP Hương Xuân", "oi", SellingUnit.KG, 25_000, 400, list(range(1, 13)),
                "Ổi giòn, ngọt, trồng theo VietGAP. Giao trong ngày ở Huế.", featured=True,
                certifications=["vietgap"]),
    DemoProduct(P_MAI, "Ổi VietGAP thùng quà", "oi", SellingUnit.BOX, 220_000, 30, list(range(1, 13)),
                "Thùng 10 kg ổi chọn, gói từng quả.", 10_000, certifications=["vietgap"], photos=1),
    DemoProduct(P_TIN, "Quýt Hương Cần", "quyt", SellingUnit.KG, 80_000, 250, [11, 12, 1],
                "Quýt Hương Cần chính gốc, vỏ mỏng, thơm. Đặt trước Tết được ưu tiên.", featured=True),
    DemoProduct(P_COM, "Cốm An Thuận", "com", SellingUnit.BAG, 60_000, 200, [8, 9, 10, 11],
                "Cốm dẹp An Thuận – Hương Toàn, giã tay, dẻo thơm mùi lúa non.", 500,
                certifications=["ocop-3"], featured=True),
    DemoProduct(P_COM, "Cốm hộp quà An Thuận", "com", SellingUnit.PACK, 130_000, 80, [8, 9, 10, 11, 12],
                "Hộp quà 1 kg cốm dẹp, làm quà Tết.", 1_000, certifications=["ocop-3"], photos=1),
    DemoProduct(P_ONG, "Mật ong hoa cam", "mat-ong", SellingUnit.PACK, 180_000, 50, [3, 4, 5],
                "Mật ong nuôi trong vườn cam, không pha đường. Chai 500 g.", 500,
                certifications=["huu-co"], photos=1),
    DemoProduct(P_ONG, "Gạo hữu cơ Hương Toàn", "gao", SellingUnit.BAG, 150_000, 100, [5, 6, 10, 11],
                "Gạo lúa không phun thuốc, túi 5 kg.", 5_000, certifications=["huu-co"], photos=1),
]


@dataclass
class DemoLive:
    host: str  # a cooperative's or a producer's name
    title: str
    url: str
    # Days from today (local) and the local start time; None: the live that is on right now.
    day: int | None
    start: time | None
    minutes: int
    products: list[str]
    description: str = ""
    replay: str = ""


LUNCH, EVENING = time(11, 30), time(19, 30)
C_XANH, C_COM, C_BINH_DIEN = (c["name"] for c in COOPERATIVES)

LIVES = [
    DemoLive(C_BINH_DIEN, "Hái cam tại vườn Quang Lộc", "https://www.facebook.com/htxbinhdien/videos/301",
             None, None, 90, ["Cam Xã Đoài", "Cam V2 Quang Lộc", "Quýt Thanh Bình", "Bưởi da xanh Bình Điền"],
             "Ông Hòa ra vườn hái cam Xã Đoài, cân và đóng thùng ngay trước ống kính. Đặt trên Chợ Phiên, "
             "giao trong ngày ở Huế."),
    DemoLive(C_XANH, "Ổi VietGAP và quýt Hương Cần", "https://www.facebook.com/htxhuongtraxanh/videos/302",
             1, EVENING, 90, ["Ổi VietGAP Hương Xuân", "Ổi VietGAP thùng quà", "Quýt Hương Cần"],
             "Chị Mai và anh Tín giới thiệu ổi VietGAP và quýt mới vào mùa."),
    DemoLive(P_COM, "Làm cốm An Thuận trực tiếp", "https://www.tiktok.com/@comanthuan/live",
             2, LUNCH, 60, ["Cốm An Thuận", "Cốm hộp quà An Thuận"],
             "Rang, giã, sàng cốm từ lúa nếp non: xem bà Tư làm và đặt cốm mới."),
    DemoLive(C_BINH_DIEN, "Bưởi da xanh và thanh trà Bình Điền", "https://www.youtube.com/watch?v=Bd3xAnh2025",
             4, EVENING, 90, ["Bưởi da xanh Bình Điền", "Thanh trà Huế", "Chuối mốc Bình Điền"]),
    DemoLive(P_ONG, "Hỏi đáp cùng người nuôi ong Hương Toàn", "https://zalo.me/huongtoanorganic",
             6, LUNCH, 45, ["Mật ong hoa cam", "Gạo hữu cơ Hương Toàn"]),
    DemoLive(C_COM, "Cốm mới cho mùa cưới", "https://www.facebook.com/comanthuan/videos/303",
             9, EVENING, 60, ["Cốm hộp quà An Thuận", "Cốm An Thuận"]),
    DemoLive(C_XANH, "Phiên chợ cuối tuần Hương Trà", "https://www.youtube.com/live/HtXanhPhie1",
             13, EVENING, 120, ["Quýt Hương Cần", "Ổi VietGAP Hương Xuân"]),
    DemoLive(C_XANH, "Ổi VietGAP: từ vườn đến thùng quà", "https://www.youtube.com/live/OiVietGAP01",
             -3, EVENING, 60, ["Ổi VietGAP thùng quà"], replay="https://www.youtube.com/watch?v=OiVietGAP01"),
    DemoLive(P_LOC, "Cam Xã Đoài đầu mùa", "https://www.facebook.com/vuoncamquangloc/videos/304",
             -7, LUNCH, 60, ["Cam Xã Đoài", "Cam V2 Quang Lộc"],
             replay="https://www.facebook.com/vuoncamquangloc/videos/304"),
    DemoLive(C_COM, "Một ngày ở làng cốm An Thuận", "https://www.tiktok.com/@comanthuan/live",
             -10, EVENING, 60, ["Cốm An Thuận"], replay="https://www.tiktok.com/@comanthuan/video/7301"),
]


def seed_demo_lives(hosts: dict[str, Cooperative | Producer], admin: User, now: datetime | None = None) -> int:
    """Lives around today, added when nothing is live or coming, so the schedule never looks dead.

    They are written directly rather than through livestreams.services, which rightly refuses
    a new live that starts in the past.
    """
    now = now or utcnow()
    if db.session.execute(sa.select(Livestream.id).where(coming_condition(now)).limit(1)).first() is not None:
        return 0
    today = to_local(now).date()
    products = {p.name: p for p in db.session.execute(sa.select(Product)).scalars()}
    for spec in LIVES:
        if spec.day is None:
            starts_at = (now - timedelta(minutes=20)).replace(second=0, microsecond=0)
        else:
            starts_at = local_to_utc(datetime.combine(today + timedelta(days=spec.day), spec.start))
        host = hosts[spec.host]
        live = Livestream(
            title=spec.title,
            slug=unique_slug(Livestream, spec.title),
            description=spec.description,
            platform=parse_link(spec.url).platform,
            url=spec.url,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=spec.minutes),
            replay_url=spec.replay,
            created_by_id=admin.id,
            featured=[FeaturedProduct(product=products[name], position=n) for n, name in enumerate(spec.products)],
            pinned_product=products[spec.products[0]],
        )
        if isinstance(host, Cooperative):
            live.cooperative = host
        else:
            live.producer = host
        db.session.add(live)
    db.session.flush()
    return len(LIVES)


def _by(model, **where):
    return db.session.execute(sa.select(model).filter_by(**where)).scalar_one_or_none()


def _photo(kind: str, seed: int, admin: User | None):
    return store_image(io.BytesIO(draw_produce_photo(kind, seed)), uploaded_by=admin)


def seed_demo(log=print) -> dict[str, int]:
    """Create whatever part of the demo data is missing. Flushes; the caller commits."""
    created = {"accounts": 0, "cooperatives": 0, "producers": 0, "products": 0}
    hue = _by(Province, slug="hue")
    accounts: dict[str, User] = {}
    for email, phone, name, roles in ACCOUNTS:
        user = _by(User, email=email)
        if user is None:
            user = User(email=email, phone=phone, full_name=name, password_hash=hash_password(DEMO_PASSWORD))
            user.role_grants = [RoleGrant(role=role) for role in roles]
            db.session.add(user)
            created["accounts"] += 1
        accounts[email] = user
    db.session.flush()
    admin = accounts["admin@chophien.vn"]

    cooperatives: dict[str, Cooperative] = {}
    for spec in COOPERATIVES:
        slug = make_slug(spec["name"])
        coop = _by(Cooperative, slug=slug)
        if coop is None:
            coop = Cooperative(
                name=spec["name"],
                slug=slug,
                description=spec["description"],
                province=hue,
                commune=_by(Commune, slug=spec["commune"]),
                village=spec["village"],
                old_district=spec["old_district"],
                managers=[accounts[email] for email in spec["managers"]],
            )
            db.session.add(coop)
            created["cooperatives"] += 1
        cooperatives[spec["name"]] = coop
    db.session.flush()

    certifications = {c.code: c for c in db.session.execute(sa.select(Certification)).scalars()}
    producers: dict[str, Producer] = {}
    for index, spec in enumerate(PRODUCERS):
        slug = make_slug(spec.name)
        producer = _by(Producer, slug=slug)
        if producer is None:
            producer = Producer(
                display_name=spec.name,
                slug=slug,
                name_sort_key=vietnamese_sort_key(spec.name),
                user=accounts[spec.owner] if spec.owner else None,
                cooperative=cooperatives.get(spec.cooperative) if spec.cooperative else None,
                province=hue,
                commune=_by(Commune, slug=spec.commune),
                village=spec.village,
                old_district=spec.old_district,
                crops=spec.crops,
                harvest_months=months_to_mask(spec.months),
                story=spec.story,
                contact_phone=spec.phone,
                contact_public=spec.phone is not None,
                certifications=[certifications[c] for c in spec.certifications],
            )
            db.session.add(producer)
            producer.photos = [ProducerPhoto(image=_photo(spec.photo, 100 + index, admin), position=0)]
            created["producers"] += 1
        producers[spec.name] = producer
    db.session.flush()

    categories = {c.slug: c for c in db.session.execute(sa.select(Category)).scalars()}
    for index, spec in enumerate(PRODUCTS):
        slug = make_slug(spec.name)
        if _by(Product, slug=slug) is not None:
            continue
        product = Product(
            producer=producers[spec.producer],
            category=categories[spec.category],
            name=spec.name,
            slug=slug,
            description=spec.description,
            unit=spec.unit,
            net_weight_grams=spec.net_weight,
            price_vnd=spec.price,
            stock=spec.stock,
            min_order=spec.min_order,
            harvest_months=months_to_mask(spec.months),
            status=spec.status,
            featured=spec.featured,
            certifications=[certifications[c] for c in spec.certifications],
            created_by=producers[spec.producer].user or admin,
            updated_by=producers[spec.producer].user or admin,
        )
        db.session.add(product)
        product.photos = [
            ProductPhoto(image=_photo(spec.category, 1000 + index * 10 + n, admin), position=n)
            for n in range(spec.photos)
        ]
        refresh_search_fields(product)
        db.session.flush()
        created["products"] += 1
    created["livestreams"] = seed_demo_lives({**cooperatives, **producers}, admin)
    log(
        "Demo data: {accounts} accounts, {cooperatives} cooperatives, {producers} producers, "
        "{products} products, {livestreams} livestreams added.".format(**created)
    )
    return created


def has_catalogue() -> bool:
    return db.session.execute(sa.select(Producer.id).limit(1)).first() is not None
