"""The right round everywhere: landing on the current round, the round switcher on every round page, the page
for an agency that is not in a round (never a bare 404), and past rounds that stay readable."""

import re

import pytest
from django.urls import reverse

from itadesk.core.thai import bangkok_datetime
from itadesk.cycles import rounds
from itadesk.cycles.models import Milestone, Participation, Round
from tests.world import make_user


@pytest.fixture
def two_rounds(world):
    """FY2570 becomes current; only the provincial agency, the PAO and SAO 1 take part in it (not SAO 2)."""
    w = world
    Round.objects.filter(pk=w.round.pk).update(is_current=False)
    w.round.refresh_from_db()
    w.new = Round.objects.create(province=w.province, fiscal_year=2570, name="ITA 2570", is_current=True,
                                 starts_on="2026-10-01", ends_on="2027-09-30")
    w.new_m1 = Milestone.objects.create(round=w.new, code="stakeholders", name_th="ผู้มีส่วนได้ส่วนเสีย", order=1,
                                        deadline=bangkok_datetime(2570, 1, 31, 17))
    for a in (w.provincial, w.pao, w.sao1):
        Participation.objects.create(round=w.new, agency=a)
    w.admin_out = make_user("admin-out", "agency_admin", agency=w.sao2)
    return w


def _login(client, user):
    client.force_login(user)
    return client


def _landing(client):
    response = client.get("/")
    assert response.status_code in (200, 302)
    return response


@pytest.mark.parametrize(("who", "expected"), [
    ("secretariat", "round_dashboard"), ("local_officer", "office_dashboard"), ("admin_a", "agency_progress"),
])
def test_users_land_on_the_current_round(client, two_rounds, who, expected):
    w = two_rounds
    response = _landing(_login(client, getattr(w, who)))
    assert response.status_code == 302
    assert response.url.startswith(f"/rounds/{w.new.pk}/")
    match = re.match(rf"/rounds/{w.new.pk}/(offices|agencies)?", response.url)
    assert match
    if expected == "agency_progress":
        assert response.url == reverse("agency_progress", args=[w.new.pk, w.sao1.pk])
    if expected == "office_dashboard":
        assert response.url == reverse("office_dashboard", args=[w.new.pk, w.local.pk])


def test_agency_not_in_the_current_round_gets_a_thai_page_with_its_rounds(client, two_rounds):
    w = two_rounds
    response = _landing(_login(client, w.admin_out))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="not-in-round"' in body
    assert "ไม่ได้อยู่ใน" in body and w.sao2.name_th in body and "ITA 2570" in body
    assert reverse("agency_progress", args=[w.round.pk, w.sao2.pk]) in body
    # and the page it links to, the past round, is readable
    assert client.get(reverse("agency_progress", args=[w.round.pk, w.sao2.pk])).status_code == 200


def test_agency_not_in_the_round_of_the_url_gets_the_page_in_english_when_chosen(client, two_rounds):
    w = two_rounds
    _login(client, w.admin_out)
    client.cookies["django_language"] = "en"
    for url in (reverse("agency_progress", args=[w.new.pk, w.sao2.pk]),
                reverse("evidence:workspace", args=[w.new.pk, w.sao2.pk]),
                reverse("surveys:agency", args=[w.new.pk, w.sao2.pk])):
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.content.decode()
        assert "is not in the round ITA 2570" in body, url
        assert "Not Found" not in body
        # the link goes to the same kind of page in the round the agency is in
        assert url.replace(f"/rounds/{w.new.pk}/", f"/rounds/{w.round.pk}/") in body


def test_oit_and_surveys_home_say_so_too(client, two_rounds):
    _login(client, two_rounds.admin_out)
    for name in ("evidence:home", "surveys:home"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'data-testid="not-in-round"' in response.content.decode()


def test_no_agency_of_another_province_leaks_through_the_page(client, two_rounds):
    """An agency the user may not see is still a 404 without its name."""
    w = two_rounds
    _login(client, w.admin_out)
    response = client.get(reverse("agency_progress", args=[w.new.pk, w.sao1.pk]))
    assert response.status_code == 404
    assert w.sao1.name_th not in response.content.decode()


@pytest.mark.parametrize("who", ["secretariat", "nacc_officer", "local_officer", "admin_a", "exec_a", "superuser"])
def test_past_rounds_stay_readable(client, two_rounds, who):
    w = two_rounds
    user = getattr(w, who)
    _login(client, user)
    url = rounds.landing_url(user, w.round)
    assert url and f"/rounds/{w.round.pk}/" in url
    response = client.get(url)
    assert response.status_code == 200
    # the switcher says this is a past year and offers the current round
    body = response.content.decode()
    assert 'data-testid="round-switcher"' in body
    assert "ปีที่ผ่านมา" in body
    assert 'data-testid="round-choice-2570"' in body


def test_an_agency_reads_its_past_round_everywhere(client, two_rounds):
    w = two_rounds
    _login(client, w.admin_a)
    for name in ("agency_progress", "evidence:workspace", "surveys:agency", "questionnaires:agency"):
        response = client.get(reverse(name, args=[w.round.pk, w.sao1.pk]))
        assert response.status_code == 200, name
        body = response.content.decode()
        # and the switcher leads to the same page of the current round
        assert f'href="{reverse(name, args=[w.new.pk, w.sao1.pk])}"' in body, name


def test_switcher_keeps_the_kind_of_page(client, two_rounds):
    w = two_rounds
    _login(client, w.secretariat)
    body = client.get(reverse("evidence:workspace", args=[w.round.pk, w.sao1.pk])).content.decode()
    # SAO 1 is in both rounds: the same page in FY2570
    assert f'href="{reverse("evidence:workspace", args=[w.new.pk, w.sao1.pk])}"' in body
    body = client.get(reverse("agency_progress", args=[w.round.pk, w.sao2.pk])).content.decode()
    # SAO 2 is not in FY2570: the round's dashboard instead
    assert f'href="{reverse("round_dashboard", args=[w.new.pk])}"' in body
    # a milestone belongs to one round: its other-round link is the dashboard
    body = client.get(reverse("milestone_edit", args=[w.round.pk, w.m1.pk])).content.decode()
    assert f'href="{reverse("round_dashboard", args=[w.new.pk])}"' in body
    body = client.get(reverse("surveys:followup", args=[w.new.pk])).content.decode()
    assert f'href="{reverse("surveys:followup", args=[w.round.pk])}"' in body


def test_switcher_offers_an_agency_user_only_its_rounds(client, two_rounds):
    w = two_rounds
    _login(client, w.admin_out)
    body = client.get(reverse("agency_progress", args=[w.round.pk, w.sao2.pk])).content.decode()
    assert 'data-testid="round-switcher"' not in body  # SAO 2 is only in FY2568


def test_no_switcher_with_one_round(client, world):
    _login(client, world.secretariat)
    body = client.get(reverse("round_dashboard", args=[world.round.pk])).content.decode()
    assert 'data-testid="round-switcher"' not in body


def test_an_empty_round_does_not_read_0_of_0(client, two_rounds):
    w = two_rounds
    empty = Round.objects.create(province=w.province, fiscal_year=2571, name="ITA 2571",
                                 starts_on="2027-10-01", ends_on="2028-09-30")
    Milestone.objects.create(round=empty, code="oit", name_th="OIT", deadline=bangkok_datetime(2571, 4, 30, 17))
    _login(client, w.secretariat)
    body = client.get(reverse("round_dashboard", args=[empty.pk])).content.decode()
    assert "0 / 0" not in body
    assert "ยังไม่มีหน่วยงาน" in body
    bare = Round.objects.create(province=w.province, fiscal_year=2572, name="ITA 2572",
                                starts_on="2028-10-01", ends_on="2029-09-30")
    body = client.get(reverse("round_dashboard", args=[bare.pk])).content.decode()
    assert 'data-testid="no-milestones"' in body


def test_landings_cost_two_queries_whatever_the_number_of_rounds(two_rounds, django_assert_max_num_queries):
    w = two_rounds
    many = list(Round.objects.all())
    from itadesk.accounts import access

    access.scope_for(w.admin_a)
    with django_assert_max_num_queries(2):
        result = rounds.landings(w.admin_a, many)
    assert result == {w.round.pk: reverse("agency_progress", args=[w.round.pk, w.sao1.pk]),
                      w.new.pk: reverse("agency_progress", args=[w.new.pk, w.sao1.pk])}
