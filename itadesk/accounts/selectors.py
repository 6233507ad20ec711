"""Reads about people: whom a user may manage, and which agencies have nobody to write to.

"Reachable by reminders" follows ``cycles.reminders.agency_digests``: an agency's digest goes to its
active agency admins who have an e-mail address, and to the agency's own e-mail address in the registry.
An agency with neither gets no reminder at all. Executives receive no digest, so they do not make an
agency reachable; the contacts page still shows whether the agency has one, since the office needs both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from itadesk.accounts import access
from itadesk.accounts.access import followed_agencies
from itadesk.accounts.models import AGENCY_ROLES, Membership, Role
from itadesk.registry.models import Agency, Province, SupervisingOffice


def people_for(user, province: Province) -> QuerySet:
    """The accounts ``user`` may manage in ``province``: with the secretariat's (or a superuser's) rights,
    everyone holding a role there; as an officer, those whose every role is an agency role on an agency
    the officer's office follows."""
    User = get_user_model()
    scope = access.scope_for(user)
    in_province = (Q(memberships__province=province) | Q(memberships__office__province=province)
                   | Q(memberships__agency__province=province))
    if access.predicates.secretariat_of(scope, province.pk):
        qs = User.objects.filter(in_province)
        if not scope.superuser:
            qs = qs.exclude(is_superuser=True)
        return qs.distinct()
    followed = followed_agencies(user, province.pk)
    outside = Membership.objects.filter(user=OuterRef("pk")).filter(
        ~Q(role__in=AGENCY_ROLES) | ~Q(agency__in=followed))
    return (User.objects.filter(memberships__role__in=AGENCY_ROLES, memberships__agency__in=followed,
                                is_superuser=False)
            .exclude(Exists(outside)).distinct())


def _reachable_admin():
    return (Membership.objects.filter(role=Role.AGENCY_ADMIN, agency=OuterRef("pk"), user__is_active=True)
            .exclude(user__email=""))


def unreachable(agencies: QuerySet) -> QuerySet:
    """The agencies of ``agencies`` that no reminder can reach: no active admin with an e-mail address and
    no agency e-mail address."""
    return agencies.filter(email="").exclude(Exists(_reachable_admin()))


def round_agencies(round, office=None) -> QuerySet:
    """The participating agencies of a round, those ``office`` follows when given."""
    agencies = Agency.objects.filter(participations__round=round)
    if office is not None:
        agencies = agencies.filter(office.agency_q())
    return agencies.distinct()


@dataclass
class Contact:
    user: object
    role: str
    invitation_state: str  # "accepted", "sent", "expired", "failed", "not_sent" or "" (no invitation)

    @property
    def usable(self) -> bool:
        """An active account with an e-mail address: reminders and hand-off e-mails reach it."""
        return self.user.is_active and bool((self.user.email or "").strip())


@dataclass
class AgencyContacts:
    agency: Agency
    admins: list[Contact] = field(default_factory=list)
    executives: list[Contact] = field(default_factory=list)

    @property
    def has_admin(self) -> bool:
        return any(c.usable for c in self.admins)

    @property
    def has_executive(self) -> bool:
        return any(c.usable for c in self.executives)

    @property
    def reachable(self) -> bool:
        return self.has_admin or bool((self.agency.email or "").strip())

    @property
    def complete(self) -> bool:
        return self.has_admin and self.has_executive


def agency_contacts(agencies: QuerySet, now=None) -> list[AgencyContacts]:
    """Each agency with its admins and executives (two queries)."""
    from django.utils import timezone

    now = now or timezone.now()
    rows = {a.pk: AgencyContacts(a) for a in agencies.select_related("district")
            .order_by("district__geocode", "kind", "name_th", "pk")}
    by_agency = defaultdict(list)
    for m in (Membership.objects.filter(agency_id__in=list(rows), role__in=AGENCY_ROLES)
              .select_related("user", "user__invitation").order_by("user__first_name", "user_id")):
        by_agency[m.agency_id].append(m)
    for agency_id, memberships in by_agency.items():
        row = rows[agency_id]
        for m in memberships:
            invitation = getattr(m.user, "invitation", None)
            contact = Contact(m.user, m.role, invitation.state_at(now) if invitation else "")
            (row.admins if m.role == Role.AGENCY_ADMIN else row.executives).append(contact)
    return list(rows.values())


def reach_lines(rounds) -> list[str]:
    """For the reminders' dry run: per round (and per office of its province), how many participating
    agencies no reminder can reach, with the page that lists them."""
    from django.conf import settings
    from django.urls import reverse

    site = settings.SITE_URL.rstrip("/")
    lines = []
    for round_ in rounds:
        agencies = round_agencies(round_)
        count, total = unreachable(agencies).count(), agencies.count()
        url = (site + reverse("accounts:province_contacts")
               + f"?province={round_.province_id}&round={round_.pk}&show=unreachable")
        lines.append(f"{round_.name} ({round_.province.name_th}): {count} of {total} participating agencies can be "
                     f"reached by no reminder (no active agency admin with an e-mail address, no agency e-mail "
                     f"address): {url}")
        for office in SupervisingOffice.objects.filter(province_id=round_.province_id).prefetch_related("rules"):
            n = unreachable(round_agencies(round_, office)).count()
            lines.append(f"    {office.short_name or office.name_th}: {n} — "
                         f"{site}{reverse('accounts:office_contacts', args=[office.pk])}?round={round_.pk}"
                         f"&show=unreachable")
    return lines
