"""Writes of the OIT evidence app. Each function is one transaction; each workflow transition writes one
``EvidenceEvent`` and one audit event per item; e-mails and snapshots go out after the commit.

The two halves of the OIT work meet here: the pages call the workflow services, and the automatic
checker stores what it fetched and found with :func:`record_check`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone

from itadesk.core import audit, versions
from itadesk.core.compiled import Compiled, instances
from itadesk.core.models import AuditEvent
from itadesk.cycles.models import Participation, Round
from itadesk.evidence import jobs, notifications, reads, snapshots, workflow
from itadesk.evidence.models import (
    Answer,
    CheckJob,
    Decision,
    ElementDecision,
    EvidenceEvent,
    EvidenceItem,
    ItemExample,
    Snapshot,
    State,
    item_scopes,
    state_before_save,
)
from itadesk.evidence.reads import ITEM_COLUMNS
from itadesk.evidence.recording import (
    job_progress,
    record_check,  # noqa: F401 — re-exported: services.record_check
)
from itadesk.evidence.selectors import following_offices, oit_refs
from itadesk.evidence.workflow import Action, TransitionRefused
from itadesk.registry.models import Agency, SupervisingOffice

logger = logging.getLogger(__name__)

ITEM_FIELDS = ["answer", "urls", "explanation", "state", "revision"]
EXAMPLE_FIELDS = ["round_id", "office_id", "item_code", "text", "url"]
MAX_URLS = 20
MAX_URL_LENGTH = 2000


# ------------------------------------------------------------------------------------------ helpers


def oit_items(round: Round) -> list:
    """The OIT items (``schema.ItemRef``) of the round's framework, in ITAS order."""
    return oit_refs(round)


def _item_ref(round: Round, code: str):
    for ref in oit_items(round):
        if ref.item["code"] == code:
            return ref
    raise ValidationError(f"{round} ไม่มีข้อ OIT “{code}” ในเกณฑ์การประเมิน / the round's framework has no OIT "
                          f"item “{code}”")


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    return (actor.get_full_name() or actor.get_username())[:200]


def parse_urls(text_or_list: str | Iterable[str]) -> list[str]:
    """The URLs of a text box (one per line; several on one line separated by spaces) or a list:
    trimmed, each checked (http or https only), duplicates dropped, order kept. Raises ValidationError
    naming each line that is not a URL."""
    lines = text_or_list.splitlines() if isinstance(text_or_list, str) else [str(x) for x in text_or_list]
    validate = URLValidator(schemes=["http", "https"])
    urls, errors = [], []
    for line in lines:
        tokens = line.split()
        if not tokens:
            continue
        if len(tokens) > 1 and not all("://" in t for t in tokens):
            tokens = [line.strip()]  # words, not URLs: report the line as a whole
        for part in tokens:
            if len(part) > MAX_URL_LENGTH:
                errors.append(f"URL ยาวเกิน {MAX_URL_LENGTH} ตัวอักษร / longer than {MAX_URL_LENGTH} characters: "
                              f"{part[:60]}…")
                continue
            try:
                validate(part)
            except ValidationError:
                errors.append(f"“{part}” ไม่ใช่ URL ที่ขึ้นต้นด้วย http:// หรือ https:// / is not an http(s) URL")
                continue
            if part not in urls:
                urls.append(part)
    if len(urls) > MAX_URLS:
        errors.append(f"ใส่ URL ได้ไม่เกิน {MAX_URLS} รายการต่อข้อ / at most {MAX_URLS} URLs per item")
    if errors:
        raise ValidationError(errors)
    return urls


def _event(item: EvidenceItem, *, actor, role: str, action: str, from_state: str, comment: str = "",
           at=None) -> EvidenceEvent:
    return EvidenceEvent(item=item, actor=actor if getattr(actor, "pk", None) else None,
                         actor_label=_actor_label(actor), role=role, action=action, from_state=from_state,
                         to_state=item.state, comment=comment, at=at or timezone.now())


def _record(item: EvidenceItem, *, actor, role: str, action: str, before: dict | None, from_state: str,
            comment: str = "", at=None, extra_after: dict | None = None, extra_before: dict | None = None):
    """The item's event and its audit event (unsaved)."""
    event = _event(item, actor=actor, role=role, action=action, from_state=from_state, comment=comment, at=at)
    after = audit.snapshot(item, ITEM_FIELDS)
    if extra_after:
        after.update(extra_after)
    if extra_before and before is not None:
        before = {**before, **extra_before}
    note = workflow.action_label(action) + (f": {comment}" if comment else "")
    return event, audit.build(actor=actor, action=f"evidence.{action}", obj=item, before=before, after=after,
                              note=note)


def _save_records(records) -> None:
    scopes = {s for e, _a in records for s in (f"round:{e.item.round_id}", f"agency:{e.item.agency_id}")}
    with versions.attributed("evidence.EvidenceEvent", scopes):  # the cached pages of these items only
        EvidenceEvent.objects.bulk_create([e for e, _a in records])
    AuditEvent.objects.bulk_create([a for _e, a in records])


def _set_states(items: list[EvidenceItem], **values) -> None:
    """Write ``values`` (the same for every item: the new state, the time) to ``items`` in one UPDATE,
    bumping the data versions each item's own save would bump (``models.item_scopes``)."""
    scopes = {}
    for item in items:
        for name, value in values.items():
            setattr(item, name, value)
        state_before_save(EvidenceItem, item)
        scopes.update(dict.fromkeys(item_scopes(item)))
    with versions.attributed("evidence.EvidenceItem", list(scopes)):
        EvidenceItem.objects.filter(pk__in=[i.pk for i in items]).update(**values)


def _require_participant(round: Round, agency: Agency, locked=None) -> None:
    """Refuse an agency that does not take part in the round. ``locked``: rows of the agency's items read with
    :func:`_participates` or :func:`_locked_item` (the answer at hand, no query), or none (an empty list or None:
    the participation read)."""
    if agency.province_id == round.province_id:
        if locked:
            if locked[0].participates:
                return
        elif round.participations.filter(agency=agency).exists():
            return
    raise ValidationError(f"{agency} ไม่ได้เข้ารับการประเมินใน{round} / {agency} does not take part in {round}")


def _participates(items, round: Round, agency: Agency):
    """``items`` (the agency's items in the round) each with ``participates``: whether the agency takes part in
    the round, read in the items' own query (the check of :func:`_require_participant` without a query of its own
    when the agency has items)."""
    return items.annotate(participates=Exists(Participation.objects.filter(round=round, agency=agency)))


# One agency's item read and locked for a change, with whether the agency takes part in the round (as
# ``_participates``): built and compiled once per process (core.compiled), as the item POST and the review POST
# run it every time. FOR UPDATE locks the item's row alone: Django writes ``of`` only for a queryset of
# instances, and this one reads a single table (the participation is a subquery, not locked).
LOCKED_ITEM = Compiled(lambda round_id, agency_id, code: (
    EvidenceItem.objects.select_for_update(of=("self",))
    .filter(round_id=round_id, agency_id=agency_id, item_code=code)
    .order_by().annotate(participates=Exists(Participation.objects.filter(round_id=round_id, agency_id=agency_id)))
    .values_list(*ITEM_COLUMNS, "participates")))


def _locked_item(round: Round, agency: Agency, code: str) -> list[EvidenceItem]:
    """The agency's item ``code`` read and locked (an empty list: not saved yet), with ``participates`` set, its
    round and agency the ones given (already at hand: the audit record names the item without queries)."""
    rows = LOCKED_ITEM.rows(model=EvidenceItem, round_id=round.pk, agency_id=agency.pk, code=code)
    found = instances(EvidenceItem, ITEM_COLUMNS, rows)
    for item, row in zip(found, rows, strict=True):
        item.participates = row[-1]
        item.round, item.agency = round, agency
    return found


def _locked_items(round: Round, agency: Agency, codes) -> list[EvidenceItem]:
    codes = list(dict.fromkeys(codes))
    items = {i.item_code: i for i in EvidenceItem.objects.select_for_update(of=("self",))
             .filter(round=round, agency=agency, item_code__in=codes)}
    missing = [c for c in codes if c not in items]
    if missing:
        raise TransitionRefused(f"ข้อ {', '.join(missing)} ยังไม่ได้กรอกข้อมูล",
                                f"item {', '.join(missing)} has no data yet")
    for item in items.values():  # already at hand: the audit record names them without a query per item
        item.round, item.agency = round, agency
    return [items[c] for c in codes]


def _codes(items) -> list[str]:
    return [i.item_code if isinstance(i, EvidenceItem) else str(i) for i in items]


# ------------------------------------------------------------------------------------------ editing


@transaction.atomic
@versions.once_per_transaction()
def save_item(*, actor, round: Round, agency: Agency, item_code: str, answer: str, urls, explanation: str = "",
              revision: int | None = None, now=None) -> tuple[EvidenceItem, bool]:
    """Record the agency's answer for one OIT item: has / has not (or ``""``: not answered), its URLs and
    where on the page the data sits. An item past the draft (approved by the executive, returned or
    passed) goes back to draft when it changes — a returned item also when saved unchanged, as the
    admin's answer to the reviewer. ``revision`` (the one the form showed) refuses a save over
    someone else's newer change. Returns (item, changed); a changed item carries ``state_before``, its state
    before this save (a draft for a new one)."""
    # the item locked, and whether the agency takes part, in one query (a new item: the participation read alone)
    found = _locked_item(round, agency, item_code)
    _require_participant(round, agency, found)
    _item_ref(round, item_code)
    if answer not in Answer.values:
        raise ValidationError(f"คำตอบ “{answer}” ไม่ถูกต้อง / unknown answer “{answer}”")
    urls = parse_urls(urls)
    explanation = (explanation or "").strip()
    if answer == Answer.HAS and not urls:
        raise ValidationError("ตอบว่า “มี” ต้องใส่ URL อย่างน้อยหนึ่งรายการ / an item answered “has” needs at least "
                              "one URL")
    now = now or timezone.now()
    if found:
        item, created = found[0], False
    else:  # as get_or_create: a row another transaction made meanwhile is read (and locked) instead
        item, created = EvidenceItem.objects.select_for_update(of=("self",)).get_or_create(
            round=round, agency=agency, item_code=item_code, defaults={"created_at": now, "updated_at": now})
    item.round, item.agency = round, agency  # already at hand: the audit record names the item without queries
    step = workflow.check(item.state, Action.EDIT, workflow.roles_for(actor, agency), code=item_code)
    if revision is not None and not created and revision != item.revision:
        raise TransitionRefused(
            f"ข้อ {item_code} มีผู้แก้ไขไปแล้วหลังจากที่ท่านเปิดหน้านี้ กรุณาเปิดหน้าใหม่แล้วแก้ไขอีกครั้ง",
            f"item {item_code} was changed by someone else after you opened it; reload and edit again")
    same = (item.answer, item.urls, item.explanation) == (answer, urls, explanation)
    if same and not created and item.state != State.RETURNED:
        return item, False
    if same and created:  # an empty form for an item never answered: nothing to keep
        item.delete()
        return EvidenceItem(round=round, agency=agency, item_code=item_code), False
    before = None if created else audit.snapshot(item, ITEM_FIELDS)
    from_state = item.state
    item.state_before = from_state
    item.answer, item.urls, item.explanation = answer, urls, explanation
    item.state = step.to_state
    item.revision += 1
    item.updated_at, item.updated_by = now, (actor if getattr(actor, "pk", None) else None)
    item.save()
    comment = ""
    if from_state != State.DRAFT:
        comment = f"แก้ไขหลังจาก “{workflow.STATE_TH[from_state]}” ข้อนี้จึงกลับเป็นร่าง ต้องให้ผู้บริหารอนุมัติอีกครั้ง"
    _save_records([_record(item, actor=actor, role=step.role, action=Action.EDIT, before=before,
                           from_state=from_state, comment=comment, at=now)])
    return item, True


# ------------------------------------------------------------------------------------------ approval


@transaction.atomic
@versions.once_per_transaction()
def approve_items(*, actor, round: Round, agency: Agency, items, comment: str = "", now=None) -> list[EvidenceItem]:
    """The agency's executive approves drafted items (codes or items). All or nothing: every item must
    be a draft and ready (answered, with a URL when "has")."""
    _require_participant(round, agency)
    codes = _codes(items)
    if not codes:
        raise TransitionRefused("ยังไม่ได้เลือกข้อที่จะอนุมัติ", "no item chosen to approve")
    roles = workflow.roles_for(actor, agency)
    locked = _locked_items(round, agency, codes)
    _approve(actor, locked, roles, comment, now or timezone.now())
    return locked


def _approve(actor, locked: list[EvidenceItem], roles, comment: str, now) -> None:
    to_state, records = _approval(actor, locked, roles, comment, now)
    _set_states(locked, state=to_state)
    _save_records(records)


def _approval(actor, locked: list[EvidenceItem], roles, comment: str, now) -> tuple[str, list]:
    """The approval of ``locked``, every check before anything changes: the items' new state, set on them but
    not written, and their log and audit records, unsaved."""
    steps = [workflow.check(i.state, Action.APPROVE, roles, code=i.item_code) for i in locked]
    not_ready = [i.item_code for i in locked if not i.is_ready]
    if not_ready:
        raise TransitionRefused(
            f"ข้อ {', '.join(not_ready)} ยังไม่พร้อม (ต้องเลือกมีหรือไม่มี และใส่ URL เมื่อตอบว่ามี)",
            f"item {', '.join(not_ready)} is not ready (answer has or has not, with a URL for has)")
    befores = [(audit.snapshot(i, ITEM_FIELDS), i.state) for i in locked]
    [to_state] = {step.to_state for step in steps}  # from a draft, the one state of the table
    for item in locked:
        item.state = to_state
    return to_state, [_record(item, actor=actor, role=step.role, action=Action.APPROVE, before=before,
                              from_state=from_state, comment=comment.strip(), at=now)
                          for item, step, (before, from_state) in zip(locked, steps, befores, strict=True)]


class NothingToApprove(TransitionRefused):
    """None of the items chosen is a draft ready to approve (:func:`approve_and_submit` with ``ready_only``)."""


@transaction.atomic
@versions.once_per_transaction()
def approve_and_submit(*, actor, round: Round, agency: Agency, items=None, comment: str = "", now=None,
                       ready_only: bool = False) -> tuple[list[EvidenceItem], list[EvidenceItem] | TransitionRefused]:
    """What the executive's "approve and send" does, in one transaction: :func:`approve_items` of ``items``,
    then :func:`submit_items` of every item approved by the executive (these and any approved before), in
    ITAS code order. The approval is all or nothing as alone; a sending refused (no office follows the
    agency) leaves the approval done and is returned instead of the items sent: (approved, sent or refusal).

    ``ready_only`` (the executive's page, which offers only the drafts that are ready): of ``items`` only those
    are approved, and ``items=None`` means all of them in ITAS order; :class:`NothingToApprove` when none is
    left. They are chosen from the rows this transaction locks, so nothing changes between choice and approval."""
    codes = None if items is None else list(dict.fromkeys(_codes(items)))
    drafts = Q(state=State.DRAFT) if codes is None else Q(item_code__in=codes)
    if ready_only:
        drafts &= Q(state=State.DRAFT)
    # the items locked, and whether the agency takes part, in one query
    locked = list(_participates(EvidenceItem.objects.select_for_update(of=("self",)).filter(round=round, agency=agency)
                                .filter(drafts | Q(state=State.APPROVED_BY_EXECUTIVE)), round, agency))
    _require_participant(round, agency, locked)
    if codes is None and not ready_only:
        raise ValueError("items=None needs ready_only")
    roles = workflow.roles_for(actor, agency)
    found = {i.item_code: _with(i, round=round, agency=agency) for i in locked}
    if ready_only:  # as selectors.approvable_codes, from the rows locked
        order = [ref.item["code"] for ref in oit_refs(round)]
        ready = {c for c in order if c in found and found[c].state == State.DRAFT and found[c].is_ready}
        codes = [c for c in (order if codes is None else codes) if c in ready]
        if not codes:
            raise NothingToApprove("ไม่มีข้อที่เลือกซึ่งพร้อมให้อนุมัติ", "none of the items chosen is ready to approve")
    if not codes:
        raise TransitionRefused("ยังไม่ได้เลือกข้อที่จะอนุมัติ", "no item chosen to approve")
    missing = [c for c in codes if c not in found]
    if missing:
        raise TransitionRefused(f"ข้อ {', '.join(missing)} ยังไม่ได้กรอกข้อมูล",
                                f"item {', '.join(missing)} has no data yet")
    approved = [found[c] for c in codes]
    now = now or timezone.now()
    approved_state, approval = _approval(actor, approved, roles, comment, now)
    waiting = sorted((i for i in found.values() if i.state == State.APPROVED_BY_EXECUTIVE),
                     key=lambda i: i.item_code)
    try:
        offices, sent_state, sending = _sending(actor, agency, waiting, roles, comment, now)
    except TransitionRefused as refusal:  # the sending is refused before anything is written: the approval stands
        _set_states(approved, state=approved_state)
        _save_records(approval)
        return approved, refusal
    # Approved and sent in one UPDATE (the approved items straight to the sent state, with the data versions both
    # steps bump), their log and audit in one INSERT each, the approval's records first.
    _set_states(waiting, state=sent_state, submitted_at=now)
    _save_records(approval + sending)
    _after_sending(actor, round, agency, waiting, offices)
    return approved, waiting


@transaction.atomic
@versions.once_per_transaction()
def submit_items(*, actor, round: Round, agency: Agency, items, comment: str = "", now=None) -> list[EvidenceItem]:
    """Send items the executive approved to the supervising offices that follow the agency for
    pre-review. After the commit: one e-mail per office listing the items, and a snapshot of every URL."""
    _require_participant(round, agency)
    codes = _codes(items)
    if not codes:
        raise TransitionRefused("ไม่มีข้อที่ผู้บริหารอนุมัติแล้วรอส่งตรวจ", "no item approved by the executive to submit")
    roles = workflow.roles_for(actor, agency)
    locked = _locked_items(round, agency, codes)
    _send(actor, round, agency, locked, roles, comment, now or timezone.now())
    return locked


def _send(actor, round: Round, agency: Agency, locked: list[EvidenceItem], roles, comment: str, now) -> None:
    """The sending of :func:`submit_items`: every check before the first write."""
    offices, to_state, records = _sending(actor, agency, locked, roles, comment, now)
    _set_states(locked, state=to_state, submitted_at=now)
    _save_records(records)
    _after_sending(actor, round, agency, locked, offices)


def _sending(actor, agency: Agency, locked: list[EvidenceItem], roles, comment: str, now):
    """The sending of ``locked``, every check before anything changes: (the offices that follow the agency, the
    items' new state, set on them with the time but not written, their log and audit records, unsaved)."""
    steps = [workflow.check(i.state, Action.SUBMIT, roles, code=i.item_code) for i in locked]
    offices = following_offices(agency)
    if not offices:
        raise TransitionRefused(
            f"ยังไม่มีหน่วยงานกำกับติดตามที่กำกับติดตาม{agency} จึงส่งตรวจไม่ได้ กรุณาแจ้งฝ่ายเลขานุการ",
            f"no supervising office follows {agency}, so nobody could review it; tell the secretariat")
    befores = [(audit.snapshot(i, ITEM_FIELDS), i.state) for i in locked]
    [to_state] = {step.to_state for step in steps}  # from approved by the executive, the one state of the table
    for item in locked:
        item.state, item.submitted_at = to_state, now
    return offices, to_state, [
        _record(item, actor=actor, role=step.role, action=Action.SUBMIT, before=before, from_state=from_state,
                comment=comment.strip(), at=now)
        for item, step, (before, from_state) in zip(locked, steps, befores, strict=True)]


def _after_sending(actor, round: Round, agency: Agency, sent: list[EvidenceItem], offices) -> None:
    """The offices' digests into the outbox, and the snapshots of the items' URLs after the commit."""
    ids = [i.pk for i in sent]
    notifications.queue_submitted(round_id=round.pk, agency_id=agency.pk, item_ids=ids, actor=actor, items=sent,
                                  offices=offices)
    transaction.on_commit(lambda: _after_submit(ids))


def _after_submit(item_ids) -> None:
    snapshots.schedule(item_ids, Snapshot.Reason.SUBMISSION)


@transaction.atomic
@versions.once_per_transaction()
def withdraw_item(*, actor, item: EvidenceItem, comment: str = "", now=None) -> EvidenceItem:
    """The agency takes back an item that waits for its review (it becomes a draft again)."""
    item = EvidenceItem.objects.select_for_update(of=("self",)).select_related("agency").get(pk=item.pk)
    step = workflow.check(item.state, Action.WITHDRAW, workflow.roles_for(actor, item.agency), code=item.item_code)
    now = now or timezone.now()
    before, from_state = audit.snapshot(item, ITEM_FIELDS), item.state
    item.state = step.to_state
    item.save(update_fields=["state"])
    _save_records([_record(item, actor=actor, role=step.role, action=Action.WITHDRAW, before=before,
                           from_state=from_state, comment=comment.strip(), at=now)])
    return item


# ------------------------------------------------------------------------------------------ review


class Outcome:
    APPROVE = "approve"
    RETURN = "return"


def _with(item: EvidenceItem, **related) -> EvidenceItem:
    """``item`` with its round and agency already at hand set on it (no query to name them)."""
    for name, value in related.items():
        setattr(item, name, value)
    return item


@transaction.atomic
@versions.once_per_transaction()
def review_item(*, actor, item: EvidenceItem, decisions: Mapping[str, tuple[str, str]] | None = None,
                outcome: str | None = None, comment: str = "", now=None) -> EvidenceItem:
    """A reviewer's work on one submitted item: a decision per required element (``{element code:
    (met|not_met|cannot_tell|"" to leave undecided, comment)}``) and, optionally, the outcome: pass
    (``approve``: every element decided, none "not met") or ``return`` with a comment. Decisions are
    human judgements: the checker never changes them. ``item``: a saved item, or one built with its round,
    agency and code (read here; ``EvidenceItem.DoesNotExist`` when the agency has not saved it)."""
    locking = EvidenceItem.objects.select_for_update(of=("self",))
    if EvidenceItem.round.is_cached(item) and EvidenceItem.agency.is_cached(item):  # at hand (the review page)
        if item.pk is not None:
            item = _with(locking.get(pk=item.pk), round=item.round, agency=item.agency)
        else:  # the review POST: the item by its code, read and locked by a statement compiled once
            found = _locked_item(item.round, item.agency, item.item_code)
            if not found:
                raise EvidenceItem.DoesNotExist("no data for this item yet")
            item = found[0]
    else:
        item = locking.select_related("agency", "round").get(pk=item.pk)
    roles = workflow.roles_for(actor, item.agency)
    action = {None: None, Outcome.APPROVE: Action.REVIEW_APPROVE, Outcome.RETURN: Action.REVIEW_RETURN}.get(
        outcome, "?")
    if action == "?":
        raise ValidationError(f"ผลการตรวจ “{outcome}” ไม่ถูกต้อง / unknown outcome “{outcome}”")
    # Decisions alone need what a return needs: a reviewer, and an item submitted (or passed).
    step = workflow.check(item.state, action or Action.REVIEW_RETURN, roles, code=item.item_code)
    ref = _item_ref(item.round, item.item_code)
    element_codes = [e["code"] for e in ref.item.get("elements") or []]
    decisions = dict(decisions or {})
    unknown = [c for c in decisions if c not in element_codes]
    if unknown:
        raise ValidationError(f"ข้อ {item.item_code} ไม่มีองค์ประกอบ {', '.join(unknown)} / item {item.item_code} "
                              f"has no element {', '.join(unknown)}")
    comment = (comment or "").strip()
    now = now or timezone.now()
    # in the elements' codes' order, as the model's ordering gives them, without its joins (item, round, province),
    # by a statement compiled once (reads.ITEM_DECISIONS)
    existing = {d.element_code: d for d in reads.item_decisions(item.pk)}
    before_decisions = {c: [d.decision, d.comment] for c, d in existing.items()}
    for code in element_codes:
        if code not in decisions:
            continue
        value, note = decisions[code]
        note = (note or "").strip()
        if not value:
            continue
        if value not in Decision.values:
            raise ValidationError(f"ผลการพิจารณา “{value}” ไม่ถูกต้อง / unknown decision “{value}”")
        d = existing.get(code)
        if d is None:
            existing[code] = ElementDecision.objects.create(item=item, element_code=code, decision=value,
                                                            comment=note, reviewer=actor, at=now)
        elif (d.decision, d.comment) != (value, note):
            d.decision, d.comment, d.reviewer, d.at = value, note, actor, now
            d.save()
    after_decisions = {c: [d.decision, d.comment] for c, d in existing.items()}
    if action == Action.REVIEW_APPROVE and item.answer == Answer.HAS:
        undecided = [c for c in element_codes if c not in existing]
        if undecided:
            raise TransitionRefused(f"ยังไม่ได้พิจารณาองค์ประกอบ {', '.join(undecided)} จึงให้ผ่านไม่ได้",
                                    f"element {', '.join(undecided)} not decided yet: the item cannot pass")
        failing = [c for c in element_codes if existing[c].decision == Decision.NOT_MET]
        if failing:
            raise TransitionRefused(
                f"องค์ประกอบ {', '.join(failing)} ไม่ครบถ้วน จึงให้ผ่านไม่ได้ กรุณาส่งกลับให้แก้ไข",
                f"element {', '.join(failing)} is not met: return the item instead of passing it")
    if action == Action.REVIEW_RETURN and not comment:
        raise TransitionRefused("การส่งกลับให้แก้ไขต้องมีความเห็นบอกหน่วยงานว่าต้องแก้อะไร",
                                "a return needs a comment telling the agency what to fix")
    if action is None:
        if after_decisions != before_decisions:
            audit.record(actor=actor, action="evidence.decide", obj=item, before={"decisions": before_decisions},
                         after={"decisions": after_decisions})
        return item
    before, from_state = audit.snapshot(item, ITEM_FIELDS), item.state
    item.state, item.reviewed_at = step.to_state, now
    item.save(update_fields=["state", "reviewed_at"])
    _save_records([_record(item, actor=actor, role=step.role, action=action, before=before, from_state=from_state,
                           comment=comment, at=now, extra_before={"decisions": before_decisions},
                           extra_after={"decisions": after_decisions})])
    item_id = item.pk
    notifications.queue_reviewed(item_id=item_id, action=action, actor=actor, item=item,
                                 decisions=list(existing.values()), comment=comment)
    transaction.on_commit(lambda: _after_review(item_id, action))
    return item


def _after_review(item_id, action) -> None:
    if action == Action.REVIEW_APPROVE:
        snapshots.schedule([item_id], Snapshot.Reason.APPROVAL)


# ------------------------------------------------------------------------------------------ examples


@transaction.atomic
def save_example(*, actor, round: Round, office: SupervisingOffice, item_code: str, text: str = "",
                 url: str = "", example: ItemExample | None = None) -> ItemExample:
    """Add (or change) an office's example for an OIT item: advice in words and/or a model page."""
    _item_ref(round, item_code)
    text, url = (text or "").strip(), (url or "").strip()
    if not text and not url:
        raise ValidationError("ใส่คำอธิบายหรือ URL ตัวอย่างอย่างน้อยหนึ่งอย่าง / give a text or a URL")
    if url:
        parsed = parse_urls(url)
        if len(parsed) != 1:
            raise ValidationError("ใส่ URL ตัวอย่างได้ครั้งละหนึ่งรายการ / one example URL at a time")
        url = parsed[0]
    creating = example is None
    if creating:
        example = ItemExample(round=round, office=office, created_by=actor if getattr(actor, "pk", None) else None)
    before = None if creating else audit.snapshot(example, EXAMPLE_FIELDS)
    example.item_code, example.text, example.url = item_code, text, url
    example.full_clean()
    example.save()
    audit.record(actor=actor, action="evidence.example.create" if creating else "evidence.example.update",
                 obj=example, before=before, after=audit.snapshot(example, EXAMPLE_FIELDS))
    return example


@transaction.atomic
def delete_example(*, actor, example: ItemExample) -> None:
    audit.record(actor=actor, action="evidence.example.delete", obj=example,
                 before=audit.snapshot(example, EXAMPLE_FIELDS))
    example.delete()


# ------------------------------------------------------------------------------------------ check jobs


@transaction.atomic
def create_check_job(*, actor, round: Round, scope: str, agency: Agency | None = None,
                     office: SupervisingOffice | None = None, item: EvidenceItem | None = None,
                     total: int = 0, part: int = 0, parts: int = 1) -> CheckJob:
    """A queued check job that people can watch (the checker updates it with :func:`job_progress`). ``part``
    of ``parts``: the share of the scope's URLs grouped by host (``jobs.part_of``)."""
    if scope not in CheckJob.Scope.values:
        raise ValueError(f"unknown check scope {scope!r}")
    if not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}")
    job = CheckJob.objects.create(round=round, scope=scope, agency=agency, office=office, item=item,
                                  requested_by=actor if getattr(actor, "pk", None) else None, total=total,
                                  part=part, parts=parts)
    after = {"scope": scope, "agency": agency.pk if agency else None,
             "office": office.pk if office else None, "item": item.pk if item else None}
    if parts > 1:
        after.update(part=part, parts=parts)
    audit.record(actor=actor, action="evidence.check.request", obj=job, after=after)
    return job


def request_check(*, actor, round: Round, scope: str, agency: Agency | None = None,
                  office: SupervisingOffice | None = None, item: EvidenceItem | None = None,
                  part: int = 0, parts: int = 1) -> tuple[CheckJob, bool]:
    """Ask for an automatic check (a job the worker runs): (job, created). A job still waiting or
    running for the same target (and part) is returned instead of starting a second one."""
    with transaction.atomic():
        waiting = (CheckJob.objects.select_for_update(of=("self",))
                   .filter(round=round, scope=scope, agency=agency, office=office, item=item, part=part, parts=parts,
                           status__in=[CheckJob.Status.QUEUED, CheckJob.Status.RUNNING]).first())
        if waiting is not None:
            return waiting, False
        job = create_check_job(actor=actor, round=round, scope=scope, agency=agency, office=office, item=item,
                               part=part, parts=parts)
        job.total = len(jobs.pairs_for(job))
        job.save(update_fields=["total"])
        job_id = job.pk
        transaction.on_commit(lambda: _queue_check(job_id))
    return job, True


def _queue_check(job_id: int) -> None:
    # Exception to imports at the top: tasks.py (the worker's entry points) imports this module.
    from itadesk.evidence.tasks import run_check

    try:
        run_check(job_id)
    except Exception as exc:  # the queue is down: say so on the job rather than leave it waiting
        logger.exception("could not queue check job %s", job_id)
        job_progress(CheckJob(pk=job_id), status=CheckJob.Status.FAILED, error=str(exc)[:2000],
                     line="ส่งงานเข้าคิวไม่ได้")
