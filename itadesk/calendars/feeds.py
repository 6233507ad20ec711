"""What a calendar feed holds, scoped exactly as the pages are (``accounts.access``), and the feed itself.

Three kinds of entries, one query each (events: one more for their sessions), and one query on the history
for every entry's SEQUENCE (changes recorded since it was made) and LAST-MODIFIED:

- **deadlines** — the milestones of the current round(s), at their deadline (17:00 Bangkok as the rounds set
  them), with reminders ``ITADESK_CALENDAR_ALARM_DAYS`` days before (7 and 1 by default);
- **committee meetings** — date, time, place, online link (only for whoever may open the meeting's page:
  the secretariat and the supervising offices of its province; agency users see none);
- **events** of improvement projects (workshops, coaching) with their programme — those the feed's owner
  runs, speaks at or is invited to.

Per kind of feed:

========  ==============================================  ===================  =================================
feed      deadlines                                       meetings             events
========  ==============================================  ===================  =================================
user      rounds of the provinces where the user is the   the provinces the    secretariat: every event of the
          secretariat or in an office; rounds the user's  user's secretariat   province; office: events of its
          agencies take part in                           and office roles     projects or where it speaks;
                                                          are in               agency admin: events its agency
                                                                               is invited to
office    the rounds of the office's province             its province         as the office above
agency    the rounds the agency takes part in             none                 invited to, or registered for
========  ==============================================  ===================  =================================

A superuser's personal feed has everything. The feed is in Thai: a calendar application asks without a
language, and the people it is for read Thai.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from itadesk.accounts import access
from itadesk.accounts.access import predicates
from itadesk.calendars import ical
from itadesk.calendars.models import CalendarFeed
from itadesk.committee.models import Meeting
from itadesk.core.models import AuditEvent
from itadesk.core.thai import format_date
from itadesk.cycles.models import Milestone, Participation
from itadesk.cycles.rounds import landings
from itadesk.projects.models import Event, Invitation, Registration, Session

PAST = dt.timedelta(days=180)  # meetings and events this far back stay in the feed
MEETING_HOURS = 2  # a meeting whose closing time is not recorded is shown this long
ALL = object()  # no restriction (superusers)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "itadesk"


def _uid(kind: str, pk: int) -> str:
    return f"itadesk-{kind}-{pk}@{_host()}"


def _hhmm(value: dt.datetime | dt.time) -> str:
    return f"{value:%H.%M}"


def _alarm_days() -> tuple[dt.timedelta, ...]:
    return tuple(dt.timedelta(days=d) for d in settings.ITADESK_CALENDAR_ALARM_DAYS)


def reminders_text() -> str:
    """How the feeds remind of a deadline, as the setting says: "with reminders 7 days and 1 day before"."""
    days = sorted(set(settings.ITADESK_CALENDAR_ALARM_DAYS), reverse=True)
    if not days:
        return _("without reminders")
    parts = [ngettext("%(n)s day", "%(n)s days", d) % {"n": d} for d in days]
    listed = parts[0] if len(parts) == 1 else _("%(first)s and %(last)s") % {
        "first": ", ".join(parts[:-1]), "last": parts[-1]}
    return _("with reminders %(days)s before") % {"days": listed}


# --- who sees what ---------------------------------------------------------------------------------

class Audience:
    """The three filters of one feed: on Milestone, Meeting and Event (``ALL`` or a ``Q``; None: nothing)."""

    def __init__(self, milestones, meetings, events):
        self.milestones, self.meetings, self.events = milestones, meetings, events


def _rounds_of_agencies(agency_ids) -> Q:
    return Q(round_id__in=Participation.objects.filter(agency_id__in=agency_ids).values("round_id"))


def _events_of_offices(office_ids) -> Q:
    return (Q(project__owner_office_id__in=office_ids)
            | Q(pk__in=Session.objects.filter(speaker_office_id__in=office_ids).values("event_id")))


def _events_of_agencies(agency_ids) -> Q:
    return (Q(pk__in=Invitation.objects.filter(agency_id__in=agency_ids).values("event_id"))
            | Q(pk__in=Registration.objects.filter(agency_id__in=agency_ids).values("event_id")))


def audience(feed: CalendarFeed) -> Audience:
    if feed.kind == CalendarFeed.Kind.OFFICE:
        office = feed.office
        return Audience(Q(round__province_id=office.province_id), Q(province_id=office.province_id),
                        _events_of_offices([office.pk]))
    if feed.kind == CalendarFeed.Kind.AGENCY:
        return Audience(_rounds_of_agencies([feed.agency_id]), None, _events_of_agencies([feed.agency_id]))
    scope = access.scope_for(feed.user)
    if scope.superuser:
        return Audience(ALL, ALL, ALL)
    office_provinces = {scope.office_province[o] for o in scope.office_ids}
    provinces = scope.province_ids | office_provinces
    milestones = Q(round__province_id__in=provinces) | _rounds_of_agencies(scope.agency_ids)
    meetings = Q(province_id__in=provinces) if provinces else None
    events = (Q(project__province_id__in=scope.province_ids) | _events_of_offices(scope.office_ids)
              | _events_of_agencies(predicates.admin_agencies(scope)))
    return Audience(milestones if scope.is_anyone else None, meetings, events if scope.is_anyone else None)


def _filtered(qs, condition):
    if condition is None:
        return qs.none()
    return qs if condition is ALL else qs.filter(condition)


# --- entries ---------------------------------------------------------------------------------------

def _milestone_links(feed: CalendarFeed, milestones) -> dict[int, str]:
    """Round id → the page a deadline links back to."""
    rounds = {m.round_id: m.round for m in milestones}
    if feed.kind == CalendarFeed.Kind.OFFICE:
        return {r: reverse("office_dashboard", args=[r, feed.office_id]) for r in rounds}
    if feed.kind == CalendarFeed.Kind.AGENCY:
        return {r: reverse("agency_progress", args=[r, feed.agency_id]) for r in rounds}
    found = landings(feed.user, rounds.values()) if rounds else {}
    return {r: found.get(r) or reverse("home") for r in rounds}


def deadline_entries(feed: CalendarFeed, audience_: Audience) -> list[tuple[object, ical.Entry]]:
    milestones = list(_filtered(Milestone.objects.filter(round__is_current=True), audience_.milestones)
                      .select_related("round"))
    links = _milestone_links(feed, milestones)
    alarms = _alarm_days()
    entries = []
    for m in milestones:
        url = _absolute(links[m.round_id])
        lines = [f"{m.round.name}: {m.name_th}", f"กำหนดส่ง {format_date(m.deadline)}"]
        if m.opens_at:
            lines.append(f"เริ่มดำเนินการได้ {format_date(m.opens_at)}")
        if m.description:
            lines += ["", m.description]
        lines += ["", f"ดูความคืบหน้าใน ITA Desk: {url}"]
        entries.append((m, ical.Entry(
            uid=_uid("milestone", m.pk), summary=f"กำหนดส่ง: {m.name_th} ({m.round.name})",
            start=m.deadline, end=m.deadline, description="\n".join(lines), url=url, alarms=alarms,
            categories=("ITA", "กำหนดส่ง"))))
    return entries


def meeting_entries(feed: CalendarFeed, audience_: Audience, today: dt.date) -> list[tuple[object, ical.Entry]]:
    meetings = _filtered(Meeting.objects.filter(date__gte=today - PAST), audience_.meetings).order_by("date", "pk")
    entries = []
    for meeting in meetings:
        url = _absolute(reverse("committee:meeting", args=[meeting.pk]))
        if meeting.scheduled_time:
            start = dt.datetime.combine(meeting.date, meeting.scheduled_time, tzinfo=ical.BANGKOK)
            end = start + dt.timedelta(hours=MEETING_HOURS)
            if meeting.ended_time and meeting.ended_time > meeting.scheduled_time:
                end = dt.datetime.combine(meeting.date, meeting.ended_time, tzinfo=ical.BANGKOK)
            when = f"{format_date(meeting.date, weekday=True)} เวลา {_hhmm(start)} น."
        else:
            start, end = meeting.date, None
            when = format_date(meeting.date, weekday=True)
        title = "ประชุมคณะกรรมการ ITA" + (f" {meeting.number}" if meeting.number else "")
        lines = [title + (f" — {meeting.title}" if meeting.title else ""), when, f"สถานที่: {meeting.place}"]
        if meeting.online_link:
            lines.append(f"ประชุมออนไลน์: {meeting.online_link}")
        lines += ["", f"วาระและเอกสารการประชุม: {url}"]
        entries.append((meeting, ical.Entry(
            uid=_uid("meeting", meeting.pk), summary=title + (f": {meeting.title}" if meeting.title else ""),
            start=start, end=end, description="\n".join(lines), location=meeting.place, url=url,
            alarms=(dt.timedelta(days=1),), last_modified=meeting.updated_at, categories=("ITA", "ประชุม"))))
    return entries


def event_entries(feed: CalendarFeed, audience_: Audience, today: dt.date) -> list[tuple[object, ical.Entry]]:
    sessions = Prefetch("sessions", queryset=Session.objects.select_related("speaker_office"))
    events = (_filtered(Event.objects.filter(date__gte=today - PAST), audience_.events)
              .select_related("project").prefetch_related(sessions).order_by("date", "start_time", "pk"))
    entries = []
    for event in events:
        url = _absolute(event.get_absolute_url())
        start = dt.datetime.combine(event.date, event.start_time, tzinfo=ical.BANGKOK)
        rows = list(event.sessions.all())
        times = ical.programme_times(start, [(s.duration_minutes, s.break_after_minutes) for s in rows])
        end = None
        if event.end_time and event.end_time > event.start_time:
            end = dt.datetime.combine(event.date, event.end_time, tzinfo=ical.BANGKOK)
        elif times:
            end = times[-1][1]
        lines = [event.title, f"โครงการ: {event.project.name}",
                 f"{format_date(event.date, weekday=True)} เวลา {_hhmm(start)}"
                 + (f"–{_hhmm(end)}" if end else "") + " น.", f"สถานที่: {event.place}"]
        if event.description:
            lines += ["", event.description]
        if rows:
            lines += ["", "กำหนดการ"]
            for session, (s_start, s_end) in zip(rows, times, strict=True):
                speaker = ", ".join(x for x in (session.speaker, session.office_label) if x)
                lines.append(f"{_hhmm(s_start)}–{_hhmm(s_end)} น. {session.topic}"
                             + (f" ({speaker})" if speaker else ""))
        lines += ["", f"รายละเอียดและการลงทะเบียน: {url}"]
        entries.append((event, ical.Entry(
            uid=_uid("event", event.pk), summary=f"กิจกรรม: {event.title}", start=start, end=end,
            description="\n".join(lines), location=event.place, url=url, alarms=(dt.timedelta(days=1),),
            categories=("ITA", "กิจกรรม"))))
    return entries


# Changes recorded in the history (an update has a "before"): SEQUENCE counts them, LAST-MODIFIED is the latest.
REVISION_ACTIONS = {Milestone: "milestone.update", Meeting: "committee.meeting_save", Event: "projects.event_save"}


def with_revisions(tagged: list[tuple[object, ical.Entry]]) -> list[ical.Entry]:
    """The entries with SEQUENCE and LAST-MODIFIED from the history: one query for all of them."""
    wanted = Q(pk__in=[])
    for model, action in REVISION_ACTIONS.items():
        ids = [str(obj.pk) for obj, _entry in tagged if isinstance(obj, model)]
        if ids:
            wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids, action=action)
    found = {}
    if tagged:
        rows = (AuditEvent.objects.filter(wanted, before__isnull=False).order_by()
                .values_list("content_type_id", "object_id").annotate(n=Count("pk"), last=Max("at")))
        found = {(ct, object_id): (n, last) for ct, object_id, n, last in rows}
    entries = []
    for obj, entry in tagged:
        n, last = found.get((ContentType.objects.get_for_model(obj).pk, str(obj.pk)), (0, None))
        entries.append(replace(entry, sequence=n, last_modified=entry.last_modified or last))
    return entries


def feed_name(feed: CalendarFeed) -> str:
    if feed.kind == CalendarFeed.Kind.USER:
        return f"ITA Desk — {feed.user.get_full_name() or feed.user.get_username()}"
    return f"ITA Desk — {feed.owner.name_th}"


def render(feed: CalendarFeed, now: dt.datetime | None = None) -> bytes:
    """The feed's iCalendar text."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    who = audience(feed)
    entries = with_revisions(deadline_entries(feed, who) + meeting_entries(feed, who, today)
                             + event_entries(feed, who, today))
    return ical.build(name=feed_name(feed), uid=_uid(f"feed-{feed.kind}", feed.owner.pk), entries=entries,
                      now=now, refresh=dt.timedelta(seconds=settings.ITADESK_CALENDAR_REFRESH_SECONDS),
                      description="กำหนดส่ง การประชุม และกิจกรรม ITA จาก ITA Desk")
