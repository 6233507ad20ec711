"""Messages to the other side at each hand-off of the OIT workflow (always in Thai, BE dates):

* items submitted for pre-review → the officers and reviewers of every office that follows the agency
  (and the office's own address and LINE group): one digest per office listing the items;
* an item returned for correction, or passed → the agency's admins (and the agency's address).

Written to the notification outbox (``itadesk.notifications``) inside the workflow step's transaction; each
recipient gets their own copy, by e-mail or LINE as they chose, after the commit. A failure to send is retried
and never undoes the workflow step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from itadesk.accounts.models import OFFICE_ROLES, Membership
from itadesk.core.thai import format_countdown, format_date
from itadesk.evidence import reads, workflow
from itadesk.evidence.models import Decision, EvidenceItem
from itadesk.evidence.selectors import following_offices, oit_refs, read_oit_milestone
from itadesk.evidence.workflow import Action
from itadesk.notifications import services as notify_services
from itadesk.notifications.models import Kind
from itadesk.registry.models import Agency

DECISION_TH = {Decision.MET: "ครบถ้วน", Decision.NOT_MET: "ไม่ครบถ้วน", Decision.CANNOT_TELL: "ไม่สามารถระบุได้"}
UNKNOWN_TITLE_TH = "(ยังไม่ทราบชื่อข้อ)"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@dataclass
class Mail:
    subject: str
    text: str
    html: str
    users: list
    emails: list[str]
    link: str = ""
    office: object = None

    @property
    def recipients(self) -> list[str]:
        """The e-mail addresses (users' and the plain ones), as the messages go when everyone keeps e-mail."""
        emails, seen = [], set()
        for email in [(u.email or "").strip() for u in self.users] + [(e or "").strip() for e in self.emails]:
            if email and email.lower() not in seen:
                seen.add(email.lower())
                emails.append(email)
        return emails


def _queue(mails: list[Mail], kind: str, province_id) -> int:
    """Write the messages to the outbox (inside the caller's transaction); how many rows."""
    return len(notify_services.notify_all([
        notify_services.Send(notify_services.Message(kind=kind, subject=mail.subject, body=mail.text,
                                                     html=mail.html, link=mail.link),
                             tuple(mail.users), tuple(mail.emails), mail.office)
        for mail in mails], province=province_id))


def _titles(round) -> dict[str, str]:
    return {ref.item["code"]: _one_line(ref.item.get("text_th") or UNKNOWN_TITLE_TH) for ref in oit_refs(round)}


def _deadline(round) -> dict:
    milestone = read_oit_milestone(round)  # inside the writing transaction: not the kept one
    if milestone is None:
        return {}
    return {"deadline_name": _one_line(milestone.name_th), "deadline_th": format_date(milestone.deadline),
            "countdown_th": format_countdown(milestone.deadline - timezone.now())}


def _actor_name(actor) -> str:
    if actor is None:
        return "ระบบ"
    return actor.get_full_name() or actor.get_username()


def _render(name: str, context: dict) -> tuple[str, str]:
    with translation.override("th"):
        return (render_to_string(f"evidence/email/{name}.txt", context),
                render_to_string(f"evidence/email/{name}.html", context))


def submitted_mails(*, round_id, agency_id, item_ids, actor=None, items=None, offices=None) -> list[Mail]:
    """One digest per office that follows the agency: the agency submitted N items for pre-review. The
    submission hands over what it holds (``items`` with their round and agency, the following ``offices``);
    without them they are read."""
    if items is None:
        items = list(EvidenceItem.objects.filter(pk__in=item_ids).select_related("round", "agency"))
    if not items:
        return []
    round_, agency = items[0].round, items[0].agency
    titles = _titles(round_)
    order = list(titles)
    items = sorted(items, key=lambda i: (order.index(i.item_code) if i.item_code in order else len(order),
                                         i.item_code))
    lines = [{"code": i.item_code, "title": titles.get(i.item_code, UNKNOWN_TITLE_TH),
              "answer_th": "มี" if i.answer == "has" else "ไม่มี", "urls": i.urls} for i in items]
    offices = following_offices(agency) if offices is None else offices
    members: dict[int, list] = {office.pk: [] for office in offices}  # one query for every office
    for ms in (Membership.objects.filter(office__in=list(members), role__in=OFFICE_ROLES, user__is_active=True)
               .select_related("user").order_by("user_id")):
        members[ms.office_id].append(ms.user)
    if not offices:
        return []
    # the items' lines, the same in every office's digest: rendered once (``_submitted_lines``)
    text_lines, html_lines = _render("_submitted_lines", {"lines": lines})
    common = {"agency": agency, "round": round_, "lines_text": text_lines, "lines_html": mark_safe(html_lines),
              "count": len(lines), "actor": _actor_name(actor), "sent_on_th": format_date(timezone.now()),
              **_deadline(round_)}
    mails = []
    for office in offices:
        context = {**common, "office": office,
                   "queue_url": _site(reverse("evidence:queue", args=[round_.pk, office.pk]))}
        text, html = _render("submitted", context)
        subject = (f"[ITA Desk] {_one_line(agency.name_th)} ส่งข้อมูล OIT ให้ตรวจ {len(lines)} ข้อ "
                   f"({_one_line(round_.name)})")
        mails.append(Mail(subject, text, html, members[office.pk], [office.email],
                          link=context["queue_url"], office=office))
    return mails


def queue_submitted(*, round_id, agency_id, item_ids, actor=None, items=None, offices=None) -> int:
    """Inside the submission's transaction: the offices' digests into the outbox."""
    mails = submitted_mails(round_id=round_id, agency_id=agency_id, item_ids=item_ids, actor=actor, items=items,
                            offices=offices)
    province_id = (items[0].agency.province_id if items else
                   Agency.objects.values_list("province_id", flat=True).get(pk=agency_id))
    return _queue(mails, Kind.OIT_SUBMITTED, province_id)


def reviewed_mails(*, item_id, action, actor=None, item=None, decisions=None, comment=None) -> list[Mail]:
    """To the agency's admins: an item was returned for correction, or passed the pre-review. The review
    hands over what it holds (``item`` with its round and agency, its element ``decisions``, its ``comment``);
    without them they are read."""
    if item is None:
        item = EvidenceItem.objects.select_related("round", "agency").get(pk=item_id)

    ref = next((r for r in oit_refs(item.round) if r.item["code"] == item.item_code), None)
    elements = {e["code"]: _one_line(e.get("text_th") or e["code"]) for e in (ref.item.get("elements") or [])} \
        if ref else {}
    decisions = [{"code": d.element_code, "text": elements.get(d.element_code, d.element_code),
                  "decision_th": DECISION_TH.get(d.decision, d.decision), "comment": d.comment,
                  "met": d.decision == Decision.MET}
                 for d in (item.decisions.all() if decisions is None else decisions) if d.element_code in elements]
    decisions.sort(key=lambda d: list(elements).index(d["code"]))
    if comment is None:
        event = item.events.filter(action=action).order_by("-at", "-id").first()
        comment = event.comment if event else ""
    returned = action == Action.REVIEW_RETURN
    admins = reads.agency_admins(item.agency_id)
    title = _one_line((ref.item.get("text_th") if ref else None) or UNKNOWN_TITLE_TH)
    context = {
        "item": item, "agency": item.agency, "round": item.round, "title": title, "returned": returned,
        "comment": comment, "reviewer": _actor_name(actor), "decisions": decisions,
        "state_th": workflow.STATE_TH[item.state], "sent_on_th": format_date(timezone.now()),
        "item_url": _site(reverse("evidence:item", args=[item.round_id, item.agency_id, item.item_code])),
        **_deadline(item.round),
    }
    text, html = _render("reviewed", context)
    verdict = "ส่งกลับให้แก้ไข" if returned else "ผ่านการตรวจ"
    subject = f"[ITA Desk] ข้อ OIT {item.item_code} {verdict} – {_one_line(item.agency.name_th)}"
    return [Mail(subject, text, html, admins, [item.agency.email], link=context["item_url"])]


def queue_reviewed(*, item_id, action, actor=None, item=None, decisions=None, comment=None) -> int:
    """Inside the review's transaction: the agency's message into the outbox."""
    mails = reviewed_mails(item_id=item_id, action=action, actor=actor, item=item, decisions=decisions,
                           comment=comment)
    province_id = (item.agency.province_id if item is not None else
                   EvidenceItem.objects.values_list("agency__province_id", flat=True).get(pk=item_id))
    return _queue(mails, Kind.OIT_REVIEWED, province_id)
