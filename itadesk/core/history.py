"""History shown to people: a label for every action recorded with ``audit.record`` / ``audit.build``, field
names by the model field's ``verbose_name`` and values as a reader expects them (Buddhist-era dates in Bangkok
time, ใช่/ไม่ใช่, choices by their label, related objects by their name).

``ACTION_LABELS`` must name every action the code records: ``tests/core/test_history_labels.py`` reads the
code and fails on an action without a label, so a new ``audit.record(action=…)`` comes with its label here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from itadesk.core.language import page_lang as _lang
from itadesk.core.thai import format_date

ACTION_LABELS = {
    "calendar.create": _("Calendar address made"),
    "calendar.renew": _("Calendar address renewed"),
    "calendar.revoke": _("Calendar address revoked"),

    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "documents.emblem_upload": _("Garuda emblem uploaded"),
    "people.invite": _("Person invited"),
    "people.add_role": _("Role given to an existing account"),
    "people.invitation_sent": _("Invitation e-mail sent"),
    "people.deactivate": _("Account deactivated"),
    "people.reactivate": _("Account reactivated"),
    "people.accept": _("Invitation accepted (password set)"),
    "notifications.preferences": _("Notification choices changed"),
    "notifications.retry": _("Message queued to be sent again"),
    "notifications.line_settings": _("LINE Official Account settings changed"),
    "notifications.line_link": _("LINE linked"),
    "notifications.line_unlink": _("LINE unlinked"),
    "people.2fa_on": _("Two-step sign-in set up"),
    "people.2fa_codes": _("New backup codes for two-step sign-in"),
    "people.2fa_off": _("Two-step sign-in turned off"),
    "people.2fa_reset": _("Two-step sign-in reset by the secretariat"),
    "agency.create": _("Agency added"),
    "agency.update": _("Agency details changed"),
    "committee.action_create": _("Action item created"),
    "committee.action_note": _("Note added to an action item"),
    "committee.action_save": _("Action item edited"),
    "committee.action_status": _("Action item status changed"),
    "committee.action_targets_add": _("Agencies added to an action item"),
    "committee.attachment_add": _("Attachment added"),
    "committee.attachment_delete": _("Attachment removed"),
    "committee.attendance_delete": _("Attendance entry removed"),
    "committee.attendance_save": _("Attendance recorded"),
    "committee.item_delete": _("Agenda item deleted"),
    "committee.item_move": _("Agenda item moved"),
    "committee.item_save": _("Agenda item saved"),
    "committee.meeting_delete": _("Meeting deleted"),
    "committee.meeting_save": _("Meeting saved"),
    "committee.member_move": _("Committee member moved"),
    "committee.member_save": _("Committee member saved"),
    "committee.minutes_review": _("Minutes marked as reviewed"),
    "committee.minutes_return": _("Minutes returned to draft"),
    "committee.minutes_adopt": _("Minutes adopted"),
    "committee.problem_save": _("Problem recorded"),
    "committee.problem_open": _("Problem reopened"),
    "committee.problem_resolved": _("Problem resolved"),
    "committee.target_submit": _("Agency answered an action item"),
    "committee.target_accept": _("Agency's answer accepted"),
    "committee.target_return": _("Agency's answer returned"),
    "committee.target_done": _("Marked done for the agency"),
    "committee.target_not_applicable": _("Marked not applicable for the agency"),
    "committee.target_reopen": _("Reopened for the agency"),
    "demo.load": _("Demonstration data loaded"),
    "demo.results": _("Demonstration results loaded"),
    "documents.letter_issue": _("Letter issued with a number"),
    "documents.letter_save": _("Letter saved"),
    "documents.register_last_number": _("Register's last number set"),
    "documents.register_save": _("Document register saved"),
    "documents.share_create": _("Share link created"),
    "documents.share_revoke": _("Share link revoked"),
    "documents.template_reset": _("Document template reset to the default"),
    "documents.template_upload": _("Document template uploaded"),
    "evidence.check.request": _("Automatic check requested"),
    "evidence.decide": _("Decisions on the elements recorded"),
    "evidence.example.create": _("Example added"),
    "evidence.example.update": _("Example edited"),
    "evidence.example.delete": _("Example deleted"),
    "evidence.edit": _("OIT evidence edited"),
    "evidence.approve": _("OIT evidence approved by the executive"),
    "evidence.submit": _("OIT evidence sent for pre-review"),
    "evidence.withdraw": _("OIT evidence withdrawn"),
    "evidence.review_approve": _("OIT evidence passed by the reviewer"),
    "evidence.review_return": _("OIT evidence returned by the reviewer"),
    "framework.install": _("Framework installed"),
    "framework.update": _("Framework updated"),
    "milestone.create": _("Milestone added"),
    "milestone.update": _("Milestone changed"),
    "milestone.delete": _("Milestone deleted"),
    "progress.set": _("Progress recorded"),
    "projects.cancel_registration": _("Registration cancelled"),
    "projects.check_in": _("Checked in"),
    "projects.event_save": _("Event saved"),
    "projects.invite": _("Agencies invited"),
    "projects.line_delete": _("Budget line deleted"),
    "projects.line_save": _("Budget line saved"),
    "projects.project_save": _("Project saved"),
    "projects.quota": _("Quota changed"),
    "projects.register": _("Registered for an event"),
    "projects.session_delete": _("Session deleted"),
    "projects.session_save": _("Session saved"),
    "projects.spending_add": _("Spending recorded"),
    "projects.uninvite": _("Invitation withdrawn"),
    "questionnaire.close": _("Questionnaire closed"),
    "questionnaire.create": _("Questionnaire created"),
    "questionnaire.publish": _("Questionnaire published"),
    "questionnaire.release": _("Mock results released (a batch of responses)"),
    "questionnaire.settings": _("Questionnaire settings changed"),
    "questionnaire.tokens": _("One-time links made"),
    "report.create": _("Monitoring report drafted"),
    "report.delete": _("Monitoring report deleted"),
    "report.issue": _("Monitoring report issued"),
    "result.import": _("Results imported"),
    "round.enrol": _("Agencies added to the round"),
    "round.framework": _("Round's framework changed"),
    "round.public_dashboard": _("Public dashboard turned on or off"),
    "stakeholders.entered": _("Stakeholder data entered"),
    "stakeholders.changed": _("Stakeholder data changed"),
    "stakeholders.approved": _("Stakeholder data approved"),
    "stakeholders.unlocked": _("Stakeholder data unlocked"),
    "stakeholders.progress": _("Progress from the stakeholder data"),
    "responses.entry": _("Response counts entered"),
    "responses.import": _("Response counts imported"),
    "target_group.save": _("Target group saved"),
    "target_group.delete": _("Target group deleted"),
    # --- starting a round and its settings (cycles/round_setup.py) ---
    "round.create": _("Round started"),
    "round.update": _("Round's name or public page changed"),
    "round.current": _("Current round changed"),
    "round.close": _("Round closed"),
    "round.reopen": _("Round opened again"),
    "mission.create": _("Mission added"),
    "participation.create": _("Agency added to the round"),
    "participation.delete": _("Agency removed from the round"),
    "participation.coaching": _("Agency put in the coaching group"),
    "holiday.create": _("Public holiday added"),
    "holiday.delete": _("Public holiday removed"),
}

# Keys some services store beside the model's own fields.
EXTRA_KEYS = {
    "agencies": _("agencies"),
    "file": _("file"),
    "on_date": _("date"),
}

MAX_NAMES = 500  # more related ids than this on one page: shown as numbers rather than fetched

# Keys whose value is a list of agency ids (a target group's members, a round's new participants, an action
# item's agencies). A reader sees only the agencies they may see, by name, and a count of the others: the
# accounts app registers who may see what (``visible_agency_ids(user, ids) -> set``) when it starts, so that
# core does not import it.
AGENCY_LIST_KEYS = {"agencies"}
visible_agency_ids = None


def action_label(action: str) -> str:
    """The human label of an action code; the code itself when nobody has named it yet."""
    return str(ACTION_LABELS.get(action, action))


@dataclass
class Change:
    label: str
    old: str | None
    new: str | None


@dataclass
class Row:
    event: object
    label: str
    changes: list[Change] = field(default_factory=list)

    def __getattr__(self, name):  # at, actor_label, object_repr, note… of the event
        if name == "event":
            raise AttributeError(name)
        return getattr(self.event, name)


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _label(model, key: str) -> str:
    f = _field(model, key)
    if f is not None and getattr(f, "verbose_name", None):
        return capfirst(str(f.verbose_name))
    if key in EXTRA_KEYS:
        return capfirst(str(EXTRA_KEYS[key]))
    return capfirst(key.removesuffix("_id").replace("_", " "))


def _plain_text(value) -> str:
    if isinstance(value, bool):
        return str(_("Yes")) if value else str(_("No"))
    if isinstance(value, list | tuple):
        return ", ".join(_plain_text(v) for v in value)
    if isinstance(value, str):
        when = parse_datetime(value) if "T" in value else None
        if when is not None:
            return format_date(when, lang=_lang())
        day = parse_date(value) if len(value) == 10 else None
        if day is not None:
            return format_date(day, lang=_lang())
    return str(value)


def _text(f, value, names) -> str | None:
    if value is None or value == "":
        return None
    if f is None:
        return _plain_text(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return str(_("Yes")) if value else str(_("No"))
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        when = parse_datetime(value)
        return format_date(when, lang=_lang()) if when else value
    if isinstance(f, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        return format_date(day, lang=_lang()) if day else value
    if f.is_relation and f.many_to_one:
        return names.get((f.related_model, str(value)), f"#{value}")
    return _plain_text(value)


def _name(obj) -> str:
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _agency_ids(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _agency_list_text(value, names, visible: set[str] | None) -> str | None:
    ids = _agency_ids(value)
    if not ids:
        return None
    shown = [names.get(i, f"#{i}") for i in ids if visible is not None and i in visible]
    hidden = len(ids) - len(shown)
    if hidden:
        shown.append(str(_("%(n)s agencies you cannot see") % {"n": hidden}) if shown
                     else str(_("%(n)s agencies") % {"n": hidden}))
    return ", ".join(shown)


def _is_key(model, value) -> bool:
    """Whether ``value`` can be a primary key of ``model`` (some events record a name, e.g. the framework
    of a round as ``nacc-ita-2568 v1``, under a foreign key's name: shown as recorded)."""
    from django.core.exceptions import ValidationError

    try:
        model._meta.pk.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return True


def rows(events, user=None) -> list[Row]:
    """The events as rows for ``core/history.html``: one query per kind of related object on the page. Lists
    of agencies show the ones ``user`` may see by name and count the rest (all are counted without a user)."""
    events = list(events)
    listed = {i for e in events for key in AGENCY_LIST_KEYS for side in (e.before or {}, e.after or {})
              for i in _agency_ids(side.get(key))}
    visible = (set(map(str, visible_agency_ids(user, listed))) if user is not None and listed
               and visible_agency_ids is not None else None)
    model_of = {}
    wanted: dict[type, set[str]] = {}
    for e in events:
        if e.content_type_id not in model_of:
            model_of[e.content_type_id] = (ContentType.objects.get_for_id(e.content_type_id).model_class()
                                           if e.content_type_id else None)
        model = model_of[e.content_type_id]
        for key in {*(e.before or {}), *(e.after or {})}:
            f = _field(model, key)
            if f is not None and f.is_relation and f.many_to_one:
                for value in ((e.before or {}).get(key), (e.after or {}).get(key)):
                    if value not in (None, "") and _is_key(f.related_model, value):
                        wanted.setdefault(f.related_model, set()).add(str(value))
    names = {}
    for related, ids in wanted.items():
        if len(ids) > MAX_NAMES:
            continue
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, str(obj.pk))] = _name(obj)
    agency_names = {}
    if visible:
        from django.apps import apps

        agency = apps.get_model("registry", "Agency")
        agency_names = {str(pk): name for pk, name in agency._default_manager.filter(pk__in=list(visible)[:MAX_NAMES])
                        .values_list("pk", "name_th")}
    result = []
    for e in events:
        model = model_of[e.content_type_id]
        changes = []
        for key, old, new in e.changes():
            if key in AGENCY_LIST_KEYS:
                changes.append(Change(_label(model, key), _agency_list_text(old, agency_names, visible),
                                      _agency_list_text(new, agency_names, visible)))
            else:
                changes.append(Change(_label(model, key), _text(_field(model, key), old, names),
                                      _text(_field(model, key), new, names)))
        result.append(Row(event=e, label=action_label(e.action), changes=changes))
    return result
