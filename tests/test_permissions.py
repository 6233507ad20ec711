"""The permission matrix: every URL pattern × the cast of users, with the expected outcome.
A URL pattern without a rule here fails ``test_every_url_has_a_rule``."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.accounts.permission_rules import RULES as ACCOUNT_RULES
from tests.api.permission_rules import RULES as API_RULES
from tests.api.permission_rules import api_call, is_api
from tests.calendars.permission_rules import RULES as CALENDAR_RULES
from tests.committee.permission_rules import RULES as COMMITTEE_RULES
from tests.core.permission_rules import RULES as CORE_RULES
from tests.cycles.permission_rules import RULES as ROUND_RULES
from tests.documents.permission_rules import RULES as DOCUMENT_RULES
from tests.notifications.permission_rules import RULES as NOTIFICATION_RULES
from tests.permission_kit import (  # noqa: F401
    AGENCY_USERS,
    CAST,
    LOGIN,
    NOT_SEE_SAO1,
    OFFICERS,
    REDIRECT,
    SEE_SAO1,
    expect,
    only,
)
from tests.projects.permission_rules import RULES as PROJECT_RULES
from tests.questionnaires.permission_rules import RULES as QUESTIONNAIRE_RULES
from tests.registry.permission_rules import RULES as REGISTRY_RULES
from tests.reports.permission_rules import RULES as REPORT_RULES
from tests.surveys.permission_rules import RULES as SURVEY_RULES


def _spare_milestone(w):
    """A fresh milestone for each user, since a successful delete removes it."""
    from itadesk.cycles.models import Milestone

    return Milestone.objects.create(round=w.round, code=f"spare-{Milestone.objects.count()}", name_th="x",
                                    deadline=w.m3.deadline)


def _spare_group(w):
    """A fresh target group for each user, since a successful delete removes it."""
    from itadesk.methodology.models import TargetGroup, TargetGroupMember

    group = TargetGroup.objects.create(province=w.province, name=f"group-{TargetGroup.objects.count()}-{id(w)}")
    TargetGroupMember.objects.create(group=group, agency=w.sao1, reason="test")
    return group


def _oit(w):
    """The OIT test framework as the round's framework (once per world); the round's id."""
    from tests.evidence.oit_world import setup_oit

    if w.round.framework_id is None:
        setup_oit(w)
    return w.round.pk


def _oit_agency(w, **extra):
    return {"round_id": _oit(w), "agency_id": w.sao1.pk, **extra}


def _spare_example(w):
    """A fresh example of the local-government office for each user, since a successful delete removes it."""
    from itadesk.evidence.models import ItemExample

    _oit(w)
    example = ItemExample.objects.create(round=w.round, office=w.local, item_code="o1", text="ตัวอย่าง")
    return {"round_id": w.round.pk, "office_id": w.local.pk, "example_id": example.pk}


def _snapshot(w):
    """A snapshot of sao1's o1, made once per world."""
    from itadesk.evidence.models import EvidenceItem, Snapshot

    _oit(w)
    item, _ = EvidenceItem.objects.get_or_create(round=w.round, agency=w.sao1, item_code="o1",
                                                 defaults={"answer": "has", "urls": ["https://x.go.th/"]})
    snap = Snapshot.objects.filter(item=item).first() or Snapshot.objects.create(
        item=item, url="https://x.go.th/", reason="submission", status_code=200, text="x")
    return _oit_agency(w, snapshot_id=snap.pk)


def _job(w):
    """A check job of sao1's evidence, made once per world."""
    from itadesk.evidence.models import CheckJob

    _oit(w)
    job = CheckJob.objects.filter(agency=w.sao1).first() or CheckJob.objects.create(
        round=w.round, scope="agency", agency=w.sao1)
    return {"round_id": w.round.pk, "job_id": job.pk}


# name -> (method, kwargs(world), expected per user)
RULES = {
    "home": ("get", lambda w: {}, expect(REDIRECT)),
    "national": ("get", lambda w: {}, only(["superuser"])),
    "round_dashboard": ("get", lambda w: {"round_id": w.round.pk}, only(["secretariat", "superuser"])),
    "office_dashboard": ("get", lambda w: {"round_id": w.round.pk, "office_id": w.local.pk},
                         only(["secretariat", "local_officer", "superuser"])),
    "agency_progress": ("get", lambda w: {"round_id": w.round.pk, "agency_id": w.sao1.pk},
                        only(SEE_SAO1, **NOT_SEE_SAO1)),
    "set_progress": ("post", lambda w: {"round_id": w.round.pk, "agency_id": w.sao1.pk, "milestone_id": w.m1.pk},
                     only(["secretariat", "nacc_officer", "local_officer", "admin_officer", "admin_a", "superuser"],
                          ok=REDIRECT, **NOT_SEE_SAO1)),
    "milestone_list": ("get", lambda w: {"round_id": w.round.pk}, only(["secretariat", "superuser"])),
    "milestone_new": ("get", lambda w: {"round_id": w.round.pk}, only(["secretariat", "superuser"])),
    "milestone_edit": ("get", lambda w: {"round_id": w.round.pk, "milestone_id": w.m1.pk},
                       only(["secretariat", "superuser"])),
    "milestone_delete": ("post", lambda w: {"round_id": w.round.pk, "milestone_id": _spare_milestone(w).pk},
                         only(["secretariat", "superuser"], ok=REDIRECT)),
    "toggle_public": ("post", lambda w: {"round_id": w.round.pk}, only(["secretariat", "superuser"], ok=REDIRECT)),
    "progress_import": ("get", lambda w: {"round_id": w.round.pk},
                        only(["secretariat", "superuser", *OFFICERS])),
    "progress_export": ("get", lambda w: {"round_id": w.round.pk},
                        only(["secretariat", "superuser", *OFFICERS, "reviewer"])),
    "public_dashboard": ("get", lambda w: {"round_id": w.round.pk}, {who: 404 for who in CAST}),
    "registry:agency_list": ("get", lambda w: {}, expect(200)),
    "registry:agency_import": ("get", lambda w: {}, only(["secretariat", "superuser"])),
    "registry:agency_export": ("get", lambda w: {"fmt": "xlsx"}, only(["secretariat", "superuser"])),
    "registry:agency_detail": ("get", lambda w: {"agency_id": w.sao1.pk}, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "registry:office_list": ("get", lambda w: {}, expect(200)),
    "registry:office_detail": ("get", lambda w: {"office_id": w.local.pk},
                               only(["secretariat", "local_officer", "superuser"])),
    "methodology:overview": ("get", lambda w: {}, expect(200)),
    "methodology:heatmap": ("get", lambda w: {}, expect(200)),
    "methodology:needs_help": ("get", lambda w: {}, expect(200)),
    "methodology:export_list": ("get", lambda w: {"which": "needs-help", "fmt": "xlsx"}, expect(200)),
    "methodology:target_groups": ("get", lambda w: {}, expect(200)),
    "methodology:target_group": ("get", lambda w: {"group_id": _spare_group(w).pk}, expect(200)),
    "methodology:target_group_delete": ("post", lambda w: {"group_id": _spare_group(w).pk},
                                        only(["secretariat", "superuser"], ok=REDIRECT)),
    "methodology:results_import": ("get", lambda w: {}, only(["secretariat", "superuser"])),
    "methodology:results_export": ("get", lambda w: {"fmt": "csv"}, expect(200)),
    "methodology:agency_results": ("get", lambda w: {"agency_id": w.sao1.pk}, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "methodology:calculator": ("get", lambda w: {}, expect(200)),
    "evidence:home": ("get", lambda w: {}, expect(REDIRECT)),
    "evidence:workspace": ("get", _oit_agency, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "evidence:item": ("get", lambda w: _oit_agency(w, code="o1"), only(SEE_SAO1, **NOT_SEE_SAO1)),
    "evidence:withdraw": ("post", lambda w: _oit_agency(w, code="o1"),
                          only(["secretariat", "admin_a", "exec_a", "superuser"], ok=REDIRECT, **NOT_SEE_SAO1)),
    "evidence:review": ("get", lambda w: _oit_agency(w, code="o1"),
                        only(["nacc_officer", "local_officer", "admin_officer", "reviewer"], **NOT_SEE_SAO1)),
    "evidence:approve": ("get", _oit_agency, only(["exec_a"], **NOT_SEE_SAO1)),
    "evidence:submit": ("post", _oit_agency,
                        only(["secretariat", "admin_a", "exec_a", "superuser"], ok=REDIRECT, **NOT_SEE_SAO1)),
    "evidence:export_xlsx": ("get", _oit_agency, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "evidence:print": ("get", _oit_agency, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "evidence:snapshot": ("get", _snapshot, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "evidence:snapshot_file": ("get", _snapshot, only(SEE_SAO1, ok=404, **NOT_SEE_SAO1)),  # nothing stored: 404
    "evidence:check_agency": ("post", _oit_agency, only(SEE_SAO1, ok=REDIRECT, **NOT_SEE_SAO1)),
    "evidence:check_office": ("post", lambda w: {"round_id": _oit(w), "office_id": w.local.pk},
                              only(["secretariat", "local_officer", "superuser"], ok=REDIRECT)),
    "evidence:check_province": ("post", lambda w: {"round_id": _oit(w)},
                                only(["secretariat", "superuser"], ok=REDIRECT)),
    "evidence:job": ("get", _job, only(SEE_SAO1, **NOT_SEE_SAO1)),
    "evidence:queue": ("get", lambda w: {"round_id": _oit(w), "office_id": w.local.pk},
                       only(["secretariat", "local_officer", "superuser"])),
    "evidence:queues": ("get", lambda w: {"round_id": _oit(w)}, only(["secretariat", "superuser"])),
    "evidence:examples": ("get", lambda w: {"round_id": _oit(w), "office_id": w.local.pk},
                          only(["secretariat", "local_officer", "superuser"])),
    "evidence:example_delete": ("post", _spare_example, only(["secretariat", "local_officer", "superuser"],
                                                             ok=REDIRECT)),
    "accounts:login": ("get", lambda w: {}, expect(REDIRECT, anonymous=200)),
    "accounts:logout": ("post", lambda w: {}, expect(LOGIN)),
    "accounts:password_reset": ("get", lambda w: {}, expect(200, anonymous=200)),
    "accounts:password_reset_done": ("get", lambda w: {}, expect(200, anonymous=200)),
    "accounts:password_reset_confirm": ("get", lambda w: {"uidb64": "MQ", "token": "bad-token"},
                                        expect(200, anonymous=200)),
    "accounts:password_reset_complete": ("get", lambda w: {}, expect(200, anonymous=200)),
    "accounts:password_change": ("get", lambda w: {}, expect(200)),
    "set_language": ("post", lambda w: {}, expect(REDIRECT, anonymous=REDIRECT)),
}
# The newer domains keep their rules beside their tests.
RULES.update(SURVEY_RULES)
RULES.update(QUESTIONNAIRE_RULES)
RULES.update(DOCUMENT_RULES)
RULES.update(COMMITTEE_RULES)
RULES.update(REPORT_RULES)
RULES.update(PROJECT_RULES)
RULES.update(REGISTRY_RULES)
RULES.update(ACCOUNT_RULES)
RULES.update(ROUND_RULES)
RULES.update(CORE_RULES)
RULES.update(CALENDAR_RULES)
RULES.update(API_RULES)
RULES.update(NOTIFICATION_RULES)


def _names(resolver: URLResolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue
            yield from _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_url_has_a_rule():
    names = set(_names(get_resolver()))
    missing = names - set(RULES)
    assert not missing, f"URL patterns without a permission rule: {sorted(missing)}"
    assert not set(RULES) - names, "rules for URLs that no longer exist"


def _outcome(response):
    if response.status_code == 302:
        return LOGIN if "/accounts/login/" in response["Location"] or "/admin/login/" in response["Location"] \
            else REDIRECT
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
def test_permission_matrix(name, world, client):
    method, kwargs, expected = RULES[name]
    failures = []
    for who in CAST:
        url = reverse(name, kwargs=kwargs(world))
        client.logout()
        if who != "anonymous":
            client.force_login(getattr(world, who))
        if is_api(name):  # /api/v1/: a personal token per user, JSON bodies (tests/api/permission_rules.py)
            response = api_call(client, name, method, url, world, who)
        else:
            response = getattr(client, method)(url, {"status": "done", f"m{world.m1.pk}-status": "done"})
        got = _outcome(response)
        if got != expected[who]:
            failures.append(f"{who}: expected {expected[who]}, got {got}")
    assert not failures, f"{name} {url}\n" + "\n".join(failures)


def test_public_dashboard_when_switched_on(world, client):
    world.round.public_dashboard = True
    world.round.save()
    url = reverse("public_dashboard", kwargs={"round_id": world.round.pk})
    assert client.get(url).status_code == 200
    client.force_login(world.admin_b)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", CAST)
def test_django_admin_is_for_superusers_only(who, world, client):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    response = client.get("/admin/")
    if who == "superuser":
        assert response.status_code == 200
    else:
        assert _outcome(response) == LOGIN


def test_every_admin_page_opens_for_a_superuser(world, client):
    from django.contrib import admin

    client.force_login(world.superuser)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
