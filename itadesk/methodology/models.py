"""Framework versions (the methodology as data), past assessment results, and named target groups."""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itadesk.registry.models import Agency, Province
from itadesk.scoring import engine


def round_has_data(round) -> bool:
    """Whether a round has data that depends on its framework: progress on its milestones, or OIT
    evidence (stored by item code of the framework)."""
    if round.milestones.filter(progress__isnull=False).exists():
        return True
    evidence = getattr(round, "evidence_items", None)
    return evidence is not None and evidence.exists()


# Compiled scoring plans, per process, by (framework version id, SHA-256 of its file): compiling one takes
# tens of milliseconds, and the calculator, the planner and the mock results would otherwise pay it on every
# request. A changed file has another hash, so it is compiled again. Plans are never modified once built.
_PLANS: dict[tuple[int, str], engine.Plan] = {}
_PLANS_MAX = 32


class FrameworkVersion(models.Model):
    """One version of a framework file (เกณฑ์การประเมิน), stored as given and as validated.
    Read-only once data depends on it: a change is a new version."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("official")
        UNOFFICIAL = "unofficial", _("unofficial reconstruction")

    code = models.SlugField(_("framework id"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    scheme = models.SlugField(_("scheme"), max_length=80)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), null=True, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source_text = models.TextField(_("framework file (YAML)"))
    data = models.JSONField(_("validated framework"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["-fiscal_year", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_version_unique")]

    def __str__(self):
        return f"{self.code} v{self.version}"

    @classmethod
    def find(cls, ref: str) -> "FrameworkVersion | None":
        """``nacc-ita-2568`` (the newest version) or ``nacc-ita-2568@2``; None if not installed.
        Raises ValueError for a version that is not a number."""
        code, _, version = ref.partition("@")
        qs = cls.objects.filter(code=code)
        if version:
            if not version.isdigit():
                raise ValueError(f"version '{version}' ไม่ใช่ตัวเลข / is not a number")
            qs = qs.filter(version=int(version))
        return qs.order_by("-version").first()

    @property
    def label(self) -> str:
        return f"{self.name_th} ({self.code} v{self.version})"

    def scoring_plan(self) -> engine.Plan:
        """The scoring engine's compiled plan of this version (raises ``FrameworkError`` if it cannot be
        scored), compiled once per process and content."""
        if self.pk is None:
            return engine.compile_framework(self.data)
        key = (self.pk, self.sha256)
        plan = _PLANS.get(key)
        if plan is None:
            plan = engine.compile_framework(self.data)
            if len(_PLANS) >= _PLANS_MAX:
                _PLANS.clear()
            _PLANS[key] = plan
        return plan

    def dependents(self) -> list[str]:
        """What makes this version read-only, in words (empty: it may still be changed)."""
        reasons = []
        n = self.results.count()
        if n:
            reasons.append(f"ผลการประเมิน {n} รายการคำนวณด้วยเกณฑ์นี้ / {n} results were scored with it")
        for round_ in self.rounds.all():
            if round_has_data(round_):
                reasons.append(f"{round_.name} มีข้อมูลแล้ว / {round_.name} already has data")
        return reasons

    @property
    def is_locked(self) -> bool:
        return bool(self.dependents())



@lru_cache(maxsize=16)
def _data(pk: int, sha256: str) -> dict:
    return FrameworkVersion.objects.values_list("data", flat=True).get(pk=pk)


def framework_data(framework: FrameworkVersion) -> dict:
    """The validated data of a framework version, read once per content hash and shared between requests
    (do not change it). Pages get rounds with the framework's big fields deferred (``round_or_404``)."""
    return _data(framework.pk, framework.sha256)


class AssessmentResult(models.Model):
    """An agency's published ITA result for a fiscal year (ผลคะแนน ITA), as imported, with the
    figures recomputed by the scoring engine from its parts."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="results")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="results",
                                  verbose_name=_("framework"))
    indicator_scores = models.JSONField(_("indicator scores"), default=dict, blank=True)
    instrument_scores = models.JSONField(_("instrument scores"), default=dict, blank=True)
    total = models.DecimalField(_("total (recomputed)"), max_digits=5, decimal_places=2, null=True, blank=True)
    published_total = models.DecimalField(_("total (as published)"), max_digits=5, decimal_places=2,
                                          null=True, blank=True)
    level_code = models.CharField(_("result level"), max_length=40, blank=True)
    level_label = models.CharField(_("result level (Thai)"), max_length=100, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    source = models.CharField(_("source file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["-fiscal_year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year"], name="result_year_unique")]
        indexes = [models.Index(fields=["fiscal_year", "agency"])]

    def __str__(self):
        return f"{self.agency} {self.fiscal_year}: {self.shown_total}"

    @property
    def shown_total(self):
        """The published total when there is one (that is the official figure), else ours."""
        return self.published_total if self.published_total is not None else self.total

    @property
    def disagrees(self) -> bool:
        return (self.total is not None and self.published_total is not None
                and abs(self.total - self.published_total) > 0)


class TargetGroup(models.Model):
    """A named set of agencies the committee chose (e.g. "coaching group FY2568"), with the reason
    for each; later work (invitations, monitoring) reuses it."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("name"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["province", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="target_group_name_unique")]

    def __str__(self):
        return self.name


class TargetGroupMember(models.Model):
    group = models.ForeignKey(TargetGroup, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    rank = models.PositiveIntegerField(_("rank"), default=0)

    class Meta:
        verbose_name = _("target group member")
        verbose_name_plural = _("target group members")
        ordering = ["group", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "agency"], name="target_member_unique")]

    def __str__(self):
        return f"{self.group}: {self.agency}"
