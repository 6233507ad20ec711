"""Agencies without contacts: the office's page and its scoping, the count on the dashboards, and the
reminders' dry run."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from itadesk.accounts import selectors
from itadesk.accounts.models import Membership, Role
from tests.world import make_user

User = get_user_model()


def test_contacts_page_lists_the_office_agencies_missing_someone(world, client):
    # sao1 has admin-a and exec-a, the PAO only admin-b; sao2 nobody but its own e-mail
    world.sao2.email = "saraban@sao2.example.test"
    world.sao2.save()
    client.force_login(world.local_officer)
    response = client.get(reverse("accounts:office_contacts", args=[world.local.pk]))
    rows = {r.agency for r in response.context["rows"]}
    assert rows == {world.pao, world.sao2}  # local governments only; sao1 is complete
    html = response.content.decode()
    assert "saraban@sao2.example.test" in html
    assert (response.context["total"], response.context["missing"], response.context["unreachable"]) == (3, 2, 0)
    everything = client.get(reverse("accounts:office_contacts", args=[world.local.pk]) + "?show=all")
    assert {r.agency for r in everything.context["rows"]} == {world.pao, world.sao1, world.sao2}
    # another office's page is not this officer's
    assert client.get(reverse("accounts:office_contacts", args=[world.prov_office.pk])).status_code == 403


def test_an_agency_is_unreachable_without_an_active_admin_e_mail_or_an_agency_e_mail(world):
    agencies = world.province.agencies.all()
    assert set(selectors.unreachable(agencies)) == {world.provincial, world.district_office, world.sao2}
    world.admin_b.is_active = False  # the PAO's only admin
    world.admin_b.save()
    assert world.pao in selectors.unreachable(agencies)
    world.admin_a.email = ""  # sao1's admin has no e-mail; its executive does not receive reminders
    world.admin_a.save()
    assert world.sao1 in selectors.unreachable(agencies)
    world.sao1.email = "sao1@example.test"
    world.sao1.save()
    assert world.sao1 not in selectors.unreachable(agencies)
    new_admin = make_user("new-admin", Role.AGENCY_ADMIN, agency=world.sao2)
    assert world.sao2 not in selectors.unreachable(agencies)
    Membership.objects.filter(user=new_admin).update(role=Role.AGENCY_EXECUTIVE)
    assert world.sao2 in selectors.unreachable(agencies)


def test_dashboards_show_how_many_agencies_no_reminder_reaches(world, client):
    client.force_login(world.secretariat)
    html = client.get(reverse("round_dashboard", args=[world.round.pk])).content.decode()
    assert 'data-testid="reminder-reach" data-count="3"' in html  # provincial, district office, sao2
    assert reverse("accounts:province_contacts") in html
    assert 'data-testid="people-link"' in html  # the way to the people page
    client.force_login(world.local_officer)
    html = client.get(reverse("office_dashboard", args=[world.round.pk, world.local.pk])).content.decode()
    assert 'data-count="1"' in html  # of the local governments only sao2
    assert 'data-testid="people-link"' in html
    assert reverse("accounts:office_contacts", args=[world.local.pk]) + f"?round={world.round.pk}" in html
    contacts = client.get(reverse("accounts:office_contacts", args=[world.local.pk]),
                          {"round": world.round.pk, "show": "unreachable"})
    assert [r.agency for r in contacts.context["rows"]] == [world.sao2]
    client.force_login(world.reviewer)  # sees the count of its office, may not manage people
    html = client.get(reverse("office_dashboard", args=[world.round.pk, world.nacc.pk])).content.decode()
    assert 'data-testid="reminder-reach" data-count="3"' in html and 'data-testid="people-link"' not in html


def test_reminders_dry_run_counts_unreachable_agencies(world):
    out = StringIO()
    call_command("reminders", "send", "--dry-run", "--now", "2025-01-17T08:00+07:00", stdout=out)
    text = out.getvalue()
    assert "3 of 5 participating agencies can be reached by no reminder" in text
    assert "สถ.จ.เลย: 1 —" in text and "ป.ป.ช.จังหวัดเลย: 3 —" in text
    assert f"/accounts/people/contacts/?province={world.province.pk}&round={world.round.pk}" in text
