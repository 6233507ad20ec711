"""The OIT item family's reads built once per process (core.compiled, docs/benchmarks.md "The OIT item family's
pages"): each sends the very statement the ORM would and gives the rows the ORM's ``values_list`` gives, for any
values (ids that coincide, lists of any length); and the item page built from them is the page the ORM-built
reads made — the same log, decisions, findings, snapshots and person, item by item."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itadesk.accounts.models import Membership
from itadesk.core.compiled import Compiled, attnames
from itadesk.cycles.models import Milestone
from itadesk.evidence import reads, selectors, services
from itadesk.evidence.models import CheckJob, ElementDecision, EvidenceEvent, EvidenceItem, Finding, Snapshot
from tests.evidence.oit_world import FakeFetched, decide_all, fill, setup_oit, to_submitted


@pytest.fixture
def w(world):
    setup_oit(world)
    to_submitted(world, ("o1", "o3"))
    o1 = EvidenceItem.objects.get(agency=world.sao1, item_code="o1")
    for n, body in enumerate([b"<p>one</p>", b"<p>two</p>"]):  # two checks: the newest one's findings are shown
        services.record_check(o1, o1.urls[0], FakeFetched(final_url=o1.urls[0], body=body), [
            {"code": f"a{n}", "passed": False, "severity": "error", "message_th": f"ไม่พบ {n}", "message_en": "no",
             "detail": {"element": "o1.1"}},
            {"code": f"b{n}", "passed": True, "severity": "info", "message_th": f"พบ {n}", "message_en": "yes"}])
    o3 = EvidenceItem.objects.get(agency=world.sao1, item_code="o3")
    services.review_item(actor=world.reviewer, item=o3, decisions=decide_all(o3), outcome=services.Outcome.RETURN,
                         comment="แก้ด้วย")
    services.review_item(actor=world.reviewer, item=o1, decisions={"o1.1": ("not_met", "ขาด")}, outcome=None)
    fill(world, "o2", urls=("https://kaewmethee.go.th/a", "https://kaewmethee.go.th/b"))
    return world


DECISION_CODE = reads.DECISION_COLUMNS.index("element_code")


def _same(compiled: Compiled, model, **values):
    """Rows and statements of ``compiled`` against the ORM's own, for ``values``."""
    with CaptureQueriesContext(connection) as orm:
        expected = [tuple(r) for r in compiled.build(**values)]
    with CaptureQueriesContext(connection) as ours:
        got = compiled.rows(model=model, **values)
    assert got == expected
    assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in orm.captured_queries]
    return got


def test_every_read_is_the_orms_statement_and_rows(w):
    items = list(EvidenceItem.objects.filter(agency=w.sao1).order_by("item_code"))
    assert len(items) == 3
    for item in items:
        assert len(_same(reads.ONE_ITEM, EvidenceItem, round_id=w.round.pk, agency_id=w.sao1.pk,
                         code=item.item_code)) == 1
        _same(reads.LOG, EvidenceEvent, item_id=item.pk)
        _same(reads.DECISIONS, ElementDecision, item_id=item.pk)
        _same(reads.FINDING_SNAPSHOTS, Finding, item_ids=[item.pk])
        _same(reads.SNAPSHOTS, Snapshot, item_id=item.pk)
    assert _same(reads.LOG, EvidenceEvent, item_id=items[0].pk)  # o1 has a log
    assert _same(reads.AGENCY_ITEMS, EvidenceItem, round_id=w.round.pk, agency_id=w.sao1.pk)
    snapshots = sorted(Snapshot.objects.values_list("pk", flat=True))
    for n in range(1, len(snapshots) + 1):  # one statement per length of the list, each right
        assert len(_same(reads.FINDINGS, Finding, snapshot_ids=snapshots[:n])) == Finding.objects.filter(
            snapshot_id__in=snapshots[:n]).count()
        _same(reads.FINDING_SNAPSHOTS, Finding, item_ids=[i.pk for i in items][: n % 3 + 1])
    assert _same(reads.ONE_ITEM, EvidenceItem, round_id=w.round.pk, agency_id=w.sao1.pk, code="zz") == []
    # the review POST's and the mails' reads
    o1 = items[0]
    assert [r[DECISION_CODE] for r in _same(reads.ITEM_DECISIONS, ElementDecision, item_id=o1.pk)] == ["o1.1"]
    assert [d.element_code for d in reads.item_decisions(o1.pk)] == ["o1.1"]
    [milestone] = _same(reads.MILESTONE, Milestone, round_id=w.round.pk, code=selectors.OIT_MILESTONE)
    assert selectors.read_oit_milestone(w.round).pk == milestone[0] == Milestone.objects.get(
        round=w.round, code=selectors.OIT_MILESTONE).pk
    assert _same(reads.LAST_JOB, CheckJob, round_id=w.round.pk, agency_id=w.sao1.pk) == []
    assert reads.last_job(w.round.pk, w.sao1.pk) is None
    jobs = [CheckJob.objects.create(round=w.round, agency=w.sao1, scope=CheckJob.Scope.AGENCY) for _ in range(3)]
    [newest] = _same(reads.LAST_JOB, CheckJob, round_id=w.round.pk, agency_id=w.sao1.pk)
    assert newest[0] == jobs[-1].pk == CheckJob.objects.filter(round=w.round, agency=w.sao1).first().pk
    assert reads.last_job(w.round.pk, w.sao1.pk).created_at == jobs[-1].created_at
    admins = _same(reads.AGENCY_ADMINS, Membership, agency_id=w.sao1.pk)
    assert [u.pk for u in reads.agency_admins(w.sao1.pk)] == [r[0] for r in admins] == [w.admin_a.pk]


def test_the_locked_item_of_a_change_is_the_orms_statement_and_rows(w):
    """The item POST's and review POST's read (``services.LOCKED_ITEM``): the ORM's statement and rows, locking the
    row on PostgreSQL; ``_locked_item`` gives the instance the ORM would, with whether the agency takes part."""
    for code in ("o1", "o2", "zz"):
        rows = _same(services.LOCKED_ITEM, EvidenceItem, round_id=w.round.pk, agency_id=w.sao1.pk, code=code)
        assert len(rows) == (code != "zz") and all(row[-1] is True for row in rows)
    with CaptureQueriesContext(connection) as ctx:
        [item] = services._locked_item(w.round, w.sao1, "o1")
    assert ("FOR UPDATE" in ctx.captured_queries[0]["sql"]) == (connection.vendor == "postgresql")
    orm = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    assert [getattr(item, c) for c in reads.ITEM_COLUMNS] == [getattr(orm, c) for c in reads.ITEM_COLUMNS]
    assert item.participates is True and item.round is w.round and item.agency is w.sao1
    w.round.participations.filter(agency=w.sao1).delete()
    assert services._locked_item(w.round, w.sao1, "o1")[0].participates is False


def test_values_that_coincide_go_where_they_belong(w):
    """The stand-ins are distinct whatever the values: a round and an agency with the same id, a list holding one
    id twice, still fill each parameter with its own value."""
    reads = Compiled(lambda round_id, agency_id, ids: (
        EvidenceItem.objects.filter(round_id=round_id, agency_id=agency_id, pk__in=ids).order_by("pk")
        .values_list("pk", "round_id", "agency_id")))
    item = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    assert reads.rows(model=EvidenceItem, round_id=item.round_id, agency_id=item.agency_id,
                      ids=[item.pk, item.pk]) == [(item.pk, item.round_id, item.agency_id)]
    assert reads.rows(model=EvidenceItem, round_id=item.agency_id, agency_id=item.round_id, ids=[item.pk]) == (
        [(item.pk, item.round_id, item.agency_id)] if item.agency_id == item.round_id else [])


def test_a_value_that_is_no_parameter_is_refused(w):
    ignored = Compiled(lambda item_id: EvidenceItem.objects.order_by().values_list("pk"))
    with pytest.raises(ValueError, match="not every value"):
        ignored.rows(model=EvidenceItem, item_id=1)


def test_converted_columns_come_back_as_the_orm_gives_them(w):
    """Dates, JSON and booleans go through the columns' converters (SQLite gives text and integers)."""
    item = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    row = reads.ONE_ITEM.rows(model=EvidenceItem, round_id=w.round.pk, agency_id=w.sao1.pk, code="o1")[0]
    names = attnames(EvidenceItem)
    assert row[names.index("urls")] == item.urls and isinstance(item.urls, list)
    assert row[names.index("updated_at")] == item.updated_at
    finding = Finding.objects.order_by("id").first()
    got = reads.FINDINGS.rows(model=Finding, snapshot_ids=[finding.snapshot_id])[0]
    assert got[attnames(Finding).index("passed")] is finding.passed


def _orm_latest_findings(items):
    """The latest findings as the ORM read them before ``reads.latest_findings``."""
    wanted = {(i.pk, u) for i in items for u in i.urls}
    if not wanted:
        return {}
    latest = {}
    for item_id, url, snap_id in (Finding.objects.filter(item__in=items).order_by("-created_at", "-snapshot_id")
                                  .values_list("item_id", "url", "snapshot_id")):
        latest.setdefault((item_id, url), snap_id)
    keep = {snap for key, snap in latest.items() if key in wanted and snap is not None}
    result = defaultdict(list)
    for f in Finding.objects.filter(snapshot_id__in=keep).order_by("id") if keep else []:
        result[(f.item_id, f.url)].append(f)
    return result


def _orm_page(round, agency, code):
    """The item page's data as the ORM-built reads gave it before (``item_page`` of the previous version)."""
    items = {i.item_code: i for i in EvidenceItem.objects.filter(round=round, agency=agency, item_code=code)
             .select_related("updated_by")}
    item = items.get(code)
    log = list(selectors.history(item)) if item else []
    snapshots = list(item.snapshots.defer("text").order_by("-taken_at", "-id")[:30]) if item else []
    decisions = {}
    if item:
        decisions = {d.element_code: d for d in ElementDecision.objects.filter(item=item).select_related("reviewer")}
    return item, log, snapshots, decisions, _orm_latest_findings([item] if item else [])


def _fields(obj):
    return None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
                                     if f.attname not in obj.get_deferred_fields()}


@pytest.mark.parametrize("code", ["o1", "o2", "o3", "o4"])
def test_the_item_page_reads_what_the_orm_read(w, code):
    page = selectors.item_page(w.round, w.sao1, code)
    item, log, snapshots, decisions, findings = _orm_page(w.round, w.sao1, code)
    row = page.row
    assert row.saved == (item is not None)
    if item is not None:
        assert _fields(row.item) == _fields(item)
        assert _fields(row.item.updated_by) == _fields(item.updated_by)
    assert [_fields(e) for e in page.history] == [_fields(e) for e in log]
    assert [_fields(s) for s in page.snapshots] == [_fields(s) for s in snapshots]
    assert all(s.get_deferred_fields() == {"text"} for s in page.snapshots)
    shown = {el.code: el.decision for el in row.elements}
    for element, decided in shown.items():
        assert _fields(decided) == _fields(decisions.get(element))
        if decided is not None:
            assert _fields(decided.reviewer) == _fields(decisions[element].reviewer)
    expected = sorted(f.pk for url in (item.urls if item else []) for f in findings.get((item.pk, url), []))
    assert sorted(f.pk for f in row.all_findings) == expected
    if code == "o1":  # the case that matters: the newest check's findings, a decision with its reviewer, a log
        assert expected and page.history and any(shown.values())


@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_the_change_that_locked_the_item():
    """Two people save the same item at once: the second save's read waits for the first's commit and then sees
    its revision (refused as a change over someone else's), never the row as it was before."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite's writers take the whole database)")
    import threading
    import time

    from django.db import transaction

    from tests.world import build_world

    w = build_world()
    setup_oit(w)
    first = fill(w, "o1", urls=("https://kaewmethee.go.th/v1",))
    outcome = {}

    def second():
        try:
            services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has",
                               urls=["https://kaewmethee.go.th/v3"], revision=first.revision)
            outcome["saved"] = True
        except services.TransitionRefused as exc:
            outcome["refused"] = str(exc)
        finally:
            outcome["at"] = time.monotonic()
            connection.close()

    with transaction.atomic():
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has",
                           urls=["https://kaewmethee.go.th/v2"], revision=first.revision)
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        assert not outcome, "the second save read the item while the first held its lock"
        committed = time.monotonic()
    thread.join(30)
    assert "refused" in outcome and outcome["at"] >= committed
    assert EvidenceItem.objects.get(agency=w.sao1, item_code="o1").urls == ["https://kaewmethee.go.th/v2"]
