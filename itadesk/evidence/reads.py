"""The reads of the OIT item family's pages (the item and review pages, the approval page) that are the same on
every request but for their values: one item with who saved it last, its log, its element decisions, its newest
snapshots, the latest findings of some items, an agency's items. Each is the queryset in its ``Compiled``, built
by the ORM once per process and database (``core.compiled``) and turned into model instances as the ORM would.
``evidence.selectors`` builds the pages' rows from them."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model

from itadesk.accounts.models import Membership, Role
from itadesk.core.compiled import Compiled, attnames, instances
from itadesk.cycles.models import Milestone
from itadesk.evidence.models import CheckJob, ElementDecision, EvidenceEvent, EvidenceItem, Finding, Snapshot


def _users() -> list[str]:
    return attnames(get_user_model())


ITEM_COLUMNS = attnames(EvidenceItem)
EVENT_COLUMNS = attnames(EvidenceEvent)
DECISION_COLUMNS = attnames(ElementDecision)
FINDING_COLUMNS = attnames(Finding)
SNAPSHOT_COLUMNS = attnames(Snapshot, exclude=("text",))  # the pages never show the extracted text
SNAPSHOTS_SHOWN = 30
JOB_COLUMNS = attnames(CheckJob)

# the item with who saved it last (the page names them); one row: no ordering
ONE_ITEM = Compiled(lambda round_id, agency_id, code: (
    EvidenceItem.objects.filter(round_id=round_id, agency_id=agency_id, item_code=code).order_by()
    .values_list(*ITEM_COLUMNS, *(f"updated_by__{c}" for c in _users()))))
# an agency's items, into a dict: no ordering
AGENCY_ITEMS = Compiled(lambda round_id, agency_id: (
    EvidenceItem.objects.filter(round_id=round_id, agency_id=agency_id).order_by().values_list(*ITEM_COLUMNS)))
# an item's log, newest first (``selectors.history``)
LOG = Compiled(lambda item_id: (
    EvidenceEvent.objects.filter(item_id=item_id).order_by("-at", "-id").values_list(*EVENT_COLUMNS)))
# an item's element decisions with their reviewers, into a dict: no ordering
DECISIONS = Compiled(lambda item_id: (
    ElementDecision.objects.filter(item_id=item_id).order_by()
    .values_list(*DECISION_COLUMNS, *(f"reviewer__{c}" for c in _users()))))
# an item's element decisions in their codes' order, without the reviewers (the review POST changes them)
ITEM_DECISIONS = Compiled(lambda item_id: (
    ElementDecision.objects.filter(item_id=item_id).order_by("element_code").values_list(*DECISION_COLUMNS)))
# an agency's newest check job (the workspace shows it), by the model's ordering
LAST_JOB = Compiled(lambda round_id, agency_id: (
    CheckJob.objects.filter(round_id=round_id, agency_id=agency_id).order_by("-created_at", "-id")
    .values_list(*JOB_COLUMNS)[:1]))
# a round's milestone by its code: one per round and code (milestone_code_unique), so no need of the model's
# ordering, which joins the round and its province (every review and submission reads it for its mail)
MILESTONE_COLUMNS = attnames(Milestone)
MILESTONE = Compiled(lambda round_id, code: (
    Milestone.objects.filter(round_id=round_id, code=code).order_by("pk").values_list(*MILESTONE_COLUMNS)[:1]))
# an agency's active admins, who get its reviewed items' mails
AGENCY_ADMINS = Compiled(lambda agency_id: (
    Membership.objects.filter(agency_id=agency_id, role=Role.AGENCY_ADMIN, user__is_active=True).order_by("user_id")
    .values_list(*(f"user__{c}" for c in _users()))))
# which snapshot is the newest with findings for each item and URL, then its findings
FINDING_SNAPSHOTS = Compiled(lambda item_ids: (
    Finding.objects.filter(item_id__in=item_ids).order_by("-created_at", "-snapshot_id")
    .values_list("item_id", "url", "snapshot_id")))
FINDINGS = Compiled(lambda snapshot_ids: (
    Finding.objects.filter(snapshot_id__in=snapshot_ids).order_by("id").values_list(*FINDING_COLUMNS)))
# an item's newest snapshots, without their text
SNAPSHOTS = Compiled(lambda item_id: (
    Snapshot.objects.filter(item_id=item_id).order_by("-taken_at", "-id")
    .values_list(*SNAPSHOT_COLUMNS)[:SNAPSHOTS_SHOWN]))


def _with_user(model, columns: list[str], rows, relation: str) -> list:
    """Instances of ``model`` from rows of its ``columns`` followed by a person's (``relation``, a nullable
    foreign key to the user, as ``select_related`` would have read it: None without one)."""
    users, user_model = _users(), get_user_model()
    found = []
    for obj, row in zip(instances(model, columns, rows), rows, strict=True):
        person = row[len(columns):]
        user = instances(user_model, users, [person])[0] if person[0] is not None else None
        model._meta.get_field(relation).set_cached_value(obj, user)
        found.append(obj)
    return found


def one_item(round_id: int, agency_id: int, code: str) -> EvidenceItem | None:
    """The agency's item ``code`` in the round, with ``updated_by`` read (None: not saved yet)."""
    found = _with_user(EvidenceItem, ITEM_COLUMNS, ONE_ITEM.rows(
        model=EvidenceItem, round_id=round_id, agency_id=agency_id, code=code), "updated_by")
    return found[0] if found else None


def agency_items(round_id: int, agency_id: int) -> list[EvidenceItem]:
    return instances(EvidenceItem, ITEM_COLUMNS, AGENCY_ITEMS.rows(model=EvidenceItem, round_id=round_id,
                                                                   agency_id=agency_id))


def log(item: EvidenceItem) -> list[EvidenceEvent]:
    """The item's log, newest first."""
    return instances(EvidenceEvent, EVENT_COLUMNS, LOG.rows(model=EvidenceEvent, item_id=item.pk))


def decisions(item: EvidenceItem) -> dict[str, ElementDecision]:
    """Element code -> the reviewers' decision on it, with the reviewer read."""
    return {d.element_code: d for d in _with_user(
        ElementDecision, DECISION_COLUMNS, DECISIONS.rows(model=ElementDecision, item_id=item.pk), "reviewer")}


def snapshots(item: EvidenceItem) -> list[Snapshot]:
    """The item's newest ``SNAPSHOTS_SHOWN`` snapshots, newest first, their text deferred."""
    return instances(Snapshot, SNAPSHOT_COLUMNS, SNAPSHOTS.rows(model=Snapshot, item_id=item.pk))


def latest_findings(items: list[EvidenceItem]) -> dict[tuple[int, str], list[Finding]]:
    """(item id, url) -> the findings of the newest snapshot that has findings, for the items' current URLs (no
    read for items without a URL: not started, "has not"). The item page, the review page and the workspace."""
    with_urls = [i for i in items if i.urls]
    if not with_urls:
        return {}
    latest: dict[tuple[int, str], int | None] = {}
    for item_id, url, snap_id in FINDING_SNAPSHOTS.rows(model=Finding, item_ids=[i.pk for i in with_urls]):
        latest.setdefault((item_id, url), snap_id)
    wanted = {(i.pk, u) for i in with_urls for u in i.urls}
    keep = sorted({snap for key, snap in latest.items() if key in wanted and snap is not None})
    result = defaultdict(list)
    if keep:
        for f in instances(Finding, FINDING_COLUMNS, FINDINGS.rows(model=Finding, snapshot_ids=keep)):
            result[(f.item_id, f.url)].append(f)
    return result


def item_decisions(item_id: int) -> list[ElementDecision]:
    """The item's element decisions in their codes' order (the reviewers not read)."""
    return instances(ElementDecision, DECISION_COLUMNS, ITEM_DECISIONS.rows(model=ElementDecision, item_id=item_id))


def _first(model, columns: list[str], compiled: Compiled, **values):
    """The first instance of ``model`` that ``compiled`` reads for ``values``, or None."""
    found = instances(model, columns, compiled.rows(model=model, **values))
    return found[0] if found else None


def last_job(round_id: int, agency_id: int) -> CheckJob | None:
    """The agency's newest check job in the round (None: never checked)."""
    return _first(CheckJob, JOB_COLUMNS, LAST_JOB, round_id=round_id, agency_id=agency_id)


def milestone(round_id: int, code: str) -> Milestone | None:
    """The round's milestone ``code``, read from the database (None: the round has none)."""
    return _first(Milestone, MILESTONE_COLUMNS, MILESTONE, round_id=round_id, code=code)


def agency_admins(agency_id: int) -> list:
    """The agency's active admins (users), by id."""
    return instances(get_user_model(), _users(), AGENCY_ADMINS.rows(model=Membership, agency_id=agency_id))
