"""Reads of the OIT evidence app, for the pages and exports. Callers scope them (agencies from
``access.agencies_for(user)``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import CharField, Count, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, StrIndex
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.core import versions
from itadesk.core.compiled import frozen_rows
from itadesk.core.language import page_lang
from itadesk.core.thai import to_bangkok
from itadesk.cycles.models import Milestone, Round
from itadesk.cycles.selectors import office_agency_ids, participants
from itadesk.evidence import reads
from itadesk.evidence.checker.rules import known_site, on_domain
from itadesk.evidence.models import (
    QUEUE_STATES,
    Answer,
    ElementDecision,
    EvidenceEvent,
    EvidenceItem,
    Finding,
    ItemExample,
    Snapshot,
    State,
)
from itadesk.evidence.workflow import Action
from itadesk.methodology.models import FrameworkVersion
from itadesk.methodology.schema import ItemRef, item_time_rule, iter_items
from itadesk.registry.models import Agency, District, SupervisingOffice, offices_following, province_oversight
from itadesk.scoring import engine

OIT_MILESTONE = "oit"


# ------------------------------------------------------------------------------------------ framework


@lru_cache(maxsize=16)
def _framework(pk: int, sha256: str):
    """(OIT instrument code or None, its items in ITAS order, compiled scoring plan or None) of a
    framework version. Cached by content hash: a changed framework is read again."""
    data = FrameworkVersion.objects.values_list("data", flat=True).get(pk=pk)
    code = next((ins["code"] for ins in data["instruments"] if ins.get("respondents") == "agency"), None)
    refs = tuple(ref for ref in iter_items(data) if ref.instrument["code"] == code) if code else ()
    try:
        plan = engine.compile_framework(data)
    except Exception:  # a framework the engine cannot score: the workspace still works without a score
        plan = None
    return code, refs, plan


def _fw(round: Round):
    if round.framework_id is None:
        return None, (), None

    if Round.framework.is_cached(round):  # read with the round (``round_or_404``): its hash is at hand
        sha = round.framework.sha256
    else:
        sha = FrameworkVersion.objects.values_list("sha256", flat=True).get(pk=round.framework_id)
    return _framework(round.framework_id, sha)


def oit_refs(round: Round) -> list[ItemRef]:
    """The OIT items (of the instrument the agency answers) of the round's framework, in ITAS order."""
    return list(_fw(round)[1])


def title_of(ref: ItemRef) -> str:
    return ref.item.get("text_th") or _("(title not known)")


def data_year_label(item: dict | None, fiscal_year: int) -> str:
    """What time the item's evidence must be about (its time rule, any stored form), for people."""
    rule = item_time_rule(item)
    if rule == "current_year":
        return _("Data of fiscal year %(year)s") % {"year": fiscal_year}
    if rule == "previous_year":
        return _("Fiscal year %(year)s (the previous year)") % {"year": fiscal_year - 1}
    if rule == "covers_current_year":
        return _("A plan covering fiscal year %(year)s") % {"year": fiscal_year}
    if rule == "first_half_current_year":
        return _("First six months of fiscal year %(year)s (October–March)") % {"year": fiscal_year}
    if rule == "current_holder":
        return _("The current holders (no year needed)")
    if rule == "any_year":
        return _("Any fiscal year")
    return _("No year needed")


def oit_milestone(round: Round) -> Milestone | None:
    """The round's OIT milestone (its deadline) for a page, kept under the data versions with the page cache on
    (milestones are under "global"): the queue, the workspace and the item pages all show it. Inside a writing
    transaction read it with :func:`read_oit_milestone`: reading the versions there would first make the
    transaction's pending bumps (``versions.once_per_transaction``), one more per scope and commit."""
    return versions.kept("oit-milestone", [round.pk], [], lambda: read_oit_milestone(round))


def read_oit_milestone(round: Round) -> Milestone | None:
    """The round's OIT milestone, read from the database (``reads.milestone``)."""
    return reads.milestone(round.pk, OIT_MILESTONE)


# ------------------------------------------------------------------------------------------ workspace


@dataclass
class ElementRow:
    code: str
    text: str
    decision: ElementDecision | None = None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ItemRow:
    ref: ItemRef
    item: EvidenceItem
    number: int
    title: str
    data_year: str
    elements: list[ElementRow] = field(default_factory=list)
    examples: list[ItemExample] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # latest findings not tied to one element
    alerts: list[str] = field(default_factory=list)
    last_review: EvidenceEvent | None = None
    offsite: list[tuple[str, str]] = field(default_factory=list)  # (URL, where) off the main domain
    # filled by the workspace page (evidence.views._workspace_links)
    item_url: str = ""
    review_url: str = ""
    answer_html: str = ""
    state_html: str = ""
    elements_html: str = ""  # the elements partial, when it shows the framework's elements alone

    @property
    def code(self) -> str:
        return self.ref.item["code"]

    @property
    def saved(self) -> bool:
        return self.item.pk is not None

    @property
    def failed_findings(self) -> list[Finding]:
        return [f for f in self.all_findings if not f.passed]

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for e in self.elements for f in e.findings)]

    @property
    def digest(self) -> FindingsDigest:
        return findings_digest(self.all_findings)


@dataclass(frozen=True)
class FindingsDigest:
    """The automatic check of one item at a glance: problems (errors), warnings, whether the checker could
    not connect (not checked: the checker's failure, never the agency's), and the failing messages."""

    checked: bool            # the checker has looked at the item's URLs at least once
    errors: int
    warnings: int
    not_checked: int
    problems: list[Finding]  # failing errors and warnings, errors first

    @property
    def clean(self) -> bool:
        return self.checked and not self.errors and not self.warnings and not self.not_checked


def findings_digest(findings: list[Finding]) -> FindingsDigest:
    failing = [f for f in findings if not f.passed]
    errors = [f for f in failing if f.severity == Finding.Severity.ERROR]
    warnings = [f for f in failing if f.severity == Finding.Severity.WARNING]
    return FindingsDigest(checked=bool(findings), errors=len(errors), warnings=len(warnings),
                          not_checked=sum(f.code == "not_checked" for f in failing), problems=errors + warnings)


def off_domain_urls(urls: list[str], main_domain: str | None) -> list[tuple[str, str]]:
    """The URLs not on the agency's main domain (or a subdomain), each with where it is instead
    ("drive.google.com (Google Drive)"): what an assessor may refuse. Empty without a main domain."""
    from urllib.parse import urlsplit

    if not main_domain:
        return []
    out = []
    for url in urls:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        if host and not on_domain(host, main_domain):
            site = known_site(host)
            out.append((url, f"{host} ({site[0]})" if site else host))
    return out


@dataclass
class Group:
    indicator: dict
    subindicator: dict | None
    rows: list[ItemRow]


@dataclass
class Workspace:
    round: Round
    agency: Agency
    instrument: str | None
    rows: list[ItemRow]
    groups: list[Group]
    counts: dict[str, int]
    ready: int
    score: object = None  # scoring.engine.AgencyScore
    indicator_scores: list[tuple[str, str, float | None]] = field(default_factory=list)
    score_error: str = ""

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def oit_score(self):
        return self.score.instruments.get(self.instrument) if self.score is not None else None

    @property
    def ready_percent(self) -> int:
        return round(100 * self.ready / self.total) if self.total else 0

    def codes_in(self, state: str) -> list[str]:
        return [r.code for r in self.rows if r.saved and r.item.state == state]

    @property
    def approvable(self) -> list[ItemRow]:
        """Drafts the executive may approve: ready ones."""
        return [r for r in self.rows if r.saved and r.item.state == State.DRAFT and r.item.is_ready]


def _alerts(items: list[EvidenceItem]) -> dict[int, list[str]]:
    """"Changed since approved" / "broken since approved" per passed item, comparing each URL's newest
    snapshot with the one taken when the reviewer passed it."""
    passed = [i for i in items if i.state == State.APPROVED]
    if not passed:
        return {}
    rows = (Snapshot.objects.filter(item__in=passed).order_by("taken_at", "id")
            .values_list("item_id", "url", "reason", "sha256", "status_code", "error"))
    approval, newest = {}, {}
    for item_id, url, reason, sha, status, error in rows:
        if error.startswith("not_checked"):
            continue  # the checker was offline: it says nothing about the page
        ok = not error and status is not None and status < 400
        if reason == Snapshot.Reason.APPROVAL:
            approval[(item_id, url)] = (sha, ok)
            newest.pop((item_id, url), None)
        elif (item_id, url) in approval:
            newest[(item_id, url)] = (sha, ok)
    alerts = defaultdict(list)
    for key, (sha, ok) in newest.items():
        was_sha, was_ok = approval[key]
        if was_ok and not ok:
            alerts[key[0]].append(_("Broken since approved: %(url)s") % {"url": key[1]})
        elif ok and sha and was_sha and sha != was_sha:
            alerts[key[0]].append(_("Changed since approved: %(url)s") % {"url": key[1]})
    return alerts


def _examples(round: Round, agency: Agency, code: str | None = None) -> dict[str, list[ItemExample]]:
    """Item code -> the examples of the offices that follow the agency (of item ``code`` only, when given).
    The round's examples are read first, all of them (a few per item at most), and kept once per round under the
    data versions with the page cache on (examples and offices are under "global"): without any (most items),
    which offices follow is not asked."""
    def read():
        return list(ItemExample.objects.filter(round=round).select_related("office").order_by("office__order", "id"))

    examples = versions.kept("oit_examples", [round.pk], [], read)
    if code is not None:
        examples = [ex for ex in examples if ex.item_code == code]
    result = defaultdict(list)
    if examples:
        following = {o.pk for o in offices_for_page(agency)}  # pages only: kept as the examples are
        for ex in examples:
            if ex.office_id in following:
                result[ex.item_code].append(ex)
    return result


def score_answers(rows: list[ItemRow]) -> dict[str, str]:
    """has -> "has"; has not or not answered -> "has_not" (what ITAS would score today)."""
    return {r.code: "has" if r.item.answer == Answer.HAS else "has_not" for r in rows}


REVIEWS = (Action.REVIEW_APPROVE, Action.REVIEW_RETURN)


@dataclass
class ItemPage:
    """One OIT item of an agency as its page shows it, and the ITAS order of the items around it."""

    row: ItemRow
    codes: list[str]  # every OIT item of the round, in ITAS order
    history: list[EvidenceEvent] = field(default_factory=list)  # the item's log, newest first (:func:`history`)
    snapshots: list[Snapshot] = field(default_factory=list)  # the newest 30, without their text (:func:`snapshots`)

    @property
    def previous(self) -> str | None:
        n = self.codes.index(self.row.code)
        return self.codes[n - 1] if n > 0 else None

    @property
    def next(self) -> str | None:
        n = self.codes.index(self.row.code)
        return self.codes[n + 1] if n + 1 < len(self.codes) else None


def item_page(round: Round, agency: Agency, code: str) -> ItemPage | None:
    """The row of one OIT item, built as :func:`workspace` builds it but reading only that item (the item and
    review pages show one item, not the workspace's 26 and the score), with its log and newest snapshots.
    None: not an OIT item of the round. Its reads have a fixed shape and are built once per process
    (``core.compiled``); the checker's findings are not read for an item without a snapshot (every finding
    shown is of one of the item's snapshots)."""
    frames = item_frames(round)
    shown = tuple(f for f in frames if f.ref.item["code"] == code)
    if not shown:
        return None
    item = reads.one_item(round.pk, agency.pk, code)
    items = {code: item} if item is not None else {}
    examples = _examples(round, agency, code)
    log, shots, decisions, findings = [], [], {}, {}
    if item is not None:
        item.round, item.agency = round, agency  # as the page's own: not read again
        log = reads.log(item)
        decisions = {item.pk: reads.decisions(item)}
        shots = reads.snapshots(item)
        findings = reads.latest_findings([item]) if shots else {}
    last_review = next((e for e in log if e.action in REVIEWS), None)  # the log read once: shown, and its review
    reviews = {item.pk: last_review} if last_review is not None else {}
    row = _frame_rows(round, agency, shown, items, examples, reviews=reviews, decisions=decisions,
                      findings=findings)[0]
    return ItemPage(row=row, codes=[f.ref.item["code"] for f in frames], history=log, snapshots=shots)


def approval_rows(round: Round, agency: Agency) -> list[ItemRow]:
    """The rows of the executive's approval page: every OIT item of the round in ITAS order with the agency's
    answer, its URLs off the main domain and the automatic check's latest findings — the workspace's rows
    without the reviewers' part, the examples and the score, which that page does not show."""
    items = {i.item_code: i for i in reads.agency_items(round.pk, agency.pk)}
    findings = reads.latest_findings(list(items.values()))
    return _frame_rows(round, agency, item_frames(round), items, {}, reviewed=False, findings=findings)


def approvable_codes(round: Round, agency: Agency) -> list[str]:
    """The codes of ``Workspace.approvable`` (drafts that are ready), in ITAS order, from the items alone."""
    ready = {i.item_code for i in EvidenceItem.objects.filter(round=round, agency=agency, state=State.DRAFT)
             if i.is_ready}
    return [ref.item["code"] for ref in _fw(round)[1] if ref.item["code"] in ready]


@dataclass(frozen=True)
class ItemFrame:
    """What the framework alone says of one OIT item, as the workspace shows it: its ITAS number, title, the
    year its data must be about (for the round's fiscal year) and its required elements ((code, text) pairs)."""

    number: int
    ref: ItemRef
    title: str
    data_year: str
    elements: tuple[tuple[str, str], ...]


@lru_cache(maxsize=64)
def _frames(pk: int, sha256: str, fiscal_year: int, lang: str) -> tuple[ItemFrame, ...]:
    """The OIT items of a framework version walked once per (version, fiscal year, language) in this process,
    not on every workspace page: keyed by the version's content hash, so a framework replaced or changed is
    walked again (``lang`` only keys it: the labels are made in the language active when it is called)."""
    return tuple(ItemFrame(number=n, ref=ref, title=title_of(ref), data_year=data_year_label(ref.item, fiscal_year),
                           elements=tuple((el["code"], el.get("text_th") or el["code"])
                                          for el in ref.item.get("elements") or []))
                 for n, ref in enumerate(_framework(pk, sha256)[1], start=1))


def item_frames(round: Round) -> tuple[ItemFrame, ...]:
    """:class:`ItemFrame` of every OIT item of the round's framework, in ITAS order."""
    if round.framework_id is None:
        return ()
    if Round.framework.is_cached(round):
        sha = round.framework.sha256
    else:
        sha = FrameworkVersion.objects.values_list("sha256", flat=True).get(pk=round.framework_id)
    lang = page_lang()
    return _frames(round.framework_id, sha, round.fiscal_year, lang)


def _frame_rows(round: Round, agency: Agency, frames: tuple[ItemFrame, ...], items: dict[str, EvidenceItem],
                examples: dict[str, list[ItemExample]], *, reviews_of_returned_only: bool = False,
                reviewed: bool = True, reviews: dict[int, EvidenceEvent] | None = None,
                decisions: dict[int, dict[str, ElementDecision]] | None = None,
                findings: dict[tuple[int, str], list[Finding]] | None = None) -> list[ItemRow]:
    """The rows of the OIT items ``frames`` (:func:`item_frames`, all or some) with what the pages show of each:
    element decisions, latest findings, alerts, examples, the last review — the one row builder of the
    workspace, the item and review pages and the approval page. ``items``: the saved ones by code.
    ``reviews``, ``decisions``, ``findings``: the last review, element decisions and latest findings of the
    saved items, when the caller has read them already (the item page, from its own reads); otherwise read here,
    the decisions without the model's ordering (five joins, for rows put in a dictionary).
    ``reviews_of_returned_only``: the last review is read for the returned items only (what the workspace
    page shows of it), not for every item (what the exports show). ``reviewed=False``: without what the
    reviewers made of them (decisions, alerts since approval, last review), for a page that shows only the
    agency's answers and the automatic check."""
    saved = list(items.values())
    if decisions is None:
        decisions = defaultdict(dict)
        if saved and reviewed:
            for d in ElementDecision.objects.filter(item__in=saved).select_related("reviewer").order_by():
                decisions[d.item_id][d.element_code] = d
    if findings is None:
        findings = reads.latest_findings(saved) if saved else {}
    alerts = _alerts(saved) if reviewed else {}
    if not reviewed:
        reviews = {}
    if reviews is None:
        reviews = {}
        of = [i for i in saved if i.state == State.RETURNED] if reviews_of_returned_only else saved
        if of:
            for e in EvidenceEvent.objects.filter(item__in=of, action__in=REVIEWS).order_by("at", "id"):
                reviews[e.item_id] = e
    website = agency.website or None
    rows = []
    for frame in frames:
        ref = frame.ref
        item_code = ref.item["code"]
        item = items.get(item_code) or EvidenceItem(round=round, agency=agency, item_code=item_code)
        row = ItemRow(ref=ref, item=item, number=frame.number, title=frame.title, data_year=frame.data_year,
                      examples=examples.get(item_code, []), alerts=alerts.get(item.pk, []),
                      offsite=off_domain_urls(list(item.urls or []), website), last_review=reviews.get(item.pk))
        by_element = defaultdict(list)
        if item.pk is not None:
            for url in item.urls:
                for f in findings.get((item.pk, url), []):
                    by_element[f.element_code].append(f)
        mine = decisions.get(item.pk, {}) if item.pk else {}
        row.elements = [ElementRow(code, text, mine.get(code), by_element.get(code, []))
                        for code, text in frame.elements]
        codes = {code for code, _text in frame.elements}
        row.findings = [f for c, fs in by_element.items() if c not in codes for f in fs]
        rows.append(row)
    return rows


def workspace(round: Round, agency: Agency) -> Workspace:
    """The agency's OIT items with everything the workspace, the approval page, the print view and the exports
    show of them, its counts and its projected score."""
    return _workspace(round, agency, reviews_of_returned_only=False)


def workspace_page(round: Round, agency: Agency) -> Workspace:
    """:func:`workspace` as the workspace page shows it: the last review only of the returned items."""
    return _workspace(round, agency, reviews_of_returned_only=True)


def _workspace(round: Round, agency: Agency, *, reviews_of_returned_only: bool) -> Workspace:
    code, _refs, plan = _fw(round)
    # ordered by code alone (the model's order joins the round, its province, the agency, its province and district
    # to sort the items of one agency in one round), read by a statement compiled once (``reads.AGENCY_ITEMS``)
    items = {i.item_code: i for i in sorted(reads.agency_items(round.pk, agency.pk), key=lambda i: i.item_code)}
    rows = _frame_rows(round, agency, item_frames(round), items, _examples(round, agency),
                       reviews_of_returned_only=reviews_of_returned_only)
    groups = []
    for row in rows:
        ref = row.ref
        if not groups or groups[-1].indicator is not ref.indicator or groups[-1].subindicator is not ref.subindicator:
            groups.append(Group(ref.indicator, ref.subindicator, []))
        groups[-1].rows.append(row)
    counts = {s: 0 for s in State.values} | {"not_started": 0}
    for r in rows:
        counts[r.item.state if r.saved else "not_started"] += 1
    ws = Workspace(round=round, agency=agency, instrument=code, rows=rows, groups=groups, counts=counts,
                   ready=sum(1 for r in rows if r.item.is_ready))
    if plan is not None and rows:
        try:
            ws.score = engine.score_agency(plan, score_answers(rows))
        except ValueError as exc:
            ws.score_error = str(exc)
        else:
            instrument = plan.instrument(code)
            ws.indicator_scores = [(plan.indicators[k].code, plan.indicators[k].name_th or "",
                                    ws.score.indicators.get(plan.indicators[k].code))
                                   for k in instrument.indicators]
    return ws


# ------------------------------------------------------------------------------------------ queues


@dataclass
class QueueRow:
    """What a review queue shows of one item and its agency (``queue_rows``)."""

    item_id: int
    agency_id: int
    agency_name: str
    district: str  # the agency's district's name, "" without one
    item_code: str
    title: str
    answer: str
    submitted_at: dt.datetime | None
    age_days: int


QUEUE_PAGE_SIZE = 50  # rows per page of a review queue (an office may have thousands on deadline day)
# The columns of an item (and its agency) a queue row shows, in QueueRow's order (queue_items reads only these).
_QUEUE_COLUMNS = ("pk", "agency_id", "agency__name_th", "district_name", "item_code", "answer", "submitted_at",
                  "updated_at")


def age_days(since: dt.datetime, today: dt.date) -> int:
    """Days between ``since`` and ``today`` counted in Bangkok calendar days, as a Thai office counts them
    (the day of a submission does not count: sent yesterday at 16:00 is one day old this morning; sent today,
    none). The age changes at midnight in Bangkok, never in the middle of a day."""
    return max(0, (today - to_bangkok(since).date()).days)


def _itas_order(round: Round):
    """The item's place in the round's framework (ITAS order) as an SQL expression to order by, items not in
    the framework last: the position of ``,code,`` in the round's codes written ``,o1,o2,…,`` (codes are
    letters, digits, ``.``, ``_``, ``-``: ``framework.spec.CODE_RE``). One function of one value instead of a
    ``CASE`` of 26 branches, which cost about 3 ms of Python to build and compile on every cold queue."""
    codes = [ref.item["code"] for ref in oit_refs(round)]
    place = StrIndex(Value("," + ",".join(codes) + ","), Func(
        Value(","), F("item_code"), Value(","), template="(%(expressions)s)", arg_joiner=" || ",
        output_field=CharField()))
    return NullIf(place, Value(0)).asc(nulls_last=True)


def _on_agency(q: Q) -> Q:
    """``q``, a filter on Agency, as the same filter on an item's agency (every lookup under ``agency__``)."""
    return Q(*[_on_agency(c) if isinstance(c, Q) else (f"agency__{c[0]}", c[1]) for c in q.children],
             _connector=q.connector, _negated=q.negated)


def _queue_filter(round: Round, agencies, states) -> Q:
    """Items of the round in ``states`` whose agency is in ``agencies``: a ``Q`` on Agency (an office's rules,
    ``SupervisingOffice.agency_q``: applied to the item's own join to its agency, which PostgreSQL joins once
    and estimates well), or agencies (a queryset or a list). Only the round's participants have items
    (``services.save_item`` refuses others; ``cycles.round_setup.remove_participants`` refuses an agency with
    data), so participation is not asked again: a join to it made PostgreSQL misjudge the rows and cost
    a third more."""
    where = _on_agency(agencies) if isinstance(agencies, Q) else Q(agency__in=agencies)
    return Q(round=round, state__in=list(states)) & where


def queue_items(round: Round, agencies, *, states=(State.SUBMITTED,)):
    """Items of ``agencies`` (see ``_queue_filter``) in ``states`` (submitted: waiting for a reviewer) as rows
    of the columns a queue shows, ordered in SQL: oldest submission first, then agency name, then ITAS order,
    so that a page of it costs one page. The district's name is read for the rows returned only (PostgreSQL
    evaluates the subquery after the sort and the limit)."""
    district = District.objects.filter(pk=OuterRef("agency__district_id")).order_by().values("name_th")
    return (EvidenceItem.objects.filter(_queue_filter(round, agencies, states))
            .annotate(district_name=Subquery(district))
            .order_by(Coalesce("submitted_at", "updated_at"), "agency__name_th", _itas_order(round), "pk")
            .values_list(*_QUEUE_COLUMNS))


class OfficeQueueItems:
    """An office's queue in one state as a paginator slices it (``Paginator(OfficeQueueItems(…))``, its ``count``
    given): each slice is the rows of :func:`queue_items` for the office's rules, by a statement compiled once
    per process, round, office, state, slice and version of the rules (``core.compiled.frozen_rows``). Building
    and compiling the ORM query took about half of a cold queue's work; its values never change."""

    ordered = True  # ordered in SQL (Django's paginator warns about an unordered list)

    def __init__(self, round: Round, office: SupervisingOffice, state: str):
        self.round, self.office, self.state = round, office, state

    def __getitem__(self, part: slice) -> list[tuple]:
        if part.start == part.stop:  # an empty queue's one page: no statement at all
            return []
        return frozen_rows("oit_queue", (self.round.pk, self.office.pk, self.state, part.start, part.stop),
                           lambda: queue_items(self.round, self.office.agency_q(), states=[self.state])[part],
                           model=EvidenceItem)


def queue_rows(round: Round, items, now=None) -> list[QueueRow]:
    """Rows (title, age in Bangkok days: ``age_days``) for some rows of :func:`queue_items` (e.g. one page)."""
    today = to_bangkok(now or timezone.now()).date()
    titles = {ref.item["code"]: title_of(ref) for ref in oit_refs(round)}
    unknown = _("(title not known)")
    return [QueueRow(pk, agency_id, name, district or "", code, titles.get(code, unknown), answer, submitted_at,
                     age_days(submitted_at or updated_at, today))
            for pk, agency_id, name, district, code, answer, submitted_at, updated_at in items]


def queue(round: Round, agencies, *, states=(State.SUBMITTED,), now=None) -> list[QueueRow]:
    """Every item of ``agencies`` in ``states``, oldest submission first (the pages show one page of it)."""
    return queue_rows(round, queue_items(round, agencies, states=states), now)


def state_counts(round: Round, agencies) -> dict[str, int]:
    """Items of ``agencies`` (as ``queue_items`` takes them, or an office: its rules, by a statement compiled
    once as :class:`OfficeQueueItems`'s) in the round by state, counting the states a review queue shows (the others
    stay 0: a queue's cache does not follow them, see ``review_scope``): one grouped count, which also gives the
    number of rows of a queue (``queue_items``: the same filter)."""
    def build(where):
        return (EvidenceItem.objects.filter(_queue_filter(round, where, QUEUE_STATES)).order_by()
                .values("state").annotate(n=Count("id")).values_list("state", "n"))

    if isinstance(agencies, SupervisingOffice):
        rows = frozen_rows("oit_state_counts", (round.pk, agencies.pk), lambda: build(agencies.agency_q()),
                           model=EvidenceItem)
    else:
        rows = build(agencies)
    counts = {s: 0 for s in State.values}
    for state, n in rows:
        counts[state] = n
    return counts


@dataclass
class OfficeQueue:
    office: SupervisingOffice
    waiting: int
    oldest_days: int | None
    returned: int
    approved: int


def all_queues(round: Round, now=None) -> list[OfficeQueue]:
    """Per office of the round's province: items waiting for review, the oldest one's age (Bangkok days, as
    ``age_days``), and how many were returned or passed."""
    today = to_bangkok(now or timezone.now()).date()
    rows = participants(round)
    per_agency = defaultdict(lambda: {"waiting": 0, "oldest": None, State.RETURNED: 0, State.APPROVED: 0})
    for agency_id, state, submitted_at in (EvidenceItem.objects.filter(
            round=round, state__in=[State.SUBMITTED, State.RETURNED, State.APPROVED])
            .values_list("agency_id", "state", "submitted_at")):
        entry = per_agency[agency_id]
        if state == State.SUBMITTED:
            entry["waiting"] += 1
            if submitted_at and (entry["oldest"] is None or submitted_at < entry["oldest"]):
                entry["oldest"] = submitted_at
        else:
            entry[state] += 1
    result = []
    for office, ids in office_agency_ids(round, rows):
        entries = [per_agency[i] for i in ids if i in per_agency]
        oldest = min((e["oldest"] for e in entries if e["oldest"]), default=None)
        result.append(OfficeQueue(office, sum(e["waiting"] for e in entries),
                                  age_days(oldest, today) if oldest else None,
                                  sum(e[State.RETURNED] for e in entries), sum(e[State.APPROVED] for e in entries)))
    return result


def history(item: EvidenceItem):
    """The item's log, newest first. The pages name who did it by ``actor_label`` (as recorded), so the person
    is not read with it."""
    return item.events.order_by("-at", "-id") if item.pk else []


def following_offices(agency: Agency):
    """The supervising offices whose oversight rules follow ``agency`` (lead or assist)."""
    return offices_following(agency)


def offices_for_page(agency: Agency) -> list[SupervisingOffice]:
    """:func:`following_offices` for a page (the approval page's list, the review page's "back" link), decided in
    memory from the province's rules, kept under the data versions with the page cache on (offices and their
    oversight rules are under "global") once per province, not per agency; once per agency object. Services,
    which decide with it, ask :func:`following_offices`."""
    found = agency.__dict__.get("_offices_for_page")
    if found is None:
        if versions.caching():
            oversight = versions.kept("province_oversight", [agency.province_id], [],
                                      lambda: province_oversight(agency.province_id))
            found = offices_following(agency, oversight)
        else:  # nothing kept: the agency's own offices, in one query instead of the province's rules in two
            found = offices_following(agency)
        agency.__dict__["_offices_for_page"] = found
    return found


def ready_in_workspace(agency, round) -> set[str]:
    """The OIT items the agency has answered "has" in its workspace for the round (none without a round)."""
    if round is None:
        return set()
    return set(EvidenceItem.objects.filter(round=round, agency=agency, answer=Answer.HAS)
               .values_list("item_code", flat=True))
