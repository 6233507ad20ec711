"""Small factory-boy factories for tests: provinces, districts, agencies, offices, rounds and users."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from itadesk.accounts.models import Membership
from itadesk.core.thai import bangkok_datetime, fiscal_year_bounds
from itadesk.cycles.models import Milestone, Participation, Round
from itadesk.registry.models import Agency, AgencyKind, District, Province, SupervisingOffice


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: f"{10 + n % 90:02d}")
    name_th = factory.Sequence(lambda n: f"จังหวัดทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test Province {n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory)
    geocode = factory.LazyAttributeSequence(lambda o, n: f"{o.province.code}{1 + n % 99:02d}")
    name_th = factory.Sequence(lambda n: f"ทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.SubFactory(ProvinceFactory)
    district = factory.SubFactory(DistrictFactory, province=factory.SelfAttribute("..province"))
    kind = AgencyKind.SAO
    name_th = factory.Sequence(lambda n: f"องค์การบริหารส่วนตำบลทดสอบ{n}")
    name_en = ""
    itas_code = factory.Sequence(lambda n: f"{n:08d}")  # leading zeros on purpose
    dla_code = factory.Sequence(lambda n: f"0{n:06d}")
    website = factory.Sequence(lambda n: f"https://www.test{n}.go.th")
    email = factory.Sequence(lambda n: f"saraban{n}@test.go.th")
    phone = "0 4281 1234"


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = SupervisingOffice

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"office-{n}")
    name_th = factory.Sequence(lambda n: f"สำนักงานทดสอบ{n}")
    short_name = factory.Sequence(lambda n: f"สนง.{n}")


MILESTONES = (
    # code, Thai name, English name, (month, day) of the deadline, year offset from the fiscal year
    ("register", "ลงทะเบียนผู้ดูแลระบบ ITAS", "Register ITAS administrators", (11, 30), -1),
    ("iit-eit", "เผยแพร่แบบวัด IIT และ EIT", "Publish the IIT and EIT surveys", (1, 31), 0),
    ("oit", "ส่งข้อมูล OIT", "Submit OIT evidence", (3, 31), 0),
)


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    province = factory.SubFactory(ProvinceFactory)
    fiscal_year = factory.Sequence(lambda n: 2568 + n)
    name = factory.LazyAttribute(lambda o: f"การประเมิน ITA ปีงบประมาณ พ.ศ. {o.fiscal_year}")
    starts_on = factory.LazyAttribute(lambda o: fiscal_year_bounds(o.fiscal_year)[0])
    ends_on = factory.LazyAttribute(lambda o: fiscal_year_bounds(o.fiscal_year)[1])
    is_current = True

    @classmethod
    def with_milestones(cls, **kwargs) -> Round:
        """A round with the three usual milestones (codes register, iit-eit, oit)."""
        round_ = cls(**kwargs)
        for order, (code, name_th, name_en, (month, day), offset) in enumerate(MILESTONES, start=1):
            Milestone.objects.create(round=round_, code=code, name_th=name_th, name_en=name_en, order=order,
                                     deadline=bangkok_datetime(round_.fiscal_year + offset, month, day, 16, 30))
        return round_


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    round = factory.SubFactory(RoundFactory)
    agency = factory.SubFactory(AgencyFactory, province=factory.SelfAttribute("..round.province"))


def enrol(round_: Round, agencies) -> None:
    Participation.objects.bulk_create([Participation(round=round_, agency=a) for a in agencies])


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"ผู้ใช้{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.th")
    password = factory.django.Password("secret-pass-123")

    @classmethod
    def with_role(cls, role: str, *, province=None, office=None, agency=None, **kwargs):
        """A user holding one role (an ``accounts.Role`` value) on a province, office or agency."""
        user = cls(**kwargs)
        Membership.objects.create(user=user, role=role, province=province, office=office, agency=agency)
        return user
