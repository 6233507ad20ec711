"""OIT evidence pages: the agency's workspace and item pages, the executive's approval, the offices'
review queues and review pages, the offices' examples, exports and snapshots. Every object is fetched
through ``access.agencies_for(user)`` (out of scope: 404) and every action asks ``access.can`` (403)."""

from __future__ import annotations

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.core import downloads, once, versions
from itadesk.core.language import page_lang as _lang
from itadesk.core.links import filler as links_filler
from itadesk.core.services import refusal_text
from itadesk.core.tabular import write_table
from itadesk.core.thai import to_bangkok
from itadesk.core.views import run_service
from itadesk.cycles.clock import clock, fill_countdowns
from itadesk.cycles.models import Round
from itadesk.cycles.rounds import not_in_round_response, office_or_404, participant_or_404, round_or_404
from itadesk.cycles.selectors import current_round
from itadesk.documents import pdf
from itadesk.evidence import exports, reads, selectors, services, workflow
from itadesk.evidence.checker.rules import registered_domain
from itadesk.evidence.forms import DECISION_CHOICES, ExampleForm, ItemForm
from itadesk.evidence.models import CheckJob, EvidenceItem, ItemExample, Snapshot, State, review_scope
from itadesk.evidence.templatetags.evidence_tags import workspace_cards
from itadesk.evidence.workflow import Action
from itadesk.registry.models import Agency, SupervisingOffice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refused(request, exc: ValidationError) -> None:
    messages.error(request, refusal_text(exc, "; "))


def _office_for(request, round: Round, office_id, action: str = "view_review_queue") -> SupervisingOffice:
    office = office_or_404(round, office_id)
    access.require(request.user, "view_review_queue", office)
    access.require(request.user, action, office)
    return office


def _item_page(round, agency, code: str) -> selectors.ItemPage:
    page = selectors.item_page(round, agency, code)
    if page is None:
        raise Http404
    return page


def _workspace_url(round, agency) -> str:
    return reverse("evidence:workspace", args=[round.pk, agency.pk])


# ------------------------------------------------------------------------------------------ entry


@login_required
def home(request):
    """The OIT page of the user's role: an agency's workspace, an office's queue, or all queues."""
    scope = access.scope_for(request.user)
    round = current_round(access.province_ids_for(request.user))
    if round is None:
        return render(request, "cycles/no_round.html")
    if scope.is_secretariat:
        return redirect("evidence:queues", round_id=round.pk)
    office = SupervisingOffice.objects.filter(pk__in=scope.office_ids, province_id=round.province_id).first()
    if office is not None:
        return redirect("evidence:queue", round_id=round.pk, office_id=office.pk)
    agency = (Agency.objects.filter(pk__in=scope.agency_ids, participations__round=round).order_by("pk").first())
    if agency is not None:
        return redirect("evidence:workspace", round_id=round.pk, agency_id=agency.pk)
    if scope.agency_ids:  # not in the current round: say so, link to its rounds
        return not_in_round_response(request, round, status=200)
    raise PermissionDenied


# ------------------------------------------------------------------------------------------ agency side


def _workspace_links(ws, round, agency) -> None:
    """The workspace rows' links and badges made once per page, not per row (``core.links``; the answer and
    state badges rendered once for each value the rows have), and the elements of each row nobody has decided,
    checked or alerted on (most rows on deadline day) taken from :func:`_plain_elements`."""
    links = {name: links_filler(f"evidence:{name}", ["code"], round_id=round.pk, agency_id=agency.pk)
             for name in ("item", "review")}
    lang = _lang()
    answers, states = {}, {}
    for row in ws.rows:
        item = row.item
        if item.answer not in answers:
            answers[item.answer] = render_to_string("evidence/partials/answer.html", {"item": item})
        state = item.state if item.pk else None
        if state not in states:
            states[state] = render_to_string("evidence/partials/state_badge.html", {"item": item})
        row.item_url = links["item"](row.code)
        row.review_url = links["review"](row.code)
        row.answer_html = answers[item.answer]
        row.state_html = states[state]
        if not row.findings and not row.alerts and not any(e.decision or e.findings for e in row.elements):
            row.elements_html = _plain_elements(tuple((e.code, e.text) for e in row.elements), lang)


@lru_cache(maxsize=2048)
def _plain_elements(elements: tuple[tuple[str, str], ...], lang: str) -> str:
    """The elements partial of an item without decisions, findings or alerts: it shows only the framework's
    elements ((code, text) pairs), so it is the same for every agency and rendered once per item and language
    (``lang``: the active language, which it is rendered in) in this process."""
    row = selectors.ItemRow(ref=None, item=EvidenceItem(), number=0, title="", data_year="",
                            elements=[selectors.ElementRow(code, text) for code, text in elements])
    return render_to_string("evidence/partials/elements.html", {"row": row, "LANGUAGE_CODE": lang})


@login_required
def workspace(request, round_id, agency_id):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    roles = workflow.roles_for(request.user, agency)
    flags = {"can_edit": workflow.Role.EDITOR in roles, "can_approve": workflow.Role.EXECUTIVE in roles,
             "can_review": workflow.Role.REVIEWER in roles,
             "can_submit": bool(roles & {workflow.Role.EDITOR, workflow.Role.EXECUTIVE})}

    def compute():
        ws = selectors.workspace_page(round, agency)
        _workspace_links(ws, round, agency)
        # The partials need nothing of the request (no form, no context processor) but the language.
        context = {"round": round, "agency": agency, "ws": ws, "milestone": selectors.oit_milestone(round),
                   "LANGUAGE_CODE": get_language(), **flags}
        return {
            "has_rows": bool(ws.rows), "approvable": len(ws.approvable),
            "waiting_submission": ws.codes_in(State.APPROVED_BY_EXECUTIVE),
            "summary": render_to_string("evidence/partials/workspace_summary.html", context),
            "groups": workspace_cards(ws, can_edit=flags["can_edit"], can_review=flags["can_review"]),
        }

    # Everything computed from the agency's evidence, once per version of it (core.versions: the agency's
    # items, log, decisions, snapshots and findings, and any other write), language, the round's deadlines passed
    # and the Bangkok day (``clock``: the deadline shown as passed or not; its countdown is filled in on every
    # request) and what the user may do; the forms (with their CSRF token) and the last check job are not.
    now = timezone.now()
    part = versions.cached("oit_workspace", (round.pk, agency.pk, _lang(), clock(round, now), sorted(flags.items())),
                           [f"agency:{agency.pk}"], compute)
    part = {**part, "summary": fill_countdowns(part["summary"], now)}
    return render(request, "evidence/workspace.html", {
        "round": round, "agency": agency, "roles": roles, **flags, **part,
        "last_job": reads.last_job(round.pk, agency.pk),
    })


@login_required
def item(request, round_id, agency_id, code):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    codes = [ref.item["code"] for ref in selectors.oit_refs(round)]
    if code not in codes:
        raise Http404
    roles = workflow.roles_for(request.user, agency)
    form = None
    if request.method == "POST":  # a saved form goes back to the page: the page is built only when shown here
        if workflow.Role.EDITOR not in roles:
            raise PermissionDenied
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                saved, changed = services.save_item(
                    actor=request.user, round=round, agency=agency, item_code=code,
                    answer=form.cleaned_data["answer"], urls=form.cleaned_data["urls"],
                    explanation=form.cleaned_data["explanation"], revision=form.cleaned_data["revision"])
            except ValidationError as exc:  # a TransitionRefused too
                _refused(request, exc)
            else:
                outside = selectors.off_domain_urls(form.cleaned_data["urls"], agency.website or None)
                if outside:
                    messages.warning(request, _(
                        "Saved, but not on the agency's main website (%(domain)s): %(where)s. Assessors may not "
                        "accept it.") % {"domain": agency.website, "where": ", ".join(w for _u, w in outside)})
                if changed:
                    msg = _("Saved item %(code)s.") % {"code": code}
                    if saved.state_before != State.DRAFT:  # read and locked by the save itself
                        msg += " " + _("It is a draft again: the executive approves it again before it is sent.")
                    messages.success(request, msg)
                else:
                    messages.info(request, _("Nothing changed in item %(code)s.") % {"code": code})
                position = codes.index(code)
                if "next" in request.POST and position + 1 < len(codes):
                    return redirect("evidence:item", round_id=round.pk, agency_id=agency.pk, code=codes[position + 1])
                return redirect("evidence:item", round_id=round.pk, agency_id=agency.pk, code=code)
    page = _item_page(round, agency, code)
    row = page.row
    if not row.findings and not row.alerts and not any(e.decision or e.findings for e in row.elements):
        # the framework's elements alone, as on the workspace: rendered once per item and language in this process
        row.elements_html = _plain_elements(tuple((e.code, e.text) for e in row.elements), _lang())
    if form is None:
        form = ItemForm(initial={"answer": row.item.answer, "urls": "\n".join(row.item.urls),
                                 "explanation": row.item.explanation, "revision": row.item.revision})
    return render(request, "evidence/item.html", {
        "round": round, "agency": agency, "row": row, "form": form, "roles": roles,
        "can_edit": workflow.allowed(row.item.state, Action.EDIT, roles) is not None,
        "is_editor": workflow.Role.EDITOR in roles,
        "can_withdraw": row.saved and workflow.allowed(row.item.state, Action.WITHDRAW, roles) is not None,
        "can_review": workflow.Role.REVIEWER in roles and row.saved,
        "previous": page.previous, "next": page.next,
        "history": page.history, "snapshots": page.snapshots,
        "lang": _lang(),
        "main_domain": registered_domain(agency.website) if agency.website else "",
        "offsite": selectors.off_domain_urls(_typed_urls(form), agency.website or None),
        **_form_parts(form),
    })


@lru_cache(maxsize=32)
def _answer_choices(value, language: str) -> str:
    """The item form's answer as radio buttons, rendered by the form's own widget once per process for each
    answer shown and language (they depend on nothing else: the answer's name, id and choices are fixed)."""
    return render_to_string("evidence/partials/answer_choices.html",
                            {"field": ItemForm(initial={"answer": value})["answer"]})


def _form_parts(form) -> dict:
    """What item.html shows of the form without rendering its widgets on every request: the answer's radio
    buttons (kept per answer and language; rendered afresh when the answer has an error, which marks them
    ``aria-invalid``) and the revision's value as its hidden input gives it."""
    answer, revision = form["answer"], form["revision"]
    value = answer.value()
    kept = not answer.errors and (value is None or isinstance(value, str))
    return {"answer_choices": (_answer_choices(value, get_language() or "") if kept else
                               render_to_string("evidence/partials/answer_choices.html", {"field": answer})),
            "revision": revision.field.widget.format_value(revision.value())}


def _typed_urls(form) -> list[str]:
    """The URLs in the form as typed (a form sent back with errors shows what was typed)."""
    return [line.strip() for line in str(form["urls"].value() or "").split() if line.strip()]


@login_required
@require_POST
def withdraw(request, round_id, agency_id, code):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    roles = workflow.roles_for(request.user, agency)
    if not roles & {workflow.Role.EDITOR, workflow.Role.EXECUTIVE}:
        raise PermissionDenied
    item = EvidenceItem.objects.filter(round=round, agency=agency, item_code=code).first()
    if item is None:
        messages.error(request, _("Item %(code)s has no data yet.") % {"code": code})
        return redirect("evidence:item", round_id=round.pk, agency_id=agency.pk, code=code)
    return run_service(request, lambda: services.withdraw_item(actor=request.user, item=item,
                                                               comment=request.POST.get("comment", "")),
                       success=_("Item %(code)s was taken back and is a draft again.") % {"code": code},
                       redirect_to=reverse("evidence:item", kwargs={"round_id": round.pk, "agency_id": agency.pk,
                                                                    "code": code}), sep="; ")


@login_required
def approve(request, round_id, agency_id):
    """The executive's page: approve the drafted items (all ready ones, or those chosen) and send them
    to the supervising offices for pre-review."""
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "approve_evidence", agency)
    if request.method == "POST":
        comment = request.POST.get("comment", "")
        everything = request.POST.get("all") == "1"
        if request.POST.get("submit", "") == "1":  # approved and sent in one transaction, which picks the ready
            try:                                   # drafts from the rows it locks (a refused sending: approved)
                approved, sent = services.approve_and_submit(
                    actor=request.user, round=round, agency=agency, ready_only=True, comment=comment,
                    items=None if everything else request.POST.getlist("item"))
            except services.NothingToApprove:
                messages.error(request, _("Choose at least one item to approve."))
                return redirect("evidence:approve", round_id=round.pk, agency_id=agency.pk)
            except ValidationError as exc:  # a TransitionRefused too
                _refused(request, exc)
                return redirect("evidence:approve", round_id=round.pk, agency_id=agency.pk)
            messages.success(request, _("Approved %(n)s items.") % {"n": len(approved)})
            if isinstance(sent, ValidationError):
                _refused(request, sent)
            else:
                messages.success(request, _("Sent %(n)s items to the supervising offices for pre-review.") % {
                    "n": len(sent)})
            return redirect("evidence:workspace", round_id=round.pk, agency_id=agency.pk)
        approvable = selectors.approvable_codes(round, agency)
        chosen = approvable if everything else [c for c in request.POST.getlist("item") if c in approvable]
        if not chosen:
            messages.error(request, _("Choose at least one item to approve."))
            return redirect("evidence:approve", round_id=round.pk, agency_id=agency.pk)
        try:
            services.approve_items(actor=request.user, round=round, agency=agency, items=chosen, comment=comment)
        except ValidationError as exc:  # a TransitionRefused too
            _refused(request, exc)
            return redirect("evidence:approve", round_id=round.pk, agency_id=agency.pk)
        messages.success(request, _("Approved %(n)s items.") % {"n": len(chosen)})
        return redirect("evidence:workspace", round_id=round.pk, agency_id=agency.pk)
    rows = selectors.approval_rows(round, agency)  # the workspace's rows without what this page does not show
    drafts = [r for r in rows if r.saved and r.item.state == State.DRAFT]
    _approval_links(drafts, round, agency)
    return render(request, "evidence/approve.html", {
        "round": round, "agency": agency,
        "drafts": drafts,
        "problem_rows": [r for r in drafts if r.offsite or r.digest.problems],
        "not_started": [r for r in rows if not r.saved],
        "waiting_submission": [r for r in rows if r.saved and r.item.state == State.APPROVED_BY_EXECUTIVE],
        "offices": selectors.offices_for_page(agency),
    })


def _approval_links(rows, round, agency) -> None:
    """The approval table's item links made once per page (``core.links``) and its answer badges rendered once
    for each answer the rows have, as the workspace's are (:func:`_workspace_links`)."""
    link = links_filler("evidence:item", ["code"], round_id=round.pk, agency_id=agency.pk)
    answers = {}
    for row in rows:
        item = row.item
        if item.answer not in answers:
            answers[item.answer] = render_to_string("evidence/partials/answer.html", {"item": item})
        row.item_url = link(row.code)
        row.answer_html = answers[item.answer]


def _submit(request, round, agency, comment="") -> None:
    codes = list(EvidenceItem.objects.filter(round=round, agency=agency, state=State.APPROVED_BY_EXECUTIVE)
                 .values_list("item_code", flat=True))
    if not codes:
        messages.info(request, _("No item approved by the executive is waiting to be sent."))
        return
    try:
        services.submit_items(actor=request.user, round=round, agency=agency, items=codes, comment=comment)
    except ValidationError as exc:  # a TransitionRefused too
        _refused(request, exc)
    else:
        messages.success(request, _("Sent %(n)s items to the supervising offices for pre-review.") % {"n": len(codes)})


@login_required
@require_POST
def submit(request, round_id, agency_id):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    if not workflow.roles_for(request.user, agency) & {workflow.Role.EDITOR, workflow.Role.EXECUTIVE}:
        raise PermissionDenied
    _submit(request, round, agency, request.POST.get("comment", ""))
    return redirect("evidence:workspace", round_id=round.pk, agency_id=agency.pk)


# ------------------------------------------------------------------------------------------ office side


def _queue_page(request, round, items, count, now):
    """One page of a review queue (the oldest first; ``?page=N``) and its rows. ``items``: the queue's rows in
    one state (``selectors.queue_items`` or ``selectors.OfficeQueueItems``); ``count``: how many there are
    (``selectors.state_counts``, the same filter), so that the paginator needs no COUNT of its own."""
    paginator = Paginator(items, selectors.QUEUE_PAGE_SIZE)
    paginator.count = count  # a cached_property: set, it is not asked of the database
    page = paginator.get_page(request.GET.get("page"))
    return page, selectors.queue_rows(round, page, now)


@login_required
def queue(request, round_id, office_id):
    round = round_or_404(round_id)
    office = _office_for(request, round, office_id)
    state = request.GET.get("state", State.SUBMITTED)
    if state not in (State.SUBMITTED, State.RETURNED, State.APPROVED):
        state = State.SUBMITTED
    scope = access.scope_for(request.user)
    can_review = office.pk in scope.office_ids
    now = timezone.now()
    today = to_bangkok(now).date()

    def compute():
        # Who may see an office's queue (``view_review_queue``: its members, the secretariat of its province,
        # superusers) sees every agency the office follows (``access.agencies_for`` holds them all: the
        # office's own rules, or the whole province), so the office's rules alone filter the items.
        counts = selectors.state_counts(round, office)
        page, rows = _queue_page(request, round, selectors.OfficeQueueItems(round, office, state), counts[state], now)
        html = render_to_string("evidence/partials/queue_body.html", {
            "round": round, "rows": rows, "page": page,
            "query": urlencode({"state": state}), "state": state, "counts": counts, "can_review": can_review,
            "states": [(State.SUBMITTED, State.SUBMITTED.label), (State.RETURNED, State.RETURNED.label),
                       (State.APPROVED, State.APPROVED.label)],
        }, request=request)
        return counts, html, selectors.oit_milestone(round)

    # The tabs and the page of rows, once per version of the round's items past the agencies' drafts
    # (core.versions; an agency saving a draft does not change a queue; the offices' rules are data, whose
    # writes give new versions), language, day in Bangkok (the rows' ages are Bangkok calendar days,
    # ``selectors.age_days``: they change at midnight, not in between), whether the user reviews for the office,
    # and the page asked for. Not who the user is: everyone who may open the queue (checked above) sees the
    # same rows, the office's.
    counts, body, milestone = versions.cached("oit_queue", (
        round.pk, office.pk, can_review, state, request.GET.get("page", ""), _lang(), today,
    ), [review_scope(round.pk)], compute)
    return render(request, "evidence/queue.html", {
        "round": round, "office": office, "body": body, "counts": counts, "milestone": milestone,
        "can_manage_examples": access.can(request.user, "manage_examples", office),
    })


@login_required
def queues(request, round_id):
    round = round_or_404(round_id)
    access.require(request.user, "view_province", round.province)
    agencies = access.agencies_for(request.user).filter(province_id=round.province_id)
    counts = selectors.state_counts(round, agencies)
    now = timezone.now()
    page, rows = _queue_page(request, round, selectors.queue_items(round, agencies, states=[State.SUBMITTED]),
                             counts[State.SUBMITTED], now)
    return render(request, "evidence/queues.html", {
        "round": round, "offices": selectors.all_queues(round, now), "rows": rows,
        "page": page, "query": "", "milestone": selectors.oit_milestone(round), "counts": counts,
    })


def _decision_rows(row: selectors.ItemRow, data=None):
    """Per required element: its text, the reviewer's decision (posted or stored), findings."""
    result = []
    for el in row.elements:
        decided = el.decision
        value = (data.get(f"decision-{el.code}", "") if data is not None else (decided.decision if decided else ""))
        note = (data.get(f"comment-{el.code}", "") if data is not None else (decided.comment if decided else ""))
        result.append({"element": el, "value": value, "note": note})
    return result


@login_required
def review(request, round_id, agency_id, code):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "review_evidence", agency)
    data = None
    if request.method == "POST":  # the page is built only when shown (a refusal shows it again: it wrote nothing)
        ref = next((r for r in selectors.oit_refs(round) if r.item["code"] == code), None)
        if ref is None:
            raise Http404
        data = request.POST
        outcome = {"approve": services.Outcome.APPROVE, "return": services.Outcome.RETURN}.get(
            request.POST.get("outcome", ""))
        decisions = {c: (request.POST.get(f"decision-{c}", ""), request.POST.get(f"comment-{c}", ""))
                     for c in (el["code"] for el in ref.item.get("elements") or [])}
        try:  # the item is read (and locked) by the review itself
            services.review_item(actor=request.user, item=EvidenceItem(round=round, agency=agency, item_code=code),
                                 decisions=decisions, outcome=outcome, comment=request.POST.get("comment", ""))
        except EvidenceItem.DoesNotExist:
            raise Http404("no data for this item yet") from None
        except ValidationError as exc:  # a TransitionRefused too
            _refused(request, exc)
        else:
            if outcome == services.Outcome.APPROVE:
                messages.success(request, _("Item %(code)s passed the pre-review.") % {"code": code})
            elif outcome == services.Outcome.RETURN:
                messages.success(request, _("Item %(code)s was returned to the agency.") % {"code": code})
            else:
                messages.success(request, _("Decisions saved."))
            back = request.POST.get("back", "")
            if outcome and back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                                     require_https=request.is_secure()):
                return redirect(back)
            return redirect("evidence:review", round_id=round.pk, agency_id=agency.pk, code=code)
    page = _item_page(round, agency, code)
    row = page.row
    roles = workflow.roles_for(request.user, agency)
    open_actions = workflow.actions_for(row.item.state, roles) if row.saved else set()
    scope = access.scope_for(request.user)
    # the reviewer's first office (in the offices' order, as following_offices gives them) that follows the agency
    office = next((o for o in selectors.offices_for_page(agency)
                   if o.pk in scope.office_ids and o.province_id == round.province_id), None)
    return render(request, "evidence/review.html", {
        "round": round, "agency": agency, "row": row, "decision_rows": _decision_rows(row, data),
        "choices": DECISION_CHOICES, "comment": data.get("comment", "") if data is not None else "",
        "can_decide": Action.REVIEW_RETURN in open_actions, "can_pass": Action.REVIEW_APPROVE in open_actions,
        "history": page.history, "snapshots": page.snapshots, "lang": _lang(),
        "back": reverse("evidence:queue", args=[round.pk, office.pk]) if office else "",
    })


@login_required
def examples(request, round_id, office_id):
    round = round_or_404(round_id)
    office = _office_for(request, round, office_id)
    can_manage = access.can(request.user, "manage_examples", office)
    refs = selectors.oit_refs(round)
    items = [(ref.item["code"], selectors.title_of(ref)) for ref in refs]
    form = ExampleForm(items=items)
    if request.method == "POST":
        access.require(request.user, "manage_examples", office)
        if (repeat := once.repeat_response(request)) is not None:  # the same example sent again
            return repeat
        form = ExampleForm(request.POST, items=items)
        if form.is_valid():
            here = reverse("evidence:examples", args=[round.pk, office.pk])
            try:
                made, _url = once.create_once(request, lambda: services.save_example(
                    actor=request.user, round=round, office=office, item_code=form.cleaned_data["item_code"],
                    text=form.cleaned_data["text"], url=form.cleaned_data["url"]), lambda _made: here)
            except ValidationError as exc:
                _refused(request, exc)
            else:
                if made is None:  # a copy that arrived while the first was being saved
                    return once.repeat_response(request) or redirect(here)
                messages.success(request, _("Example added to item %(code)s.") % {"code": form.cleaned_data["item_code"]})
                return redirect(here)
    by_item = {}
    for ex in ItemExample.objects.filter(round=round, office=office).select_related("created_by"):
        by_item.setdefault(ex.item_code, []).append(ex)
    return render(request, "evidence/examples.html", {
        "round": round, "office": office, "form": form, "can_manage": can_manage,
        "rows": [(code, title, by_item.get(code, [])) for code, title in items],
    })


@login_required
@require_POST
def example_delete(request, round_id, office_id, example_id):
    round = round_or_404(round_id)
    office = _office_for(request, round, office_id, action="manage_examples")
    example = get_object_or_404(ItemExample, pk=example_id, round=round, office=office)
    services.delete_example(actor=request.user, example=example)
    messages.success(request, _("Example removed."))
    return redirect("evidence:examples", round_id=round.pk, office_id=office.pk)


# ------------------------------------------------------------------------------------------ automatic checks


def _start_check(request, round, **target) -> HttpResponse:
    job, created = services.request_check(actor=request.user, round=round, **target)
    if not created:
        messages.info(request, _("A check of the same evidence is already waiting or running: here is its progress."))
    return redirect("evidence:job", round_id=round.pk, job_id=job.pk)


@login_required
@require_POST
def check_agency(request, round_id, agency_id):
    """Check an agency's evidence URLs now (``code`` in the form: one item only)."""
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "run_check", agency)
    code = request.POST.get("code", "")
    if code:
        item = EvidenceItem.objects.filter(round=round, agency=agency, item_code=code).first()
        if item is None or not item.urls:
            messages.error(request, _("Item %(code)s has no URL to check.") % {"code": code})
            return redirect("evidence:item", round_id=round.pk, agency_id=agency.pk, code=code)
        return _start_check(request, round, scope=CheckJob.Scope.ITEM, agency=agency, item=item)
    return _start_check(request, round, scope=CheckJob.Scope.AGENCY, agency=agency)


@login_required
@require_POST
def check_office(request, round_id, office_id):
    round = round_or_404(round_id)
    office = _office_for(request, round, office_id, action="run_check")
    return _start_check(request, round, scope=CheckJob.Scope.OFFICE, office=office)


@login_required
@require_POST
def check_province(request, round_id):
    round = round_or_404(round_id)
    access.require(request.user, "run_check", round.province)
    return _start_check(request, round, scope=CheckJob.Scope.PROVINCE)


@login_required
def job(request, round_id, job_id):
    """A check job's progress bar and log (the page polls itself with htmx while the job runs)."""
    round = round_or_404(round_id)
    job = get_object_or_404(CheckJob.objects.select_related("agency", "office", "item", "requested_by"),
                            pk=job_id, round=round)
    if job.agency_id:
        participant_or_404(request.user, round, job.agency_id)
        access.require(request.user, "run_check", job.agency)
    elif job.office_id:
        access.require(request.user, "run_check", job.office)
    else:
        access.require(request.user, "run_check", round.province)
    context = {"round": round, "job": job, "log": list(reversed(job.log))[:200]}
    if getattr(request, "htmx", False):
        return render(request, "evidence/partials/job_progress.html", context)
    return render(request, "evidence/job.html", context)


# ------------------------------------------------------------------------------------------ exports, snapshots


@login_required
def export_xlsx(request, round_id, agency_id):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "view_evidence", agency)
    headers, rows = exports.table(selectors.workspace(round, agency))
    response = HttpResponse(content_type=XLSX)
    downloads.attach(response, downloads.download_name(f"oit-{round.fiscal_year}-{agency.pk}", "xlsx"))
    write_table(response, headers, rows, "xlsx")
    return response


@login_required
def export_pdf(request, round_id, agency_id):
    """The same list as the XLSX, as a Thai PDF made on the server (Laksaman, A4 landscape)."""
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "view_evidence", agency)
    data = exports.pdf_data(selectors.workspace(round, agency), now=timezone.now())
    response = HttpResponse(pdf.render("oit-evidence.typ", data), content_type="application/pdf")
    downloads.attach(response, downloads.download_name(f"oit-{round.fiscal_year}-{agency.pk}", "pdf"))
    return response


@login_required
def print_view(request, round_id, agency_id):
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "view_evidence", agency)
    ws = selectors.workspace(round, agency)
    return render(request, "evidence/print.html", {"round": round, "agency": agency, "ws": ws,
                                                   "lines": exports.lines(ws), "now": timezone.now()})


def _snapshot_for(request, round_id, agency_id, snapshot_id) -> Snapshot:
    round = round_or_404(round_id)
    agency = participant_or_404(request.user, round, agency_id)
    access.require(request.user, "view_evidence", agency)
    return get_object_or_404(Snapshot.objects.select_related("item"), pk=snapshot_id, item__round=round,
                             item__agency=agency)


@login_required
def snapshot(request, round_id, agency_id, snapshot_id):
    snap = _snapshot_for(request, round_id, agency_id, snapshot_id)
    return render(request, "evidence/snapshot.html", {
        "round": snap.item.round, "agency": snap.item.agency, "snap": snap,
        "findings": snap.findings.order_by("id"),
    })


@login_required
def snapshot_file(request, round_id, agency_id, snapshot_id):
    """The stored copy, always as a download: fetched pages are never shown from our own site."""
    snap = _snapshot_for(request, round_id, agency_id, snapshot_id)
    if not snap.file:
        raise Http404
    try:
        handle = snap.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    suffix = snap.file.name.rsplit(".", 1)[-1] if "." in snap.file.name else "bin"
    response = FileResponse(handle, as_attachment=True, content_type="application/octet-stream",
                            filename=downloads.download_name(f"oit-{snap.item.item_code}", suffix, when=snap.taken_at))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

