"""The demo's people, places and produce: Hương Trà's cooperatives and farms, with fictional people.

seed.py creates them through the same services as real data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from app.accounts.models import Role
from app.catalog.models import ProductStatus, SellingUnit

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
