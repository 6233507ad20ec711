"""A "new action item" form sent three times (double clicks, a resent request, concurrent copies) creates one
item: the form's one-time token is stored with the item, and the copies go to it."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from itadesk.committee.models import ActionItem
from itadesk.core.models import AuditEvent, FormSubmission
from tests.committee.helpers import make_meeting


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _form(client, meeting):
    page = client.get(reverse("committee:action_new")).content.decode()
    token = re.search(r'name="once" value="([^"]+)"', page).group(1)
    item = meeting.items.get(number="3.1")
    return {"once": token, "kind": "agencies", "title": "แต่งตั้งคณะทำงาน ITA", "office": "",
            "due_date": "31/1/2568", "meeting": meeting.pk, "agenda_item": item.pk, "detail": "",
            "ask-mode": "kind", "ask-kind_choice": "local"}


@pytest.mark.django_db
def test_three_posts_of_one_form_create_one_item(client, world):
    meeting = make_meeting(world)
    client.force_login(world.secretariat)
    data = _form(client, meeting)
    responses = [client.post(reverse("committee:action_new"), data) for _ in range(3)]
    action = ActionItem.objects.get()
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r["Location"] for r in responses} == {reverse("committee:action", args=[action.pk])}
    assert AuditEvent.objects.filter(action__icontains="action", object_id=str(action.pk)).count() >= 1
    assert FormSubmission.objects.get().url == reverse("committee:action", args=[action.pk])
    # a new form has a new token and creates a second item
    assert client.post(reverse("committee:action_new"), _form(client, meeting)).status_code == 302
    assert ActionItem.objects.count() == 2
    # a post without a token (an old page) still works as before
    data.pop("once")
    assert client.post(reverse("committee:action_new"), data).status_code == 302
    assert ActionItem.objects.count() == 3


@pytest.mark.django_db
def test_a_refused_form_keeps_its_token_and_creates_on_correction(client, world):
    meeting = make_meeting(world)
    client.force_login(world.secretariat)
    data = _form(client, meeting)
    bad = client.post(reverse("committee:action_new"), {**data, "title": ""})
    assert bad.status_code == 400 and f'value="{data["once"]}"' in bad.content.decode()
    assert not FormSubmission.objects.exists()
    assert client.post(reverse("committee:action_new"), data).status_code == 302
    assert client.post(reverse("committee:action_new"), data).status_code == 302
    assert ActionItem.objects.count() == 1


@pytest.mark.django_db
def test_a_token_another_user_sent_first_does_not_send_them_to_it(client, world):
    from itadesk.accounts.models import Role
    from tests.world import make_user

    meeting = make_meeting(world)
    client.force_login(world.secretariat)
    data = _form(client, meeting)
    client.post(reverse("committee:action_new"), data)
    colleague = make_user("secretariat-2", Role.SECRETARIAT, province=world.province)
    other = Client()
    other.force_login(colleague)
    response = other.post(reverse("committee:action_new"), data)
    assert response.status_code == 302
    assert ActionItem.objects.count() == 2 and FormSubmission.objects.get().user == world.secretariat


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises writers, so nothing can race")
def test_three_concurrent_posts_create_one_item(transactional_db):
    from tests.world import build_world

    w = build_world()
    meeting = make_meeting(w)
    first = Client()
    first.force_login(w.secretariat)
    data = _form(first, meeting)
    start = threading.Barrier(3)

    def post(_):
        client = Client()
        client.force_login(w.secretariat)
        try:
            start.wait(timeout=10)
            return client.post(reverse("committee:action_new"), data).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        codes = list(pool.map(post, range(3)))
    assert codes == [302, 302, 302]
    assert ActionItem.objects.count() == 1 and FormSubmission.objects.count() == 1


def _token(client, url):
    return re.search(r'name="once" value="([^"]+)"', client.get(url).content.decode()).group(1)


@pytest.mark.django_db
def test_new_meeting_and_new_project_forms_create_once(client, world):
    from itadesk.committee.models import Meeting
    from itadesk.projects.models import Project

    client.force_login(world.secretariat)
    meeting = {"once": _token(client, reverse("committee:meeting_new")), "number": "1", "date": "2024-12-24",
               "place": "ศาลากลาง", "scheduled_time": "14.30"}
    responses = [client.post(reverse("committee:meeting_new"), meeting) for _ in range(3)]
    made = Meeting.objects.get()
    assert {r["Location"] for r in responses} == {reverse("committee:meeting", args=[made.pk])}
    project = {"once": _token(client, reverse("projects:project_new")), "name": "โครงการขับเคลื่อน ITA ๒๕๖๘",
               "round": world.round.pk, "owner_office": world.prov_office.pk, "budget": "90000"}
    responses = [client.post(reverse("projects:project_new"), project) for _ in range(3)]
    made = Project.objects.get()
    assert {r["Location"] for r in responses} == {reverse("projects:project", args=[made.pk])}
    # editing is not guarded: the same edit form saves each time
    page = client.get(reverse("projects:project_edit", args=[made.pk])).content.decode()
    assert 'name="once"' in page
    assert client.post(reverse("projects:project_edit", args=[made.pk]), {**project, "budget": "95000"}).status_code == 302
    made.refresh_from_db()
    assert made.budget == 95000
