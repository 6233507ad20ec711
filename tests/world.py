"""A small province built with the ORM, shaped like Loei: four offices with the seed's oversight
rules, a provincial agency, a district office, a PAO and two SAOs in two districts, a round with
the three FY2568 deadlines, and one user per role."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from itadesk.accounts.models import Membership, Role
from itadesk.core.thai import bangkok_datetime
from itadesk.cycles.models import Milestone, Participation, Round
from itadesk.registry.models import (
    LOCAL_GOVERNMENT_KINDS,
    Agency,
    AgencyKind,
    District,
    OversightRule,
    Province,
    SupervisingOffice,
)

PASSWORD = "pw-for-tests-1"


def make_user(username, role=None, **target):
    user = get_user_model().objects.create_user(username, f"{username}@example.test", PASSWORD,
                                                first_name=username)
    if role:
        Membership.objects.create(user=user, role=role, **target)
    return user


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.province = Province.objects.create(code="42", name_th="เลย", name_en="Loei")
    w.d1 = District.objects.create(province=w.province, geocode="4201", name_th="เมืองเลย")
    w.d2 = District.objects.create(province=w.province, geocode="4202", name_th="นาด้วง")

    def agency(name, kind, district, dla=None):
        return Agency.objects.create(province=w.province, district=district, kind=kind, name_th=name, dla_code=dla)

    w.provincial = agency("จังหวัดเลย", AgencyKind.PROVINCIAL, w.d1)
    w.district_office = agency("อำเภอนาด้วง", AgencyKind.DISTRICT, w.d2)
    w.pao = agency("องค์การบริหารส่วนจังหวัดเลย", AgencyKind.PAO, w.d1, "02420101")
    w.sao1 = agency("องค์การบริหารส่วนตำบลแก้วเมธี", AgencyKind.SAO, w.d2, "06420205")
    w.sao2 = agency("องค์การบริหารส่วนตำบลท่าสวรรค์", AgencyKind.SAO, w.d2, "06420203")
    w.agencies = [w.provincial, w.district_office, w.pao, w.sao1, w.sao2]

    def office(code, name, order):
        return SupervisingOffice.objects.create(province=w.province, code=code, name_th=name, short_name=name,
                                                order=order, email=f"{code}@example.test")

    w.nacc = office("nacc", "ป.ป.ช.จังหวัดเลย", 1)
    w.prov_office = office("provincial-office", "สนง.จังหวัดเลย", 2)
    w.local = office("local-promotion", "สถ.จ.เลย", 3)
    w.admin_office = office("provincial-administration", "ปค.จังหวัดเลย", 4)
    lg = [str(k) for k in LOCAL_GOVERNMENT_KINDS]
    OversightRule.objects.create(office=w.nacc, all_agencies=True, description="ทุกหน่วยงาน")
    OversightRule.objects.create(office=w.prov_office, kinds=[AgencyKind.PROVINCIAL])
    OversightRule.objects.create(office=w.local, kinds=lg)
    OversightRule.objects.create(office=w.admin_office, kinds=[AgencyKind.DISTRICT])
    OversightRule.objects.create(office=w.admin_office, kinds=lg, role=OversightRule.Role.ASSIST)

    w.round = Round.objects.create(province=w.province, fiscal_year=2568, name="ITA 2568", is_current=True,
                                   starts_on="2024-10-01", ends_on="2025-09-30")
    w.m1 = Milestone.objects.create(round=w.round, code="stakeholders", name_th="ผู้มีส่วนได้ส่วนเสีย", order=1,
                                    deadline=bangkok_datetime(2568, 1, 31, 17))
    w.m2 = Milestone.objects.create(round=w.round, code="oit", name_th="OIT", order=2,
                                    deadline=bangkok_datetime(2568, 4, 30, 17))
    w.m3 = Milestone.objects.create(round=w.round, code="iit-eit", name_th="IIT/EIT", order=3,
                                    deadline=bangkok_datetime(2568, 6, 30, 17))
    for a in w.agencies:
        Participation.objects.create(round=w.round, agency=a)

    w.secretariat = make_user("secretariat", Role.SECRETARIAT, province=w.province)
    w.nacc_officer = make_user("nacc", Role.OFFICER, office=w.nacc)
    w.prov_officer = make_user("provincial", Role.OFFICER, office=w.prov_office)
    w.local_officer = make_user("local", Role.OFFICER, office=w.local)
    w.admin_officer = make_user("administration", Role.OFFICER, office=w.admin_office)
    w.reviewer = make_user("reviewer", Role.REVIEWER, office=w.nacc)
    w.admin_a = make_user("admin-a", Role.AGENCY_ADMIN, agency=w.sao1)
    w.admin_b = make_user("admin-b", Role.AGENCY_ADMIN, agency=w.pao)
    w.exec_a = make_user("exec-a", Role.AGENCY_EXECUTIVE, agency=w.sao1)
    w.superuser = get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)
    return w


def deadlines_from_now(w, first, second, third) -> None:
    """The world's three milestones (stakeholders, OIT, IIT/EIT) due that far from now (timedeltas; negative:
    passed), to the second."""
    now = timezone.now().replace(microsecond=0)
    for milestone, ahead in ((w.m1, first), (w.m2, second), (w.m3, third)):
        milestone.deadline = now + ahead
        milestone.save()
