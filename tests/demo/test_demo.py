"""``itadesk demo``: what it loads, that a second run changes nothing, and that user changes survive."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from itadesk.committee.models import CommitteeMember
from itadesk.core.models import AuditEvent
from itadesk.cycles.models import Milestone, Participation, Progress, Round, Status
from itadesk.cycles.services import set_progress
from itadesk.demo import loader
from itadesk.demo.loader import (
    DEMO_PASSWORD,
    load_demo,
    normalize_website,
)
from itadesk.registry.models import Agency, District, Province, SupervisingOffice

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def counts():
    return load_demo()


def snapshot() -> dict:
    """Every row of every table (auto-created many-to-many tables included), in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


# --- what is loaded --------------------------------------------------------------------------------------

def test_counts(counts):
    province = Province.objects.get(code="42")
    assert (province.name_th, province.name_en) == ("จังหวัดเลย", "Loei")
    assert District.objects.filter(province=province).count() == 14
    assert Agency.objects.count() == 116
    assert Counter(Agency.objects.values_list("kind", flat=True)) == {
        "pao": 1, "town_mun": 2, "subdistrict_mun": 27, "sao": 71, "district": 14, "provincial": 1}
    assert SupervisingOffice.objects.count() == 4
    assert Round.objects.count() == 2  # the seed's FY2568 and the FY2570 round in progress
    assert Milestone.objects.filter(round__fiscal_year=2568).count() == 3
    assert Participation.objects.filter(round__fiscal_year=2568).count() == 116
    assert Participation.objects.filter(round__fiscal_year=2568, needs_coaching=True).count() == 21
    assert CommitteeMember.objects.count() == 7
    assert {g: c["total"] for g, c in counts.items()} == {
        "provinces": 1, "districts": 14, "agencies": 116, "offices": 4, "oversight_rules": 5, "rounds": 1,
        "milestones": 3, "missions": 23, "participations": 116, "coaching": 21, "progress": 348,
        "committee_members": 7, "users": 10, "memberships": 9, "frameworks": 5, "results": 232,
        "current_rounds": 1, "current_progress": counts["current_progress"]["total"],
    }
    assert counts["current_progress"]["total"] > 100
    assert all(c["created"] == c["total"] for c in counts.values())


@pytest.mark.parametrize(("raw", "expected"), [
    ("www.loeipao.go.th", "http://www.loeipao.go.th/"),
    ("WWW.KONSA.GO.TH", "http://www.konsa.go.th/"),
    ("https://www.tambolnamsui.go.th", "https://www.tambolnamsui.go.th/"),
    ("http://phakhao.go.th/public/", "http://phakhao.go.th/public/"),
    ("", ""),
    ("not a url", ""),
])
def test_normalize_website(raw, expected):
    assert normalize_website(raw) == expected


# --- idempotency ---------------------------------------------------------------------------------------------------

def test_second_run_creates_and_changes_nothing():
    load_demo()
    before = snapshot()
    events = AuditEvent.objects.count()
    counts = load_demo()
    assert all(c["created"] == 0 for c in counts.values()), counts
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_user_changes_survive_a_rerun():
    load_demo()
    User = get_user_model()
    officer = User.objects.get(username="local")
    agency = Agency.objects.get(dla_code="05420202")
    milestone = Milestone.objects.get(code="stakeholders", round__fiscal_year=2568)
    changed = set_progress(actor=officer, agency=agency, milestone=milestone, status=Status.APPROVED,
                           note="อนุมัติแล้ว ตรวจโดยเจ้าหน้าที่")
    officer.set_password("a-new-secret")
    officer.save()
    agency.website = "https://nadokkham.example/"
    agency.save()
    deleted = Progress.objects.filter(milestone__code="oit", milestone__round__fiscal_year=2568).order_by("pk").first()
    deleted_key = (deleted.milestone_id, deleted.agency_id, deleted.status, deleted.note)
    deleted.delete()
    before = snapshot()

    counts = load_demo()
    assert counts["progress"]["created"] == 1  # only the missing row comes back
    row = Progress.objects.get(milestone=milestone, agency=agency)
    assert (row.status, row.note, row.updated_by, row.done_at) == (
        Status.APPROVED, "อนุมัติแล้ว ตรวจโดยเจ้าหน้าที่", officer, changed.done_at)
    officer.refresh_from_db()
    assert officer.check_password("a-new-secret")
    assert Agency.objects.get(dla_code="05420202").website == "https://nadokkham.example/"
    back = Progress.objects.get(milestone_id=deleted_key[0], agency_id=deleted_key[1])
    assert (back.milestone_id, back.agency_id, back.status, back.note) == deleted_key
    after = snapshot()
    for label in before:
        if label not in ("cycles.Progress", "core.AuditEvent"):
            assert after[label] == before[label], label


# --- the command ------------------------------------------------------------------------------------------------

def test_command_prints_summary_and_accounts(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for username in loader.ACCOUNT_USERNAMES:
        assert username in text
    assert DEMO_PASSWORD in text
    assert "116" in text and "348" in text
    out = StringIO()
    call_command("demo", stdout=out)
    assert "nothing changed" in out.getvalue()


