"""``offices_following(agency)`` decides the oversight rules in memory: it must name exactly the offices that
``Agency.objects.filter(office.agency_q(), pk=agency.pk)`` finds, for every kind of rule, in a few queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itadesk.registry.models import Agency, AgencyKind, OversightRule, offices_following, province_oversight
from tests.factories import AgencyFactory, DistrictFactory, OfficeFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def _by_sql(agency: Agency) -> list[int]:
    return [o.pk for o in agency.province.offices.all() if Agency.objects.filter(o.agency_q(), pk=agency.pk).exists()]


def test_same_offices_as_the_rules_in_sql_for_every_kind_of_rule():
    province, other = ProvinceFactory(), ProvinceFactory()
    district = DistrictFactory(province=province)
    kinds = [AgencyKind.SAO, AgencyKind.PROVINCIAL, AgencyKind.DISTRICT, AgencyKind.SUBDISTRICT_MUNICIPALITY]
    agencies = [AgencyFactory(province=province, district=district, kind=k) for k in kinds for _ in range(2)]
    outside = AgencyFactory(province=other, kind=AgencyKind.SAO)
    everyone = OfficeFactory(province=province)
    OversightRule.objects.create(office=everyone, all_agencies=True)
    by_kind = OfficeFactory(province=province)
    OversightRule.objects.create(office=by_kind, kinds=[AgencyKind.SAO, AgencyKind.DISTRICT])
    picked = OfficeFactory(province=province)
    OversightRule.objects.create(office=picked).agencies.set([agencies[2], agencies[5]])
    mixed = OfficeFactory(province=province)  # kinds as lead, a hand-picked list as assist
    OversightRule.objects.create(office=mixed, kinds=[AgencyKind.PROVINCIAL])
    OversightRule.objects.create(office=mixed, role=OversightRule.Role.ASSIST).agencies.set([agencies[0], outside])
    OfficeFactory(province=province)  # no rules: follows nobody
    elsewhere = OfficeFactory(province=other)  # another province's office follows all of its own agencies
    OversightRule.objects.create(office=elsewhere, all_agencies=True)
    OversightRule.objects.create(office=elsewhere).agencies.set([agencies[1]])  # (a stray pick across provinces)

    for agency in [*agencies, outside]:
        assert [o.pk for o in offices_following(agency)] == _by_sql(agency), agency.kind
        # decided from the province's rules read once (as pages keep them)
        assert [o.pk for o in offices_following(agency, province_oversight(agency.province_id))] == _by_sql(agency)
    assert [o.pk for o in offices_following(agencies[0])] == [everyone.pk, by_kind.pk, mixed.pk]


def test_one_query_whatever_the_number_of_offices():
    province = ProvinceFactory()
    agency = AgencyFactory(province=province)
    for n in range(12):
        office = OfficeFactory(province=province)
        OversightRule.objects.create(office=office, kinds=[AgencyKind.SAO] if n % 2 else [])
    with CaptureQueriesContext(connection) as ctx:
        assert len(offices_following(agency)) == 6
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        oversight = province_oversight(province.pk)
    assert len(ctx.captured_queries) == 2
    with CaptureQueriesContext(connection) as ctx:
        in_memory = offices_following(agency, oversight)
    assert not ctx.captured_queries and in_memory == offices_following(agency)
