"""Demo supported households: officers for three communes/wards, households with two years of
reviews, recognised statuses and support, and three linked with consent to demo producers.

Everyone and everything here is fictional, and everything is made through the households'
services, as an officer's work would be. Dates later than today are moved back to today, so the
demo loads on any day (the services rightly refuse a review dated in the future).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.accounts.services import register_user
from app.catalog.models import Producer
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.households import links
from app.households.models import HouseholdGroup, OfficerAssignment, SupportedHousehold
from app.households.registry import HouseholdValues, MemberValues, create_household, record_status, record_support
from app.households.reviews import ReviewValues, save_review
from app.households.values import today
from app.places.models import Commune, Province

# email, name, commune/ward covered; canbo@chophien.vn is one of the demo accounts already.
OFFICERS = [
    ("canbo@chophien.vn", "Lê Văn Bình", "phuong-huong-tra"),
    ("canbo.kimtra@chophien.vn", "Trương Thị Kim Oanh", "phuong-kim-tra"),
    ("canbo.binhdien@chophien.vn", "Phan Văn Đức", "xa-binh-dien"),
]
AREA = {"phuong-huong-tra": "urban", "phuong-kim-tra": "urban", "xa-binh-dien": "rural"}
PURPOSE = "Theo dõi kết quả hỗ trợ bán hàng trực tuyến và doanh thu của hộ"

P, NP, OUT, OUT_NEAR = "poor", "near_poor", "out_of_poverty", "out_of_near_poverty"
# Recognition days: the first recognition, then the end of each year's review.
RECOGNISED = {2024: date(2024, 12, 20), 2025: date(2025, 12, 19), 2026: date(2026, 12, 18)}
# One decision of the People's Committee recognises all of a year's households.
DECISIONS = {2024: "2815/QĐ-UBND", 2025: "2790/QĐ-UBND", 2026: "2804/QĐ-UBND"}
REVIEWED = {2025: date(2025, 10, 15), 2026: date(2026, 10, 14)}
# Indicators a household lacks, several at a time.
FEW = ("health_insurance", "information_access")
MANY = ("employment", "health_insurance", "housing_quality", "latrine", "telecom")


@dataclass
class DemoHousehold:
    code: str
    commune: str
    village: str
    head: str
    members: list[tuple[str, int, str]]
    # year -> (income per person per month, indicators lacking)
    reviews: dict[int, tuple[int, tuple[str, ...]]]
    # year -> recognised status
    statuses: dict[int, str]
    support: list[tuple[str, date, int | None, str]] = field(default_factory=list)
    causes: tuple[str, ...] = ("capital", "skills")
    # ("confirmed", producer name) or ("paper", producer name, reference)
    link: tuple[str, ...] | None = None


TELECOM = ("telecom", date(2025, 4, 8), 1_200_000, "VNPT Huế")
TRAINING = ("training", date(2025, 6, 17), None, "Trung tâm Khuyến nông Huế")
COACHING = ("livestream_coaching", date(2025, 9, 6), None, "Đoàn Thanh niên và HTX Hương Trà Xanh")
CREDIT = ("credit", date(2025, 3, 12), 50_000_000, "Ngân hàng Chính sách xã hội")
INPUTS = ("inputs", date(2026, 2, 24), 3_500_000, "Hội Nông dân")

HOUSEHOLDS = [
    DemoHousehold("HT-HH-01", "phuong-huong-tra", "Tổ dân phố Liễu Cốc", "Hồ Thị Lài",
                  [("Đặng Văn Lượm", 1968, "chồng"), ("Đặng Thị Bé Na", 2009, "con")],
                  {2025: (1_700_000, MANY), 2026: (1_950_000, FEW)}, {2024: P, 2025: P, 2026: NP},
                  [TELECOM, COACHING], link=("paper", "Vườn quýt Hương Cần – anh Tín", "GĐY-HT-2026/004")),
    DemoHousehold("HT-HH-02", "phuong-huong-tra", "Tổ dân phố Xuân Tùy", "Nguyễn Văn Xích",
                  [("Tôn Nữ Thị Huệ", 1975, "vợ")],
                  {2025: (1_850_000, FEW), 2026: (2_600_000, ())}, {2024: NP, 2025: NP, 2026: OUT_NEAR},
                  [TRAINING, COACHING]),
    DemoHousehold("HT-HH-03", "phuong-huong-tra", "Tổ dân phố Liễu Cốc", "Văn Thị Quýt",
                  [("Văn Công Trứ", 1999, "con")],
                  {2025: (1_600_000, MANY), 2026: (2_450_000, FEW)}, {2024: P, 2025: P, 2026: OUT},
                  [CREDIT, TRAINING]),
    DemoHousehold("HT-HH-04", "phuong-huong-tra", "Tổ dân phố Xuân Tùy", "Lương Văn Đẩu",
                  [("Mai Thị Sen", 1961, "vợ")],
                  {2025: (1_900_000, FEW), 2026: (1_550_000, MANY)}, {2024: NP, 2025: NP, 2026: P},
                  [TELECOM], causes=("illness", "labour")),
    DemoHousehold("KT-HH-01", "phuong-kim-tra", "Làng An Thuận", "Trần Thị Gấm",
                  [("Lê Văn Khiêm", 1972, "chồng"), ("Lê Thị Hồng Nhung", 2012, "con")],
                  {2025: (1_800_000, FEW), 2026: (1_900_000, FEW)}, {2024: NP, 2025: NP, 2026: NP},
                  [TRAINING]),
    DemoHousehold("KT-HH-02", "phuong-kim-tra", "Làng An Thuận", "Phạm Thị Nhàn",
                  [("Phạm Văn Tèo", 1990, "con")],
                  {2025: (1_500_000, MANY), 2026: (1_980_000, FEW)}, {2024: P, 2025: P, 2026: NP},
                  [TELECOM, COACHING, INPUTS], link=("paper", "Cơ sở cốm bà Tư An Thuận", "GĐY-KT-2026/011")),
    DemoHousehold("KT-HH-03", "phuong-kim-tra", "Thôn Hương Toàn", "Hoàng Văn Mừng",
                  [("Hoàng Thị Lụa", 1980, "vợ")],
                  {2025: (2_700_000, ()), 2026: (1_900_000, FEW)}, {2024: NP, 2025: OUT_NEAR, 2026: NP},
                  [TRAINING], causes=("illness",)),
    DemoHousehold("KT-HH-04", "phuong-kim-tra", "Thôn Hương Toàn", "Dương Thị Lý",
                  [], {2025: (1_950_000, FEW), 2026: (2_800_000, ())}, {2024: NP, 2025: NP, 2026: OUT_NEAR},
                  [COACHING, INPUTS]),
    DemoHousehold("BD-HH-01", "xa-binh-dien", "Thôn Quang Lộc", "Trần Thị Bưởi",
                  [("Trần Văn Cu", 2001, "con"), ("Ngô Thị Tý", 1950, "mẹ")],
                  {2025: (1_300_000, MANY), 2026: (1_450_000, FEW)}, {2024: P, 2025: P, 2026: NP},
                  [TELECOM, TRAINING, COACHING], link=("confirmed", "Vườn cam Quang Lộc – nhà ông Hòa")),
    DemoHousehold("BD-HH-02", "xa-binh-dien", "Thôn Quang Lộc", "Lê Văn Rớt",
                  [("Nguyễn Thị Mận", 1966, "vợ")],
                  {2025: (1_100_000, MANY), 2026: (1_250_000, MANY)}, {2024: P, 2025: P, 2026: P},
                  [CREDIT], causes=("land", "capital", "tools")),
    DemoHousehold("BD-HH-03", "xa-binh-dien", "Thôn Hương Bình", "Võ Thị Cam",
                  [], {2025: (1_400_000, FEW), 2026: (2_100_000, ())}, {2024: NP, 2025: NP, 2026: OUT_NEAR},
                  [TRAINING, COACHING]),
    DemoHousehold("BD-HH-04", "xa-binh-dien", "Thôn Hương Bình", "Đoàn Văn Sỏi",
                  [("Đoàn Thị Út", 2010, "con")],
                  {2025: (1_350_000, MANY), 2026: (1_800_000, FEW)}, {2024: P, 2025: P, 2026: OUT},
                  [TELECOM, INPUTS]),
]


def _by(model, **where):
    return db.session.execute(sa.select(model).filter_by(**where)).scalar_one_or_none()


def _day(day: date) -> date:
    return min(day, today())


def seed_officers() -> dict[str, User]:
    """The demo officers, each assigned to their commune/ward."""
    officers = {}
    for email, name, slug in OFFICERS:
        user = _by(User, email=email) or register_user(
            name, DEMO_PASSWORD, email=email, roles=[Role.OFFICER], source="demo"
        )
        commune = _by(Commune, slug=slug)
        if _by(OfficerAssignment, user_id=user.id, commune_id=commune.id) is None:
            db.session.add(OfficerAssignment(user_id=user.id, commune_id=commune.id))
        officers[slug] = user
    db.session.flush()
    return officers


def _create(spec: DemoHousehold, officer: User, commune: Commune, group: HouseholdGroup) -> SupportedHousehold:
    values = HouseholdValues(
        code=spec.code, head_name=spec.head, province_id=commune.province_id, commune_id=commune.id,
        area_type=AREA[spec.commune], group_id=group.id, village=spec.village,
        members=[MemberValues(name, year, relation) for name, year, relation in spec.members],
    )
    household = create_household(officer, values)
    for year, status in sorted(spec.statuses.items()):
        if year in spec.reviews:
            income, lacking = spec.reviews[year]
            save_review(officer, household, ReviewValues(
                year=year, reviewed_on=_day(REVIEWED[year]), income=income, lacking=lacking, causes=spec.causes,
            ), submit=True)
        record_status(officer, household, status, _day(RECOGNISED[year]), DECISIONS[year])
    for kind, given_on, value, provider in spec.support:
        record_support(officer, household, kind, _day(given_on), value, provider)
    return household


def _link(spec: DemoHousehold, officer: User, household: SupportedHousehold) -> None:
    producer = _by(Producer, display_name=spec.link[1])
    if producer is None or links.active_link(producer) is not None:
        return
    if spec.link[0] == "paper":
        links.record_paper_consent(officer, household, producer, _day(date(2026, 3, 5)), spec.link[2], PURPOSE)
        return
    # The officer proposes; the producer, on their own account, reads it and ticks the box.
    owner = db.session.get(User, producer.user_id)
    proposal = links.read_proposal(owner, links.propose_link(officer, household, producer, PURPOSE).token)
    links.confirm_link(owner, proposal, consent=True)


def seed_households() -> int:
    """The demo households that are missing; returns how many were added."""
    officers = seed_officers()
    group = _by(HouseholdGroup, code="ho_ngheo_can_ngheo")
    hue = _by(Province, slug="hue")
    added = 0
    for spec in HOUSEHOLDS:
        commune = db.session.execute(
            sa.select(Commune).filter_by(province_id=hue.id, slug=spec.commune)
        ).scalar_one()
        if _by(SupportedHousehold, commune_id=commune.id, code=spec.code) is not None:
            continue
        household = _create(spec, officers[spec.commune], commune, group)
        if spec.link:
            _link(spec, officers[spec.commune], household)
        added += 1
    return added
