"""The agency of a URL (``cycles.rounds._participant``: one compiled query, whether the user may see it decided
from the user's scope in memory) is what the ORM gives through ``access.agencies_for`` with the agency's district,
province and participation: for every person of the world, every agency of the province and of another, in the
round or not, with and without a district."""

from __future__ import annotations

import pytest

from itadesk.accounts import access
from itadesk.cycles import rounds
from itadesk.cycles.models import Participation
from itadesk.registry.models import Agency, AgencyKind, District, Province
from tests.world import make_user

PEOPLE = ("superuser", "secretariat", "nacc_officer", "prov_officer", "local_officer", "admin_officer", "reviewer",
          "admin_a", "admin_b", "exec_a")


def reference(user, round, agency_id):
    """The read as it was made with the ORM alone."""
    from django.db.models import Exists, OuterRef

    return (access.agencies_for(user).select_related("district", "province")
            .annotate(_in_round=Exists(Participation.objects.filter(round=round, agency=OuterRef("pk"))))
            .filter(pk=agency_id, province_id=round.province_id).first())


def described(agency):
    if agency is None:
        return None
    district = agency.district
    return ({f.attname: getattr(agency, f.attname) for f in Agency._meta.concrete_fields},
            district and {f.attname: getattr(district, f.attname) for f in District._meta.concrete_fields},
            {f.attname: getattr(agency.province, f.attname) for f in Province._meta.concrete_fields},
            agency._in_round)


@pytest.fixture
def places(world):
    w = world
    w.outside = Agency.objects.create(province=w.province, district=None, kind=AgencyKind.SAO,
                                      name_th="องค์การบริหารส่วนตำบลนอกรอบ", website="https://nokrob.go.th")
    other = Province.objects.create(code="43", name_th="หนองคาย", name_en="Nong Khai")
    w.elsewhere = Agency.objects.create(province=other, kind=AgencyKind.SAO, name_th="อบต. หนองคาย")
    w.nobody = make_user("nobody")
    return w


def test_the_compiled_read_is_the_orm_s_for_everyone_and_every_agency(places, django_assert_num_queries):
    w = places
    agencies = [*w.agencies, w.outside, w.elsewhere]
    seen = 0
    for name in (*PEOPLE, "nobody"):
        user = getattr(w, name)
        access.scope_for(user)
        for agency in agencies:
            expected = described(reference(user, w.round, agency.pk))
            with django_assert_num_queries(1):  # the agency's row with its district and province, nothing later
                got = rounds._participant(user, w.round, agency.pk)
                shown = described(got)
            assert shown == expected, (name, agency.name_th)
            seen += got is not None
    assert rounds._participant(w.secretariat, w.round, 10**9) is None
    assert seen > 20  # not an empty comparison: most people see several agencies, the outside one not in the round
    assert described(rounds._participant(w.secretariat, w.round, w.outside.pk))[3] is False
    assert described(rounds._participant(w.secretariat, w.round, w.outside.pk))[1] is None
