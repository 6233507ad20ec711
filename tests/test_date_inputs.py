"""No browser-native date field anywhere: every page of the permission matrix is opened by every user
allowed to open it, and every ``<input>`` is read. A ``type`` of date, datetime-local, month, week or time
fails (the browser would show mm/dd/yyyy and Christian-era years); the Thai date boxes
(``data-thai-date``) must be seen on the pages that have date fields, so the walk cannot pass by seeing
no form at all."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.db.models import Model
from django.urls import reverse

from tests.permission_kit import CAST
from tests.test_permissions import RULES

# Which input widgets a page has comes from its forms and templates, not from the database: run once.
pytestmark = pytest.mark.one_database

NATIVE = {"date", "datetime-local", "month", "week", "time"}

# (URL name, input name) of date boxes the walk must meet: one at least in each app with a date field.
MUST_SEE = {
    ("milestone_new", "opens_at"), ("milestone_new", "deadline"), ("milestone_edit", "deadline"),
    ("committee:meeting_new", "date"), ("committee:meeting_edit", "date"),
    ("committee:meeting_new", "scheduled_time"),
    ("committee:action_new", "due_date"), ("committee:action_edit", "due_date"),
    ("committee:problem_new", "since"), ("committee:problem_edit", "since"),
    ("documents:letter_new", "date"), ("documents:letter_edit", "date"),
    ("projects:spending_new", "date"), ("projects:event_new", "date"), ("projects:event_new", "start_time"),
    ("projects:event_edit", "date"),
    ("questionnaires:detail", "opens_at"), ("questionnaires:detail", "closes_at"),
    ("surveys:agency", "on_date"),
    ("reports:list", "cut_off"),
}


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append({k: (v or "") for k, v in attrs})


def _inputs(html: str) -> list[dict]:
    parser = _Inputs()
    parser.feed(html)
    return parser.inputs


def _walk(world, client, name, kwargs, expected, native, seen) -> int:
    pages = 0
    for who in CAST:
        if expected[who] != 200:
            continue
        client.logout()
        if who != "anonymous":
            client.force_login(getattr(world, who))
        response = client.get(reverse(name, kwargs=kwargs(world)))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        for attrs in _inputs(response.content.decode()):
            kind = attrs.get("type", "text").lower()
            if kind in NATIVE:
                native.append(f"{name} as {who}: <input type={kind} name={attrs.get('name')}>")
            if attrs.get("data-thai-date"):
                seen.add((name, attrs.get("name")))
    return pages


def test_no_page_of_any_role_has_a_native_date_field(world, client):
    native, seen, pages = [], set(), 0
    for name, (method, kwargs, expected) in sorted(RULES.items()):
        if method != "get":
            continue
        # each URL sees the world as built: what one rule's set-up makes does not leak into the next page
        with transaction.atomic():
            pages += _walk(world, client, name, kwargs, expected, native, seen)
            transaction.set_rollback(True)
        for value in vars(world).values():
            if isinstance(value, Model):
                value.refresh_from_db()
    assert not native, "browser-native date fields:\n" + "\n".join(sorted(set(native)))
    assert pages > 100
    missing = MUST_SEE - seen
    assert not missing, f"the walk did not meet these Thai date boxes: {sorted(missing)}"
