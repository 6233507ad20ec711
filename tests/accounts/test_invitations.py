"""Invitations: the e-mail's link sets a password and logs in; expired, used and replaced links are refused
with a Thai message; resend, deactivate and reactivate with history; who may do it."""

import re

import time_machine
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from itadesk.accounts import services
from itadesk.accounts.importing import apply_people_import, plan_people_import
from itadesk.core.models import AuditEvent
from tests.accounts.people_kit import csv_bytes

User = get_user_model()
NEW_PASSWORD = "Loei-ITA-2570-secret"


def invite(world, capture, rows=None, actor=None):
    rows = rows or [["นายสมชาย ใจดี", "somchai@example.test", "somchai.k", "06420205", "", "agency_admin"]]
    plan = plan_people_import(data=csv_bytes(rows), filename="p.csv", province=world.province,
                              actor=actor or world.secretariat)
    assert plan.ok, plan.errors
    with capture(execute=True):
        apply_people_import(actor=actor or world.secretariat, plan=plan)
    return User.objects.get(email=rows[0][1])


def link_in(mail) -> str:
    path = re.search(r"https?://[^/\s]+(/accounts/invitation/[^\s]+/)", mail.body).group(1)
    assert path in mail.alternatives[0][0]  # the HTML part carries the same link
    return path


def test_invitation_mail_link_sets_password_and_logs_in(world, client, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    person = invite(world, django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert mail.to == ["somchai@example.test"]
    assert "คำเชิญ" in mail.subject and "Invitation" in mail.subject
    assert "ผู้ดูแลระบบของหน่วยงาน · องค์การบริหารส่วนตำบลแก้วเมธี" in mail.body  # Thai first
    assert "Agency admin" in mail.body and "somchai@example.test" in mail.body  # then English
    assert "หมดอายุเมื่อ" in mail.body and "14 วัน" in mail.body
    path = link_in(mail)
    page = client.get(path)
    assert page.status_code == 200 and "ตั้งรหัสผ่าน" in page.content.decode()
    weak = client.post(path, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and not User.objects.get(pk=person.pk).has_usable_password()
    done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert done.redirect_chain[0] == (reverse("home"), 302)
    assert done.context["user"].pk == person.pk and done.context["user"].is_authenticated
    assert done.request["PATH_INFO"] == reverse("agency_progress", args=[world.round.pk, world.sao1.pk])
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and person.invitation.accepted_at is not None
    assert person.invitation.state == "accepted"
    assert AuditEvent.objects.filter(action="people.accept", actor=person).exists()
    # used: the same link is refused, in Thai
    client.logout()
    again = client.get(path).content.decode()
    assert "หมดอายุหรือถูกใช้ไปแล้ว" in again
    assert client.post(path, {"new_password1": "Other-pass-2570x", "new_password2": "Other-pass-2570x"}
                       ).status_code == 200
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@override_settings(ITADESK_INVITATION_DAYS=3)
def test_expired_link_is_refused(world, client, mailoutbox, django_capture_on_commit_callbacks):
    person = invite(world, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[0])
    # Django's token clock is naive local time and time_machine moves the local zone to UTC (-7 h here),
    # so go well past the three days.
    with time_machine.travel(timezone.now() + timezone.timedelta(days=3, hours=12)):
        html = client.get(path).content.decode()
        assert "หมดอายุหรือถูกใช้ไปแล้ว" in html
        client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        person.refresh_from_db()
        assert not person.has_usable_password() and person.invitation.state == "expired"
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        assert client.get(path).status_code == 200 and "set-password" in client.get(path).content.decode()


def test_resend_replaces_the_link_and_is_recorded(world, client, mailoutbox, django_capture_on_commit_callbacks):
    person = invite(world, django_capture_on_commit_callbacks)
    old = link_in(mailoutbox[0])
    client.force_login(world.local_officer)  # the office that follows sao1
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:person_resend", args=[person.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    new = link_in(mailoutbox[1])
    assert new != old
    person.refresh_from_db()
    assert person.invitation.send_count == 2
    event = AuditEvent.objects.get(action="people.invitation_sent", object_id=str(person.pk))
    assert event.actor == world.local_officer and event.after["send_count"] == 2
    client.logout()
    assert "หมดอายุหรือถูกใช้ไปแล้ว" in client.get(old).content.decode()
    assert client.post(new, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302


def test_deactivate_and_reactivate_with_history(world, client, mailoutbox, django_capture_on_commit_callbacks):
    person = invite(world, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[0])
    client.force_login(world.secretariat)
    client.post(reverse("accounts:person_active", args=[person.pk]), {"active": "0"})
    person.refresh_from_db()
    assert not person.is_active
    assert AuditEvent.objects.filter(action="people.deactivate", actor=world.secretariat,
                                     object_id=str(person.pk)).exists()
    refused = client.post(reverse("accounts:person_resend", args=[person.pk]), follow=True)
    assert "ถูกระงับ" in refused.content.decode()
    client.logout()
    assert "หมดอายุหรือถูกใช้ไปแล้ว" in client.get(path).content.decode()  # a deactivated account's link dies
    client.force_login(world.secretariat)
    client.post(reverse("accounts:person_active", args=[person.pk]), {"active": "1"})
    person.refresh_from_db()
    assert person.is_active
    page = client.get(reverse("accounts:person", args=[person.pk])).content.decode()
    assert "people.deactivate" in page and "people.reactivate" in page and "people.invite" in page
    assert "somchai.k" in page


def test_nobody_deactivates_themselves(world):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.set_active(actor=world.secretariat, user=world.secretariat, active=False)


def test_an_accepted_invitation_is_not_sent_again(world, client, mailoutbox, django_capture_on_commit_callbacks):
    person = invite(world, django_capture_on_commit_callbacks)
    client.post(link_in(mailoutbox[0]), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.force_login(world.secretariat)
    response = client.post(reverse("accounts:person_resend", args=[person.pk]), follow=True)
    assert "ตั้งรหัสผ่านแล้ว" in response.content.decode() and len(mailoutbox) == 1


def test_people_list_scoping(world, client, django_capture_on_commit_callbacks):
    invite(world, django_capture_on_commit_callbacks)
    invite(world, django_capture_on_commit_callbacks,
           rows=[["ผู้บริหาร จังหวัด", "prov-exec@example.test", "", "จังหวัดเลย", "", "agency_executive"]])
    client.force_login(world.local_officer)  # follows local governments, not the provincial agency
    html = client.get(reverse("accounts:people")).content.decode()
    assert "somchai@example.test" in html and "admin-a@example.test" in html
    assert "prov-exec@example.test" not in html and "secretariat@example.test" not in html
    prov = User.objects.get(email="prov-exec@example.test")
    assert client.get(reverse("accounts:person", args=[prov.pk])).status_code == 403
    client.force_login(world.secretariat)
    html = client.get(reverse("accounts:people")).content.decode()
    assert "prov-exec@example.test" in html and "local@example.test" in html
    assert "root@example.test" not in html  # a superuser is not the secretariat's to manage
