"""Notification pages: my preferences, my LINE link and my messages; the province's outbox and LINE settings
(secretariat); an office's LINE group; and the LINE webhook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.core.views import run_service
from itadesk.notifications import delivery, line, services, webhook
from itadesk.notifications.forms import LineAccountForm, PreferencesForm
from itadesk.notifications.models import Channel, Kind, LineAccount, LineLink, LinkCode, Notification, State
from itadesk.registry.models import SupervisingOffice

PROBLEMS = "problems"


def _line_province(user):
    """The province whose LINE Official Account the user links to: the first of the user's provinces that has
    one set up (None when none has)."""
    ids = sorted(access.province_ids_for(user))
    account = (LineAccount.objects.filter(province_id__in=ids).exclude(channel_secret="").exclude(access_token="")
               .select_related("province").order_by("province_id").first())
    return account.province if account else None


def _usage(province):
    account = LineAccount.objects.filter(province=province).first()
    used = delivery.pushes_this_month(province.pk)
    waiting = Notification.objects.filter(province=province, channel=Channel.LINE, state=State.QUEUED).count()
    quota = account.monthly_quota if account else 0
    return {"account": account, "used": used, "quota": quota, "waiting": waiting,
            "reached": account is not None and used >= quota,
            "percent": min(100, round(100 * used / quota)) if quota else 100}


@login_required
def mine(request):
    user = request.user
    choices = services.choices_for(user)
    form = PreferencesForm(request.POST or None, initial_choices=choices)
    if request.method == "POST" and form.is_valid():
        response = run_service(request, lambda: services.set_preferences(actor=user, user=user,
                                                                         choices=form.cleaned_data),
                               success=_("Your notification choices are saved."), redirect_to="notifications:mine",
                               form=form)
        if response is not None:
            return response
    now = timezone.now()
    rows = Notification.objects.filter(user=user).order_by("-created_at", "-id")[:50]
    return render(request, "notifications/mine.html", {
        "form": form, "links": LineLink.objects.filter(user=user).select_related("province"),
        "code": LinkCode.objects.filter(user=user, expires_at__gt=now).first(),
        "line_province": _line_province(user), "rows": rows,
        "can_manage": access.can(user, "manage_notifications"),
    })


@login_required
@require_POST
def line_code(request):
    province = _line_province(request.user)
    if province is None:
        messages.error(request, _("Your province has not set up its LINE Official Account yet."))
        return redirect("notifications:mine")
    services.make_link_code(actor=request.user, province=province, user=request.user)
    return redirect(reverse("notifications:mine") + "#line")


@login_required
@require_POST
def line_unlink(request):
    links = list(LineLink.objects.filter(user=request.user))
    for link in links:
        services.unlink(actor=request.user, link=link)
    if links:
        messages.success(request, _("LINE is no longer linked to your account."))
    return redirect(reverse("notifications:mine") + "#line")


@login_required
def outbox(request):
    province = access.province_to_work_on(request, "manage_notifications")
    qs = Notification.objects.filter(province=province).select_related("user", "office")
    counts = dict(qs.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    state = request.GET.get("state", PROBLEMS)
    if state == PROBLEMS:
        qs = qs.filter(Q(state=State.FAILED) | Q(state=State.QUEUED))
    elif state in State.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-created_at", "-id"), 100).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {
        "province": province, "page": page, "state": state, "kind": kind, "kinds": Kind.choices,
        "counts": {s: counts.get(s, 0) for s in State.values}, "states": State.choices, **_usage(province),
    })


@login_required
@require_POST
def retry(request, notification_id):
    n = get_object_or_404(Notification, pk=notification_id)
    if n.user_id != request.user.pk:  # one's own messages, or the secretariat of their province
        access.require(request.user, "retry_notification", n)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("notifications:mine")
    return run_service(request, lambda: services.retry_now(actor=request.user, notification=n),
                       success=_("The message is queued to be sent again."), redirect_to=back)


@login_required
def line_settings(request):
    province = access.province_to_work_on(request, "manage_notifications")
    account = LineAccount.objects.filter(province=province).first()
    form = LineAccountForm(request.POST or None, initial={"monthly_quota": account.monthly_quota if account else 300})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_service(
            request, lambda: services.save_line_account(
                actor=request.user, province=province, channel_secret=data["channel_secret"],
                access_token=data["access_token"], monthly_quota=data["monthly_quota"], clear=data["clear"]),
            success=_("The LINE settings are saved."),
            redirect_to=reverse("notifications:line_settings") + f"?province={province.pk}", form=form)
        if response is not None:
            return response
    return render(request, "notifications/line_settings.html", {
        "province": province, "form": form,
        "secret_mask": services.mask(account.channel_secret) if account else "",
        "token_mask": services.mask(account.access_token) if account else "",
        "webhook_url": services.site_url(reverse("line:webhook")),
        "user_links": LineLink.objects.filter(province=province, user__isnull=False).count(),
        "group_links": LineLink.objects.filter(province=province, office__isnull=False).select_related("office"),
        **_usage(province),
    })


def _office_for(request, office_id):
    office = get_object_or_404(SupervisingOffice.objects.select_related("province"), pk=office_id)
    access.require(request.user, "link_office_line", office)
    return office


@login_required
def office_line(request, office_id):
    office = _office_for(request, office_id)
    account = LineAccount.objects.filter(province_id=office.province_id).first()
    return render(request, "notifications/office_line.html", {
        "office": office, "ready": bool(account and account.ready),
        "link": LineLink.objects.filter(office=office).first(),
        "code": LinkCode.objects.filter(office=office, expires_at__gt=timezone.now()).first(),
    })


@login_required
@require_POST
def office_line_code(request, office_id):
    office = _office_for(request, office_id)
    account = LineAccount.objects.filter(province_id=office.province_id).first()
    if not (account and account.ready):
        messages.error(request, _("Your province has not set up its LINE Official Account yet."))
    else:
        services.make_link_code(actor=request.user, province=office.province, office=office)
    return redirect("notifications:office_line", office.pk)


@login_required
@require_POST
def office_line_unlink(request, office_id):
    office = _office_for(request, office_id)
    for link in LineLink.objects.filter(office=office):
        services.unlink(actor=request.user, link=link)
    messages.success(request, _("The LINE group is no longer linked to the office."))
    return redirect("notifications:office_line", office.pk)


@csrf_exempt
@require_POST
def line_webhook(request):
    """LINE's webhook: the body must be signed (X-Line-Signature) with a province's channel secret."""
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return HttpResponseBadRequest("bad body")
    signature = request.headers.get("X-Line-Signature", "")
    account = webhook.account_for(body, signature)
    if account is None:
        return HttpResponseBadRequest("bad signature")
    try:
        events = line.parse_events(account.channel_secret, body, signature)
    except ValueError:
        return HttpResponseBadRequest("bad body")
    webhook.handle(account, events)
    return HttpResponse("OK")

