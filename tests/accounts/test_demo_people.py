"""The demo's invented people: imported through the people import, marked as demo data, invitations not
sent, nothing new on a second run, and agencies left without people for the contacts pages."""

import pytest
from django.contrib.auth import get_user_model

from itadesk.accounts import selectors
from itadesk.accounts.models import Invitation, Membership
from itadesk.core.models import AuditEvent
from itadesk.demo.loader import DEMO_EMAIL_DOMAIN, load_demo
from itadesk.registry.models import Agency, Province

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_people(mailoutbox):
    load_demo()
    invited = User.objects.filter(invitation__isnull=False)
    assert invited.count() == 12
    assert all(u.get_full_name().endswith("(สาธิต)") for u in invited)
    assert all(u.email.endswith("@" + DEMO_EMAIL_DOMAIN) and not u.has_usable_password() for u in invited)
    assert set(Invitation.objects.values_list("sent_at", flat=True)) == {None} and mailoutbox == []
    assert AuditEvent.objects.filter(action="people.invite", actor=None).count() == 12
    assert Membership.objects.filter(user__in=invited, office__code="local-promotion").count() == 1
    province = Province.objects.get(code="42")
    unreachable = selectors.unreachable(Agency.objects.filter(province=province)).count()
    assert 100 < unreachable < 116  # most agencies still have nobody: the chase pages have content
    load_demo()
    assert User.objects.filter(invitation__isnull=False).count() == 12
    assert AuditEvent.objects.filter(action="people.invite").count() == 12
