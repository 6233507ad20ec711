"""Permission rules of the projects URLs (merged into tests/test_permissions.py RULES).

The secretariat (and superusers) manage projects, budgets, events and invitations and register anyone;
officers and reviewers of the province's offices read projects and events and check people in; the
admin of an invited agency (admin_a, sao1) sees that event, registers its people and prints their
tickets; the executive and agencies not invited see nothing (403 on the lists, 404 on an event)."""

from tests.permission_kit import CAST, LOGIN, NOT_SEE_SAO1, OFFICERS, REDIRECT, SEE_SAO1, expect, only  # noqa: F401

READERS = ["secretariat", "superuser", *OFFICERS, "reviewer"]
KEEPERS = ["secretariat", "superuser"]
NO_EVENT = {"admin_b": 404, "exec_a": 404}  # not an admin of an invited agency: the event does not exist for them
NO_PROJECT = {"admin_a": 404, "admin_b": 404, "exec_a": 404}


def _project(w, **extra):
    from tests.projects.pworld import make

    return {"project_id": make(w).pk, **extra}


def _event(w, **extra):
    from tests.projects.pworld import event

    return {"event_id": event(w).pk, **extra}


def _line(w):
    from tests.projects.pworld import make

    return _project(w, line_id=make(w).lines.first().pk)


def _spare_line(w):
    from itadesk.projects.models import BudgetLine
    from tests.projects.pworld import make

    line = BudgetLine.objects.create(project=make(w), name="สำรอง", amount=1)
    return _project(w, line_id=line.pk)


def _spending(w):
    from itadesk.projects.models import Spending
    from tests.projects.pworld import make

    line = make(w).lines.first()
    spending = Spending.objects.filter(line=line).first() or Spending.objects.create(
        line=line, date="2025-01-22", amount=10)
    return _project(w, spending_id=spending.pk)


def _session(w):
    from tests.projects.pworld import event

    return _event(w, session_id=event(w).sessions.first().pk)


def _spare_session(w):
    from itadesk.projects.models import Session
    from tests.projects.pworld import event

    session = Session.objects.create(event=event(w), order=9, topic="สำรอง")
    return _event(w, session_id=session.pk)


def _invitation(w):
    from tests.projects.pworld import event

    return _event(w, invitation_id=event(w).invitations.get(agency=w.sao1).pk)


def _spare_invitation(w):
    from itadesk.projects.models import Invitation
    from tests.projects.pworld import event

    inv = Invitation.objects.filter(event=event(w), agency=w.provincial).first() or Invitation.objects.create(
        event=event(w), agency=w.provincial, quota=1)
    return _event(w, invitation_id=inv.pk)


def _spare_registration(w):
    from itadesk.projects.models import Registration
    from tests.projects.pworld import event

    reg = Registration.objects.create(event=event(w), agency=w.sao1, name=f"คนที่ {Registration.objects.count()}")
    return _event(w, registration_id=reg.pk)


def _registration(w):
    from tests.projects.pworld import event

    return _event(w, registration_id=event(w).registrations.first().pk)


def _token(w):
    from tests.projects.pworld import event

    return {"token": event(w).registrations.first().token}


RULES = {
    "projects:list": ("get", lambda w: {}, only([*READERS, "admin_a", "admin_b"])),
    "projects:project_new": ("get", lambda w: {}, only(KEEPERS)),
    "projects:project": ("get", _project, only(READERS, **NO_PROJECT)),
    "projects:project_pdf": ("get", _project, only(READERS, **NO_PROJECT)),
    "projects:project_edit": ("get", _project, only(KEEPERS, **NO_PROJECT)),
    "projects:line_new": ("get", _project, only(KEEPERS, **NO_PROJECT)),
    "projects:line_edit": ("get", _line, only(KEEPERS, **NO_PROJECT)),
    "projects:line_delete": ("post", _spare_line, only(KEEPERS, ok=REDIRECT, **NO_PROJECT)),
    "projects:spending_new": ("get", _project, only(KEEPERS, **NO_PROJECT)),
    "projects:receipt": ("get", _spending, only(READERS, ok=404, **NO_PROJECT)),  # no receipt stored: 404
    "projects:event_new": ("get", _project, only(KEEPERS, **NO_PROJECT)),
    "projects:event": ("get", _event, only([*READERS, "admin_a"], **NO_EVENT)),
    "projects:event_edit": ("get", _event, only(KEEPERS, **NO_EVENT)),
    "projects:session_new": ("get", _event, only(KEEPERS, **NO_EVENT)),
    "projects:session_edit": ("get", _session, only(KEEPERS, **NO_EVENT)),
    "projects:session_delete": ("post", _spare_session, only(KEEPERS, ok=REDIRECT, **NO_EVENT)),
    "projects:invite": ("get", _event, only(KEEPERS, **NO_EVENT)),
    "projects:quota": ("post", _invitation, only(KEEPERS, ok=REDIRECT, **NO_EVENT)),
    "projects:uninvite": ("post", _spare_invitation, only(KEEPERS, ok=REDIRECT, **NO_EVENT)),
    "projects:register": ("get", _event, only([*KEEPERS, "admin_a"], **NO_EVENT)),
    "projects:registration_cancel": ("post", _spare_registration,
                                     only([*KEEPERS, "admin_a"], ok=REDIRECT, **NO_EVENT)),
    "projects:tickets": ("get", _event, only([*READERS, "admin_a"], **NO_EVENT)),
    "projects:desk": ("get", _event, only(READERS, **NO_EVENT)),
    "projects:desk_checkin": ("post", _registration, only(READERS, ok=REDIRECT, **NO_EVENT)),
    "projects:checkin": ("get", _token, only(READERS)),
    "projects:attendance": ("get", _event, only(READERS, **NO_EVENT)),
    "projects:attendance_export": ("get", lambda w: _event(w, fmt="xlsx"), only(READERS, **NO_EVENT)),
    "projects:outcome": ("get", _event, only(READERS, ok=REDIRECT, **NO_EVENT)),  # not targeted: back to the event
}
