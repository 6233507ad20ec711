"""What one user's roles cover: built once per request with one query (``scope_for``), cached on the user
(and, with the page cache on, across requests under the data versions: ``core.versions.cached``).

The scope holds every membership the rules need — the provinces where the user is the secretariat, the
offices with the user's roles in each and the office's province, the agencies with the user's roles in each
and the agency's province — so that a rule decides from memory. "An office that follows this agency" needs
the offices' oversight rules and their hand-picked agencies: read once, on first use (two queries), and kept
in the scope; each such question is then decided from memory too (``follows``: ``OversightRule.covers``, the
same answer as the rules' filter ``followed_q`` on ``Agency`` — tests/accounts/test_follows_in_memory.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from itadesk.accounts.models import AGENCY_ROLES, OFFICE_ROLES, Membership, Role
from itadesk.core import versions
from itadesk.registry.models import OversightRule


@dataclass
class Scope:
    """What one user's roles cover, computed once per request."""

    superuser: bool = False
    province_ids: set[int] = field(default_factory=set)  # provinces where the user is the secretariat
    office_ids: set[int] = field(default_factory=set)  # offices where the user is an officer or reviewer
    agency_ids: set[int] = field(default_factory=set)  # agencies where the user is an admin or executive
    roles: set[str] = field(default_factory=set)
    agency_roles: dict[int, set[str]] = field(default_factory=dict)
    office_roles: dict[int, set[str]] = field(default_factory=dict)
    office_province: dict[int, int] = field(default_factory=dict)
    agency_province: dict[int, int] = field(default_factory=dict)
    _oversight: dict[int, list] | None = field(default=None, repr=False, compare=False)
    # rule id -> the agencies hand-picked by that rule of the user's offices (read with the rules)
    _picked: dict[int, frozenset[int]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_secretariat(self) -> bool:
        return self.superuser or Role.SECRETARIAT in self.roles

    @property
    def is_office(self) -> bool:
        return bool(self.office_ids)

    @property
    def is_anyone(self) -> bool:
        return self.superuser or bool(self.roles)

    @property
    def any_province_ids(self) -> set[int]:
        """Provinces in which the user has any role (superusers: see ``province_ids_for``)."""
        return (set(self.province_ids) | {self.office_province[o] for o in self.office_ids}
                | {self.agency_province[a] for a in self.agency_ids})

    def offices_with(self, roles=OFFICE_ROLES, province_id=None) -> set[int]:
        """The user's offices in which the user holds one of ``roles`` (in ``province_id`` when given)."""
        roles = set(roles)
        return {office_id for office_id, held in self.office_roles.items()
                if held & roles and (province_id is None or self.office_province.get(office_id) == province_id)}

    def _read_rules(self) -> dict[int, list]:
        """The oversight rules of the user's offices by office, and their hand-picked agencies: read once."""
        if self._oversight is None:
            oversight: dict[int, list] = {}
            for rule in OversightRule.objects.filter(office_id__in=self.office_ids).order_by("pk"):
                oversight.setdefault(rule.office_id, []).append(rule)
            picked: dict[int, set[int]] = {}
            if oversight:
                for rule_id, agency_id in OversightRule.agencies.through.objects.filter(
                        oversightrule__office_id__in=self.office_ids).values_list("oversightrule_id", "agency_id"):
                    picked.setdefault(rule_id, set()).add(agency_id)
            self._picked = {rule_id: frozenset(ids) for rule_id, ids in picked.items()}
            self._oversight = oversight
        return self._oversight

    def follows(self, office_ids, agency) -> bool:
        """The offices ``office_ids`` (those of them the user belongs to) follow ``agency`` by their oversight
        rules: ``Agency.objects.filter(self.followed_q(office_ids), pk=agency.pk).exists()`` decided from
        memory (``agency``'s kind and province are read from it)."""
        oversight = self._read_rules()
        for office_id in office_ids:
            if office_id not in self.office_ids or self.office_province.get(office_id) != agency.province_id:
                continue
            for rule in oversight.get(office_id, []):
                if rule.covers(agency, {rule.pk} if agency.pk in self._picked.get(rule.pk, ()) else set()):
                    return True
        return False

    def followed_q(self, office_ids) -> Q:
        """A filter on Agency: the agencies that the offices ``office_ids`` follow by their oversight rules
        (as ``SupervisingOffice.agency_q``). The rules of the user's offices are read once."""
        self._read_rules()
        q = Q(pk__in=[])
        for office_id in sorted(office_ids):
            office_q = Q(pk__in=[])
            for rule in self._oversight.get(office_id, []) if office_id in self.office_ids else []:
                office_q |= rule.agency_q()
            q |= office_q & Q(province_id=self.office_province.get(office_id))
        return q


def scope_for(user) -> Scope:
    """The user's scope: kept on the user for the request, and in the cache of set-up data under the data
    versions when the page cache is on (``versions.cached``: memberships, offices, agencies and oversight rules
    are all under "global", so a changed membership or rule is seen by the next request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_itadesk_scope", None)
    if cached is not None:
        return cached
    scope = versions.kept("scope", [user.pk, user.is_superuser], [], lambda: _read(user))
    user._itadesk_scope = scope
    return scope


def _read(user) -> Scope:
    scope = Scope(superuser=user.is_superuser)
    rows = Membership.objects.filter(user=user).values_list(
        "role", "province_id", "office_id", "office__province_id", "agency_id", "agency__province_id")
    for role, province_id, office_id, office_province_id, agency_id, agency_province_id in rows:
        scope.roles.add(role)
        if role == Role.SECRETARIAT and province_id:
            scope.province_ids.add(province_id)
        elif role in OFFICE_ROLES and office_id:
            scope.office_ids.add(office_id)
            scope.office_roles.setdefault(office_id, set()).add(role)
            scope.office_province[office_id] = office_province_id
        elif role in AGENCY_ROLES and agency_id:
            scope.agency_ids.add(agency_id)
            scope.agency_roles.setdefault(agency_id, set()).add(role)
            scope.agency_province[agency_id] = agency_province_id
    if scope.office_ids and versions.caching():
        scope._read_rules()  # the offices' oversight rules read now, so that they are kept with it
    return scope
