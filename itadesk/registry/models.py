from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("DOPA code"), max_length=2, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self):
        return self.name_th


class District(models.Model):
    """อำเภอ."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    geocode = models.CharField(_("DOPA geocode"), max_length=4, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["geocode"]
        constraints = [models.UniqueConstraint(fields=["province", "name_th"], name="district_name_unique")]

    def __str__(self):
        return self.name_th


class AgencyKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial-level office")
    DISTRICT = "district", _("District office")
    PAO = "pao", _("Provincial administrative organization")
    CITY_MUNICIPALITY = "city_mun", _("City municipality")
    TOWN_MUNICIPALITY = "town_mun", _("Town municipality")
    SUBDISTRICT_MUNICIPALITY = "subdistrict_mun", _("Sub-district municipality")
    SAO = "sao", _("Sub-district administrative organization")
    OTHER = "other", _("Other")


LOCAL_GOVERNMENT_KINDS = (
    AgencyKind.PAO, AgencyKind.CITY_MUNICIPALITY, AgencyKind.TOWN_MUNICIPALITY,
    AgencyKind.SUBDISTRICT_MUNICIPALITY, AgencyKind.SAO,
)


class Agency(models.Model):
    """A public agency assessed by ITA (หน่วยงานที่เข้ารับการประเมิน)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="agencies", verbose_name=_("district"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, db_index=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    itas_code = models.CharField(_("ITAS code"), max_length=20, null=True, blank=True, unique=True)
    dla_code = models.CharField(_("DLA code"), max_length=10, null=True, blank=True, unique=True)
    website = models.URLField(_("main website"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("Invented for the demonstration, not real data."))
    source = models.CharField(_("source of the record"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["province", "district__geocode", "kind", "name_th"]
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self):
        return self.name_th

    @property
    def is_local_government(self) -> bool:
        return self.kind in LOCAL_GOVERNMENT_KINDS


class SupervisingOffice(models.Model):
    """An office of the province's committee that follows (กำกับติดตาม) a set of agencies."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="offices")
    code = models.SlugField(_("short code"), max_length=40)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("supervising office")
        verbose_name_plural = _("supervising offices")
        ordering = ["province", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="office_code_unique")]

    def __str__(self):
        return self.short_name or self.name_th

    def agency_q(self, *, role: str | None = None) -> Q:
        """A filter on Agency for the agencies this office follows (by its oversight rules)."""
        q = Q(pk__in=[])
        for rule in self.rules.all():
            if role is None or rule.role == role:
                q |= rule.agency_q()
        return q & Q(province_id=self.province_id)


class OversightRule(models.Model):
    """Which agencies an office follows, and in what role. Rules are data: 'all participants',
    'all local governments', 'all districts', or a hand-picked list."""

    class Role(models.TextChoices):
        LEAD = "lead", _("follows")
        ASSIST = "assist", _("helps follow")

    office = models.ForeignKey(SupervisingOffice, on_delete=models.CASCADE, related_name="rules")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEAD)
    all_agencies = models.BooleanField(_("all participating agencies"), default=False)
    kinds = models.JSONField(_("agency kinds"), default=list, blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name=_("agencies"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("oversight rule")
        verbose_name_plural = _("oversight rules")
        ordering = ["office", "id"]

    def __str__(self):
        return self.description or f"{self.office} {self.role}"

    def agency_q(self) -> Q:
        if self.all_agencies:
            return Q(pk__isnull=False)  # not Q(): an empty Q() vanishes when OR-ed with others
        q = Q(kind__in=self.kinds) if self.kinds else Q(pk__in=[])
        if self.pk:
            q |= Q(pk__in=self.agencies.values("pk"))
        return q

    def covers(self, agency: Agency, picked: set[int]) -> bool:
        """``agency_q`` decided in memory for one agency; ``picked``: the ids of the rules whose hand-picked
        list holds the agency."""
        return self.all_agencies or agency.kind in (self.kinds or []) or self.pk in picked


def province_oversight(province_id: int) -> list[tuple[OversightRule, frozenset[int]]]:
    """The oversight rules of a province's offices (each with its office), in the offices' order, each with the
    ids of the agencies its hand-picked list holds: what :func:`offices_following` needs for any agency of the
    province, in two queries. A page keeps it once per province (``evidence.selectors.offices_for_page``)."""
    rules = list(OversightRule.objects.filter(office__province_id=province_id).select_related("office")
                 .order_by("office__order", "office_id", "pk"))
    picks: dict[int, set[int]] = {}
    for rule_id, agency_id in OversightRule.agencies.through.objects.filter(
            oversightrule__office__province_id=province_id).values_list("oversightrule_id", "agency_id"):
        picks.setdefault(rule_id, set()).add(agency_id)
    return [(rule, frozenset(picks.get(rule.pk, ()))) for rule in rules]


def offices_following(agency: Agency, oversight: list[tuple[OversightRule, frozenset[int]]] | None = None
                      ) -> list[SupervisingOffice]:
    """The offices of the agency's province whose oversight rules follow it (as ``Agency.objects.filter(
    office.agency_q(), pk=agency.pk).exists()`` for each office), in the offices' order: one query whatever
    the number of offices (each rule read with its office and whether its hand-picked list holds the agency),
    or none with ``oversight``, the province's rules as :func:`province_oversight` gives them."""
    if oversight is None:
        holds = OversightRule.agencies.through.objects.filter(oversightrule_id=OuterRef("pk"), agency_id=agency.pk)
        rules = list(OversightRule.objects.filter(office__province_id=agency.province_id).select_related("office")
                     .annotate(picks_agency=Exists(holds)).order_by("office__order", "office_id", "pk"))
        picked = {rule.pk for rule in rules if rule.picks_agency}
    else:
        rules = [rule for rule, _ids in oversight]
        picked = {rule.pk for rule, ids in oversight if agency.pk in ids}
    following: dict[int, SupervisingOffice] = {}
    for rule in rules:
        if rule.covers(agency, picked):
            following.setdefault(rule.office_id, rule.office)
    return list(following.values())
