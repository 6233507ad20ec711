"""The evidence workflow's writes with fewer statements (docs/benchmarks.md "The evidence workflow's writes"):
"approve and send" changes its items in one UPDATE and writes their log and audit in one INSERT each, bumping
the same data versions as approving then sending; the participation is read with the items the write locks,
and still refuses an agency that does not take part."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itadesk.core import versions
from itadesk.core.models import AuditEvent
from itadesk.cycles.models import Participation
from itadesk.evidence import services, snapshots
from itadesk.evidence.models import EvidenceEvent, EvidenceItem, State, approved_scope, review_scope
from tests.evidence.oit_world import setup_oit


@pytest.fixture
def w(world, monkeypatch):
    setup_oit(world)
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)
    return world


def _fill(w, codes, agency=None, actor=None):
    for code in codes:
        services.save_item(actor=actor or w.admin_a, round=w.round, agency=agency or w.sao1, item_code=code,
                           answer="has", urls=[f"https://kaewmethee.go.th/{code}"], explanation="เมนู")


def _scopes(w, agency):
    return [f"round:{w.round.pk}", f"agency:{agency.pk}", review_scope(w.round.pk), approved_scope(w.round.pk)]


def _moved(scopes, write, django_capture_on_commit_callbacks) -> set[str]:
    """The data versions among ``scopes`` that ``write`` (committed, its callbacks run) gives a new version."""
    before = versions.versions(*scopes)
    with django_capture_on_commit_callbacks(execute=True):
        write()
    after = versions.versions(*scopes)
    return {s for s in scopes if after[s] != before[s]}


@pytest.mark.parametrize("earlier", [False, True])
def test_approving_and_sending_at_once_bumps_what_both_steps_bump(w, django_capture_on_commit_callbacks, earlier):
    """The approved items go straight from draft to sent in one UPDATE: the versions bumped are those of the
    approval (round, agency, approved) and of the sending (round, agency, review), whether or not an item approved
    earlier goes with them; another agency's are left alone."""
    _fill(w, ["o1", "o2"])
    if earlier:
        services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o2"])
    other = f"agency:{w.sao2.pk}"
    moved = _moved(_scopes(w, w.sao1) + [other], lambda: services.approve_and_submit(
        actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"]), django_capture_on_commit_callbacks)
    assert moved == set(_scopes(w, w.sao1))
    assert dict(EvidenceItem.objects.filter(agency=w.sao1).values_list("item_code", "state")) == {
        "o1": State.SUBMITTED, "o2": State.SUBMITTED if earlier else State.DRAFT}


def test_approving_and_sending_writes_each_table_once(w):
    """One UPDATE of the items, one INSERT of their log (the approvals before the sendings, as two steps wrote
    them), one of their audit records, whatever the number of items."""
    _fill(w, ["o1", "o2", "o3"])
    with CaptureQueriesContext(connection) as ctx:
        approved, sent = services.approve_and_submit(actor=w.exec_a, round=w.round, agency=w.sao1,
                                                     items=["o3", "o1", "o2"], comment="ครบ")
    sql = [q["sql"] for q in ctx.captured_queries]
    table = EvidenceItem._meta.db_table
    assert len([s for s in sql if s.startswith(f'UPDATE "{table}"')]) == 1
    assert len([s for s in sql if s.startswith(f'INSERT INTO "{EvidenceEvent._meta.db_table}"')]) == 1
    assert len([s for s in sql if s.startswith(f'INSERT INTO "{AuditEvent._meta.db_table}"')]) == 1
    assert not [s for s in sql if "cycles_participation" in s and not s.startswith("SELECT")]
    log = list(EvidenceEvent.objects.filter(item__agency=w.sao1, action__in=["approve", "submit"]).order_by("pk")
               .values_list("item__item_code", "action", "from_state", "to_state", "comment"))
    assert log == [("o3", "approve", "draft", "approved_by_executive", "ครบ"),
                   ("o1", "approve", "draft", "approved_by_executive", "ครบ"),
                   ("o2", "approve", "draft", "approved_by_executive", "ครบ"),
                   ("o1", "submit", "approved_by_executive", "submitted", "ครบ"),
                   ("o2", "submit", "approved_by_executive", "submitted", "ครบ"),
                   ("o3", "submit", "approved_by_executive", "submitted", "ครบ")]
    audits = list(AuditEvent.objects.filter(action__in=["evidence.approve", "evidence.submit"]).order_by("pk")
                  .values_list("action", "before__state", "after__state"))
    assert audits == [("evidence.approve", "draft", "approved_by_executive")] * 3 + [
        ("evidence.submit", "approved_by_executive", "submitted")] * 3
    assert all(i.submitted_at is not None for i in EvidenceItem.objects.filter(agency=w.sao1))


def test_an_agency_that_no_longer_takes_part_is_refused_with_its_items(w):
    """The participation is read with the locked items: an agency whose participation was removed after it saved
    its items is refused by the form and by "approve and send", and nothing is written."""
    _fill(w, ["o1"])
    Participation.objects.filter(round=w.round, agency=w.sao1).delete()
    events = EvidenceEvent.objects.count()
    with pytest.raises(ValidationError, match="does not take part"):
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has",
                           urls=["https://kaewmethee.go.th/changed"])
    with pytest.raises(ValidationError, match="does not take part"):  # a new item: the participation read alone
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o3", answer="has",
                           urls=["https://kaewmethee.go.th/o3"])
    for items, ready_only in ((["o1"], False), (None, True), (["o9"], True)):
        with pytest.raises(ValidationError, match="does not take part"):
            services.approve_and_submit(actor=w.exec_a, round=w.round, agency=w.sao1, items=items,
                                        ready_only=ready_only)
    assert EvidenceEvent.objects.count() == events
    assert list(EvidenceItem.objects.filter(agency=w.sao1).values_list("item_code", "state", "urls")) == [
        ("o1", State.DRAFT, ["https://kaewmethee.go.th/o1"])]


def test_the_form_reads_the_participation_with_the_item(w):
    """Saving an item already saved: the participation and the locked row in one query (then the write, its log
    and its audit)."""
    _fill(w, ["o1"])
    with CaptureQueriesContext(connection) as ctx:
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has",
                           urls=["https://kaewmethee.go.th/o1/v2"])
    sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
           and '"methodology_' not in q["sql"]]  # the framework's hash: a request's round has it
    assert len(sql) == 4, " | ".join(s[:60] for s in sql)
    assert "cycles_participation" in sql[0] and sql[0].startswith("SELECT")
