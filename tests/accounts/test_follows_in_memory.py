""""An office that follows this agency" decided from memory (``Scope.follows``) gives the answer of the offices'
oversight rules as a filter on ``Agency`` (``Scope.followed_q``), the one every list of followed agencies uses:
for any rules (all agencies, kinds, hand-picked agencies, of this province's offices or another's), any offices
a person belongs to and every agency of both provinces."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.accounts.access import predicates
from itadesk.accounts.access.scope import _read
from itadesk.accounts.models import OFFICE_ROLES, Membership, Role
from itadesk.registry.models import Agency, AgencyKind, District, OversightRule, Province, SupervisingOffice

KINDS = [str(k) for k in AgencyKind]

rule = st.fixed_dictionaries({
    "office": st.integers(0, 3),
    "all": st.booleans(),
    "kinds": st.lists(st.sampled_from(KINDS), max_size=3, unique=True),
    "picked": st.lists(st.integers(0, 7), max_size=4, unique=True),
})


class Rollback(Exception):
    pass


@pytest.fixture
def places(world):
    other = Province.objects.create(code="43", name_th="หนองคาย", name_en="Nong Khai")
    district = District.objects.create(province=other, geocode="4301", name_th="เมืองหนองคาย")
    extra = [Agency.objects.create(province=other, district=district, kind=kind, name_th=f"หน่วยงาน {n}")
             for n, kind in enumerate([AgencyKind.PROVINCIAL, AgencyKind.SAO, AgencyKind.DISTRICT])]
    offices = [world.nacc, world.local,
               *(SupervisingOffice.objects.create(province=other, code=f"o{n}", name_th=f"สำนักงาน {n}",
                                                  short_name=f"สนง. {n}", order=n) for n in (1, 2))]
    return world, offices, [*world.agencies, *extra]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=st.lists(rule, max_size=5), member_of=st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True),
       role=st.sampled_from(sorted(OFFICE_ROLES)))
def test_in_memory_follows_is_the_rules_filter(places, rules, member_of, role):
    world, offices, agencies = places
    try:
        with transaction.atomic():
            OversightRule.objects.all().delete()
            for r in rules:
                made = OversightRule.objects.create(office=offices[r["office"]], all_agencies=r["all"],
                                                    kinds=r["kinds"])
                made.agencies.set([agencies[i] for i in r["picked"]])
            Membership.objects.filter(user=world.reviewer).delete()
            for i in member_of:
                Membership.objects.create(user=world.reviewer, role=role, office=offices[i])
            scope = _read(world.reviewer)
            mine = scope.offices_with([role])
            for agency in Agency.objects.all():
                expected = Agency.objects.filter(scope.followed_q(mine), pk=agency.pk).exists()
                assert scope.follows(mine, agency) is expected, (agency, rules, member_of)
                assert predicates.office_follows(scope, agency, [role]) is expected
            raise Rollback
    except Rollback:
        pass


@pytest.mark.parametrize("page_cache", [True, False])
def test_deciding_reads_the_rules_once_then_nothing(world, settings, django_assert_num_queries, page_cache):
    """With the page cache on, the rules and what they pick are read with the scope (to be kept with it); without
    it, by the first question that needs them. Either way, every later question is decided from memory."""
    settings.ITADESK_PAGE_CACHE = page_cache
    with django_assert_num_queries(3 if page_cache else 1):  # memberships (then the rules, their picked agencies)
        scope = _read(world.local_officer)
    with django_assert_num_queries(0 if page_cache else 2):
        assert scope.follows(scope.office_ids, world.sao1)
    with django_assert_num_queries(0):
        assert scope.follows(scope.office_ids, world.pao)
        assert not scope.follows(scope.office_ids, world.provincial)
        assert predicates.office_follows(scope, world.sao2)
        assert not predicates.office_follows(scope, world.district_office, [Role.REVIEWER])
